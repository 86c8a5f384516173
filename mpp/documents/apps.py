from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "mpp.documents"
    label = "documents"
    verbose_name = "Dokumen"
