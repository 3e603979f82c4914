from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def set_expiry_of_existing_tokens(apps, schema_editor):
    # Tokens created before expiry existed get the default lifetime, counted from their creation.
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = timedelta(days=getattr(settings, "FILIERE_API_TOKEN_LIFETIME_DAYS", 90))
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + lifetime
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_username_optional")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(set_expiry_of_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(default=False, verbose_name="read only"),
        ),
    ]
