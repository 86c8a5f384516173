"""Every response carries the strict security headers."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", "/layanan/", "/api/v1/services"])
def test_responses_carry_strict_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "script-src 'self';" in csp + ";"  # no inline or remote scripts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_the_deploy_check():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-for-check-0123456789",
        "MPP_HTTPS": "1",
        "MPP_REQUIRE_SECRET_KEY": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; would fail the check
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
