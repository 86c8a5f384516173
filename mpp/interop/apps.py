from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "mpp.interop"
    label = "interop"
    verbose_name = "Interoperabilitas"

    def ready(self) -> None:
        from mpp.interop.agency_applications import inbound_status_change
        from mpp.interop.inbound import register_inbound_handler

        register_inbound_handler(
            "application.status_change", inbound_status_change, scope="applications:transition"
        )
