from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "mpp.registries"
    label = "registries"
