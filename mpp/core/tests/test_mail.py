"""E-mail leaves through the worker after commit, over a real SMTP conversation."""

import pytest

from mpp.core.mail import queue_email


@pytest.mark.django_db
def test_a_queued_email_is_delivered_over_smtp_after_commit(
    smtp_server, django_capture_on_commit_callbacks, tmp_path, settings
):
    (tmp_path / "hello_subject.txt").write_text("Halo {{ name }}")
    (tmp_path / "hello.txt").write_text("Kode Anda {{ code }}.")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(to="warga@example.id", template="hello", context={"name": "Sri", "code": 1})
    assert smtp_server.messages == []  # nothing leaves before commit
    for callback in callbacks:
        callback()

    assert [m["Subject"] for m in smtp_server.messages] == ["Halo Sri"]
    assert smtp_server.bodies_to("warga@example.id") == ["Kode Anda 1.\n"]
