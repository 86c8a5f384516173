"""The JSON Schema of an application form, derived from the adopted standard."""

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from mpp.applications.form_schema import form_schema
from mpp.applications.tests.conftest import VALID_NIK

pytestmark = pytest.mark.django_db


def _validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _error_paths(schema: dict, instance: dict) -> dict[str, str]:
    errors = _validator(schema).iter_errors(instance)
    return {(e.path[0] if e.path else e.validator): e.validator for e in errors}


VALID_ANSWERS = {
    "ktp": "JVBERi0xLjQK",
    "nama": "Siti Aminah",
    "jumlah": 2,
    "tanggal_lahir": "1990-01-01",
    "email": "siti@contoh.id",
    "ponsel": "081234567890",
    "nik": VALID_NIK,
    "keperluan": "Baru",
    "domisili": True,
}


def test_the_demo_standard_gives_a_valid_draft_2020_12_schema(demo_service):
    schema = form_schema(demo_service.current_standard, url="http://x/api/v1/f")

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "http://x/api/v1/f"
    assert schema["title"] == "Akta Kelahiran"
    assert schema["x-mpp-order"] == ["ktp", "nama_anak", "domisili"]
    assert list(schema["properties"]) == ["ktp", "nama_anak", "domisili"]
    assert schema["required"] == ["ktp", "nama_anak", "domisili"]
    assert schema["properties"]["nama_anak"]["title"] == "Nama anak"


def test_every_data_type_becomes_its_typed_field(rich_service, settings):
    settings.MPP_UPLOAD_MAX_BYTES = 1234
    schema = form_schema(rich_service.current_standard)
    props = schema["properties"]

    Draft202012Validator.check_schema(schema)
    assert "$id" not in schema
    assert props["nama"]["type"] == "string" and props["nama"]["maxLength"] == 500
    assert props["jumlah"]["type"] == "number"
    assert props["tanggal_lahir"] == {**props["tanggal_lahir"], "type": "string", "format": "date"}
    assert props["email"]["format"] == "email"
    assert props["nik"]["pattern"] == "^[0-9]{16}$"
    assert props["ponsel"]["pattern"].startswith("^(\\+62|62|0)8")
    assert props["keperluan"]["enum"] == ["Baru", "Perpanjangan"]
    assert props["ktp"]["x-mpp-kind"] == "document"
    assert props["ktp"]["x-mpp-max-bytes"] == 1234
    assert props["ktp"]["x-mpp-media-types"] == ["application/pdf", "image/jpeg"]
    assert props["pas_foto"]["contentMediaType"] == "image/png"
    assert props["pas_foto"]["description"] == "Latar belakang merah"
    assert props["domisili"] == {**props["domisili"], "type": "boolean", "const": True}
    assert "const" not in props["bersedia"]
    assert schema["required"] == [
        "ktp", "nama", "jumlah", "tanggal_lahir", "email", "ponsel", "nik", "keperluan",
        "domisili",
    ]  # fmt: skip
    assert schema["x-mpp-order"] == [r["code"] for r in rich_service.current_standard.requirements]


def test_a_complete_answer_validates(rich_service):
    schema = form_schema(rich_service.current_standard)

    assert _error_paths(schema, VALID_ANSWERS) == {}
    assert _error_paths(schema, {**VALID_ANSWERS, "ponsel": "+6281234567890"}) == {}


def test_each_wrong_answer_fails_at_its_own_property(rich_service):
    schema = form_schema(rich_service.current_standard)
    wrong = {
        **VALID_ANSWERS,
        "nama": "x" * 501,
        "jumlah": "dua",
        "tanggal_lahir": "31-01-1990",
        "email": "bukan-email",
        "ponsel": "0341 123456",
        "nik": "12345",
        "keperluan": "Hilang",
        "domisili": False,
        "lain": 1,
    }

    assert _error_paths(schema, wrong) == {
        "nama": "maxLength",
        "jumlah": "type",
        "tanggal_lahir": "format",
        "email": "format",
        "ponsel": "pattern",
        "nik": "pattern",
        "keperluan": "enum",
        "domisili": "const",
        "additionalProperties": "additionalProperties",
    }


def test_missing_mandatory_answers_are_reported_and_optional_ones_are_not(rich_service):
    schema = form_schema(rich_service.current_standard)
    answers = {k: v for k, v in VALID_ANSWERS.items() if k not in ("ktp", "domisili")}

    messages = [e.message for e in _validator(schema).iter_errors(answers)]

    assert sorted(messages) == ["'domisili' is a required property", "'ktp' is a required property"]
