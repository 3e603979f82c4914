from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Remember the language the person signed up in: e-mails are sent in it.
        user.preferred_language = (translation.get_language() or "fr")[:2]
        return super().save_user(request, user, form, commit=commit)
