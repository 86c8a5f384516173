"""compare_standards: what changed between two versions, per component, on plain data."""

from mpp.catalog.diff import compare_standards
from mpp.catalog.standard_schema import COMPONENT_KEYS
from mpp.catalog.testing import valid_components


def changes_of(old: dict, new: dict) -> dict:
    return {change.key: change for change in compare_standards(old, new)}


def kinds(change) -> list[str]:
    return [item.kind for item in change.items]


def test_identical_versions_have_no_changes_and_all_14_components_in_order():
    result = compare_standards(valid_components(), valid_components())
    assert [c.key for c in result] == list(COMPONENT_KEYS)
    assert not any(c.has_changes for c in result)
    assert [c.group for c in result] == ["delivery"] * 6 + ["management"] * 8


def test_added_removed_and_changed_requirements_are_matched_by_code():
    old = valid_components()
    new = valid_components()
    new["requirements"] = [
        {**old["requirements"][0], "mandatory": False},  # ktp: changed
        old["requirements"][1],  # nama_anak: same
        {"code": "kk", "kind": "document", "name": "Kartu Keluarga", "file_types": ["pdf"]},
    ]  # domisili removed
    change = changes_of(old, new)["requirements"]
    assert sorted(kinds(change)) == ["added", "changed", "removed"]
    by_kind = {item.kind: item for item in change.items}
    assert by_kind["added"].new == "Kartu Keluarga (Dokumen, wajib, PDF)"
    assert by_kind["removed"].old.startswith("Berdomisili di Kota Malang (Ketentuan")
    assert "wajib" in by_kind["changed"].old and "opsional" in by_kind["changed"].new


def test_fee_from_free_to_paid_shows_amount_and_legal_basis():
    new = valid_components(fee=[{"name": "PNBP", "amount": 30000, "legal_basis": "PP 76/2020"}])
    change = changes_of(valid_components(), new)["fee"]
    assert change.items[0].kind == "added"
    assert change.items[0].new == "PNBP: Rp 30.000 (PP 76/2020)"


def test_changed_fee_amount_is_a_change_not_add_and_remove():
    old = valid_components(fee=[{"name": "PNBP", "amount": 30000}])
    new = valid_components(fee=[{"name": "PNBP", "amount": 35000}])
    (item,) = changes_of(old, new)["fee"].items
    assert (item.kind, item.old, item.new) == ("changed", "PNBP: Rp 30.000", "PNBP: Rp 35.000")


def test_completion_time_change_is_described_in_words():
    new = valid_components(completion_time={"value": 15, "unit": "minutes"})
    (item,) = changes_of(valid_components(), new)["completion_time"].items
    assert (item.kind, item.old, item.new) == ("changed", "3 hari kerja", "15 menit")


def test_procedure_step_change_and_reordering():
    old = valid_components()
    first, second = old["procedure"]
    slower = {**second, "duration": {"value": 2, "unit": "working_days"}}
    change = changes_of(old, valid_components(procedure=[slower, first]))["procedure"]
    assert kinds(change) == ["changed", "changed"]
    assert "1 hari kerja" in change.items[0].old and "2 hari kerja" in change.items[0].new
    assert change.items[1].old == "Urutan: Pengajuan berkas → Verifikasi"
    assert change.items[1].new == "Urutan: Verifikasi → Pengajuan berkas"


def test_text_and_list_management_components():
    new = valid_components(
        facilities=["Ruang tunggu", "Ruang laktasi"],
        service_guarantee="Uang kembali bila terlambat.",
        officer_count={"count": 6, "description": "6 petugas loket"},
    )
    result = changes_of(valid_components(), new)
    facilities = {(i.kind, i.old or i.new) for i in result["facilities"].items}
    assert facilities == {("removed", "Kursi roda"), ("added", "Ruang laktasi")}
    assert result["service_guarantee"].items[0].new == "Uang kembali bila terlambat."
    assert result["officer_count"].items[0].old == "4 — 4 petugas loket"
    assert not result["legal_basis"].has_changes


def test_complaint_channel_response_time_change():
    new = valid_components()
    new["complaint_handling"] = {
        **new["complaint_handling"],
        "channels": [
            {
                "name": "SP4N-LAPOR!",
                "contact": "lapor.go.id",
                "response_time": {"value": 3, "unit": "working_days"},
            }
        ],
    }
    (item,) = changes_of(valid_components(), new)["complaint_handling"].items
    assert item.kind == "changed" and "3 hari kerja" in item.new and "5 hari kerja" in item.old


def test_accepts_objects_with_components_method():
    class Version:
        def __init__(self, data: dict) -> None:
            self.data = data

        def components(self) -> dict:
            return self.data

    new = valid_components(products=[{"name": "Akta Kelahiran"}, {"name": "KIA"}])
    result = changes_of(Version(valid_components()), Version(new))
    assert result["products"].items[0].new == "KIA"


def test_missing_components_in_old_data_count_as_added():
    old = {key: value for key, value in valid_components().items() if key != "products"}
    result = changes_of(old, valid_components())
    assert kinds(result["products"]) == ["added"]
