"""Authentication by e-mail address, mobile number or username, with the password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from mpp.accounts.services.signin import find_user


class IdentifierBackend(ModelBackend):
    """Finds the user by e-mail (any case), mobile number (+62 E.164) or username.

    Like ModelBackend, it runs the password hasher when no user matches, so that the time
    taken does not tell whether an account exists. Inactive users are refused.
    """

    def authenticate(self, request, identifier=None, password=None, username=None, **kwargs):
        identifier = identifier if identifier is not None else username
        if not identifier or password is None:
            return None
        user = find_user(identifier)
        if user is None:
            # Same work as a real check: hash the password once (Django ticket #20760).
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
