"""Shared personas: a citizen, the MPP manager, an auditor, and officers of agencies A and B."""

import pytest

from mpp.agencies.models import AgencyRole, CityRole, CityRoleKind, Membership
from mpp.catalog.testing import make_agency

pytest_plugins = [
    "mpp.core.browser_testing",
    "mpp.core.smtp_testing",
    "mpp.registries.testing",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests don't run collectstatic: serve static files without the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached pages are keyed by a generation counter that each test's rollback resets.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_lockout_unless_asked(settings):
    # django-axes needs a request in authenticate(); the test client's login() has none.
    # Lockout tests turn it back on with settings.AXES_ENABLED = True.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    # A page request activates its language for the thread; start every test from the default.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploads and issued files of a test go to its own folder, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; the production hasher would dominate the run time.
    # Tests of password hashing itself override this.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(django_user_model):
    def _make(username: str, **fields):
        return django_user_model.objects.create_user(
            username=username, password="rahasia-Panjang-123", **fields
        )

    return _make


@pytest.fixture
def agency_a(db):
    return make_agency(slug="dispendukcapil", name="Dinas Kependudukan", short_name="Dukcapil")


@pytest.fixture
def agency_b(db):
    return make_agency(
        slug="polresta", name="Polresta Malang Kota", short_name="Polresta", kind="vertical"
    )


def _member(user, agency, role):
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def citizen(make_user):
    return make_user("warga")


@pytest.fixture
def manager(make_user):
    user = make_user("pengelola")
    CityRole.objects.create(user=user, role=CityRoleKind.MPP_MANAGER)
    return user


@pytest.fixture
def auditor(make_user):
    user = make_user("auditor")
    CityRole.objects.create(user=user, role=CityRoleKind.AUDITOR)
    return user


@pytest.fixture
def admin_a(make_user, agency_a):
    return _member(make_user("admin_a"), agency_a, AgencyRole.AGENCY_ADMIN)


@pytest.fixture
def admin_b(make_user, agency_b):
    return _member(make_user("admin_b"), agency_b, AgencyRole.AGENCY_ADMIN)


@pytest.fixture
def verifier_a(make_user, agency_a):
    return _member(make_user("verifier_a"), agency_a, AgencyRole.VERIFIER)
