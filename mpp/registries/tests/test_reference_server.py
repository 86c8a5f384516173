"""The reference registry: its protocol, its demo records, and running as its own process."""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from mpp.registries.reference_server.records import RECORDS
from mpp.registries.testing import TOKEN

ACCOUNTS = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "data" / "accounts.yaml"


def get(base: str, path: str, token: str | None = TOKEN) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def base(registry_server) -> str:
    server, _app = registry_server
    return f"http://127.0.0.1:{server.server_port}"


def test_a_known_nik_with_the_token(base):
    status, body = get(base, "/v1/penduduk/3573025203850002")
    assert status == 200
    assert body["data"]["NAMA_LGKP"] == "Siti Aminah (demo)"


@pytest.mark.parametrize(
    ("path", "token", "status", "error"),
    [
        ("/v1/penduduk/3573025203850002", None, 401, "unauthorized"),
        ("/v1/penduduk/3573025203850002", "salah", 401, "unauthorized"),
        ("/v1/penduduk/3573051708900099", TOKEN, 404, "not_found"),
        ("/v1/penduduk/12345", TOKEN, 400, "invalid_nik"),
        ("/v2/lain", TOKEN, 404, "unknown_path"),
    ],
)
def test_refusals(base, path, token, status, error):
    assert get(base, path, token) == (status, {"error": error})


def test_health_needs_no_token(base):
    assert get(base, "/healthz", None) == (200, {"status": "ok"})


def test_the_demo_records_match_the_demo_citizens():
    citizens = [a for a in yaml.safe_load(ACCOUNTS.read_text())["accounts"] if "nik" in a]
    assert {c["nik"] for c in citizens} == set(RECORDS)
    sex = {"M": "LAKI-LAKI", "F": "PEREMPUAN"}
    for citizen in citizens:
        record = RECORDS[citizen["nik"]]
        assert record["NAMA_LGKP"] == citizen["full_name"]
        assert record["TGL_LHR"] == str(citizen["birth_date"])
        assert record["JENIS_KLMIN"] == sex[citizen["sex"]]
        assert record["NO_KK"][:6] == citizen["nik"][:6]


def test_it_runs_as_its_own_process_and_stops_on_sigterm(closed_port):
    env = {**os.environ, "MPP_REGISTRY_SERVER_TOKEN": "proses"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mpp.registries.reference_server", "--port", str(closed_port)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        banner = process.stderr.readline()  # printed once the socket is bound
        assert f":{closed_port}/v1/penduduk/" in banner
        base = f"http://127.0.0.1:{closed_port}"
        assert get(base, "/v1/penduduk/3573051708900001", "proses")[0] == 200
        assert get(base, "/v1/penduduk/3573051708900001", TOKEN)[0] == 401
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
