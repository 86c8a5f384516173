from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "mpp.agencies"
    label = "agencies"
