from django.conf import settings


def site(request):
    return {"platform_name": settings.FILIERE_PLATFORM_NAME}
