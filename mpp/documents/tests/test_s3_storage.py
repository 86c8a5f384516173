"""Uploads on S3-compatible storage: a real S3 API over HTTP (moto's server on loopback)."""

import socket

import pytest
from django.test import Client
from django.urls import reverse

from mpp.applications.demo import sample_png
from mpp.documents.locker import locker_store
from mpp.env import file_storage_settings

BUCKET = "mpp-berkas"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    import boto3

    for name, value in {
        "MPP_S3_BUCKET": BUCKET,
        "MPP_S3_ENDPOINT_URL": s3_server,
        "MPP_S3_REGION": "us-east-1",
        "MPP_S3_ACCESS_KEY": "mpp-test",
        "MPP_S3_SECRET_KEY": "mpp-test-secret",
        "MPP_S3_PREFIX": "berkas",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="mpp-test",
        aws_secret_access_key="mpp-test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_settings()}
    return client


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("MPP_S3_BUCKET", raising=False)
    assert file_storage_settings()["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.mark.django_db
def test_a_locker_document_is_stored_privately_in_the_bucket_and_read_back(
    s3_storage, make_user, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mpp.accounts.testing import make_citizen

    owner = make_citizen(make_user, "siti", "3573014101900001")
    document = locker_store(
        actor=owner,
        file=SimpleUploadedFile("ktp.png", sample_png(), content_type="image/png"),
        kind="ktp",
        label="KTP-el",
    )
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"berkas/{document.file.name}"]
    acl = s3_storage.get_object_acl(Bucket=BUCKET, Key=keys[0])
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in acl["Grants"])
    assert not (settings.MEDIA_ROOT / "locker").exists()

    client = Client()
    client.force_login(owner)
    response = client.get(reverse("documents_locker:download", args=[document.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample_png()
