from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
