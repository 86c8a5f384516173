"""Authentication by e-mail, mobile number or username (placeholder until sign-in lands)."""

from django.contrib.auth.backends import ModelBackend


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, identifier=None, password=None, username=None, **kwargs):
        return super().authenticate(
            request, username=identifier or username, password=password, **kwargs
        )
