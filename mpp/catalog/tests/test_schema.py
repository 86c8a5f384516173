"""The 14 components of a standard are validated before anything is stored."""

import pytest
from pydantic import ValidationError

from mpp.catalog.standard_schema import (
    COMPONENT_KEYS,
    DELIVERY_KEYS,
    MANAGEMENT_KEYS,
    StandardComponents,
    completion_minutes,
    fee_total,
)
from mpp.catalog.testing import valid_components


def error_paths(data: dict) -> set[str]:
    with pytest.raises(ValidationError) as info:
        StandardComponents.model_validate(data)
    return {".".join(str(p) for p in err["loc"]) for err in info.value.errors()}


def test_the_test_builder_components_are_valid():
    parsed = StandardComponents.model_validate(valid_components())
    assert set(parsed.model_dump()) == set(COMPONENT_KEYS)


def test_there_are_fourteen_components_split_six_delivery_and_eight_management():
    assert len(COMPONENT_KEYS) == 14
    assert DELIVERY_KEYS == (
        "requirements",
        "procedure",
        "completion_time",
        "fee",
        "products",
        "complaint_handling",
    )
    assert len(MANAGEMENT_KEYS) == 8


@pytest.mark.parametrize("key", [k for k in COMPONENT_KEYS if k != "fee"])
def test_a_missing_component_is_refused_by_name(key):
    data = valid_components()
    del data[key]
    assert key in error_paths(data)


def test_fee_may_be_left_out_and_then_the_service_is_free():
    data = valid_components()
    del data["fee"]
    assert StandardComponents.model_validate(data).fee == []


@pytest.mark.parametrize(
    "key", ["requirements", "procedure", "products", "legal_basis", "facilities"]
)
def test_an_empty_list_component_is_refused(key):
    assert key in error_paths(valid_components(**{key: []}))


@pytest.mark.parametrize("key", ["internal_supervision", "service_guarantee"])
def test_a_blank_text_component_is_refused(key):
    assert key in error_paths(valid_components(**{key: "   "}))


def test_an_unknown_top_level_key_is_refused():
    assert "warranty" in error_paths(valid_components(warranty="x"))


def test_an_unknown_key_inside_an_item_is_refused():
    data = valid_components()
    data["requirements"][0]["colour"] = "merah"
    assert "requirements.0.colour" in error_paths(data)


def test_a_negative_fee_is_refused():
    fee = [{"name": "Retribusi", "amount": -5000}]
    assert "fee.0.amount" in error_paths(valid_components(fee=fee))


def test_a_choice_datum_without_choices_is_refused():
    data = valid_components()
    data["requirements"].append(
        {"code": "status_kawin", "kind": "data", "name": "Status kawin", "data_type": "choice"}
    )
    assert "requirements.3" in error_paths(data)


def test_a_choice_datum_with_choices_is_accepted():
    data = valid_components()
    data["requirements"].append(
        {
            "code": "status_kawin",
            "kind": "data",
            "name": "Status kawin",
            "data_type": "choice",
            "choices": ["Belum kawin", "Kawin"],
        }
    )
    StandardComponents.model_validate(data)


def test_a_document_requirement_with_a_choice_data_type_but_no_choices_is_refused():
    data = valid_components()
    data["requirements"][0]["data_type"] = "choice"
    assert "requirements.0" in error_paths(data)


def test_file_types_on_a_non_document_requirement_are_refused():
    data = valid_components()
    data["requirements"][1]["file_types"] = ["pdf"]
    assert "requirements.1" in error_paths(data)


def test_an_unknown_file_type_is_refused():
    data = valid_components()
    data["requirements"][0]["file_types"] = ["exe"]
    assert "requirements.0.file_types.0" in error_paths(data)


def test_a_document_without_file_types_accepts_pdf_and_images():
    data = valid_components()
    del data["requirements"][0]["file_types"]
    parsed = StandardComponents.model_validate(data)
    assert parsed.requirements[0].file_types == ["pdf", "jpg", "png"]


def test_duplicate_requirement_codes_are_refused():
    data = valid_components()
    data["requirements"][1]["code"] = "ktp"
    assert "requirements" in error_paths(data)


@pytest.mark.parametrize("code", ["KTP", "1ktp", "ktp-el", "", "k" * 51])
def test_a_badly_formed_requirement_code_is_refused(code):
    data = valid_components()
    data["requirements"][0]["code"] = code
    assert "requirements.0.code" in error_paths(data)


@pytest.mark.parametrize("unit", ["days", "weeks", "", "Minutes"])
def test_an_unknown_time_unit_is_refused(unit):
    assert "completion_time.unit" in error_paths(
        valid_components(completion_time={"value": 3, "unit": unit})
    )


def test_a_bad_unit_inside_a_procedure_step_is_refused():
    data = valid_components()
    data["procedure"][0]["duration"]["unit"] = "jam"
    assert "procedure.0.duration.unit" in error_paths(data)


@pytest.mark.parametrize("value", [0, -1, "tiga"])
def test_a_completion_time_that_is_not_a_positive_number_is_refused(value):
    assert "completion_time.value" in error_paths(
        valid_components(completion_time={"value": value, "unit": "working_days"})
    )


def test_a_complaint_handling_without_channels_is_refused():
    assert "complaint_handling.channels" in error_paths(
        valid_components(complaint_handling={"description": "x", "channels": []})
    )


def test_officer_count_must_be_at_least_one():
    assert "officer_count.count" in error_paths(valid_components(officer_count={"count": 0}))


def test_fee_total_adds_up_the_items_and_no_items_is_free():
    assert fee_total([]) == 0
    assert fee_total(None) == 0
    assert fee_total([{"name": "A", "amount": 50_000}, {"name": "B", "amount": 0}]) == 50_000


@pytest.mark.parametrize(
    ("completion_time", "minutes"),
    [
        ({"value": 45, "unit": "minutes"}, 45),
        ({"value": 2, "unit": "hours"}, 120),
        ({"value": 3, "unit": "working_days"}, 3 * 8 * 60),
    ],
)
def test_completion_minutes_counts_a_working_day_as_eight_hours(completion_time, minutes):
    assert completion_minutes(completion_time) == minutes


def test_schema_errors_are_explained_in_indonesian():
    from mpp.catalog.services import validate_components
    from mpp.catalog.testing import valid_components
    from mpp.core.errors import ValidationFailed

    data = valid_components(completion_time={"value": 3, "unit": "weeks"}, products=[])
    data["surprise"] = "x"
    with pytest.raises(ValidationFailed) as caught:
        validate_components(data)
    errors = caught.value.errors
    assert errors["completion_time.unit"] == [
        "Harus salah satu dari: minutes, hours, working_days."
    ]
    assert errors["products"] == ["Paling sedikit 1 butir."]
    assert errors["surprise"] == ["Kolom ini tidak dikenal."]
