"""People who sign in. Citizens' NIK profiles, kuasa and one-time codes arrive with issue 3."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: citizen or officer (roles live in agencies.Membership)."""

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
