from django.conf import settings


def site(request) -> dict:
    return {"CITY_NAME": settings.MPP_CITY_NAME}
