from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("language/", views.set_language, name="set_language"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
