"""Import and export of service standards: lossless round trips, all-or-nothing refusals."""

import csv
import io as stdio
import zipfile

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from mpp.catalog import io
from mpp.catalog.models import ServiceStandard, StandardStatus
from mpp.catalog.services import validate_components
from mpp.catalog.testing import make_service, valid_components

pytestmark = pytest.mark.django_db


def rich_components() -> dict:
    """Unicode, empty optional fields, booleans both ways, numbers, choices, formulas."""
    components = valid_components(
        fee=[
            {"name": "Biaya cetak – blangko é", "amount": 15000, "legal_basis": "Perda 1/2020"},
            {"name": "Legalisir", "amount": 0, "legal_basis": ""},
        ],
        products=[{"name": "Akta Kelahiran", "description": "Baris 1\nBaris 2: Rp 10.000"}],
    )
    components["requirements"].append(
        {
            "code": "jenis",
            "kind": "data",
            "name": "Jenis permohonan",
            "mandatory": False,
            "data_type": "choice",
            "choices": ["Baru", "Ganti; rusak, hilang", "=1+1"],
        }
    )
    components["procedure"][0]["description"] = "-- mulai di loket 5 @MPP"
    components["completion_time"]["note"] = "dihitung sejak berkas lengkap"
    return validate_components(components)


def drafts() -> int:
    return ServiceStandard.objects.filter(status=StandardStatus.DRAFT).count()


def export_of(standard: ServiceStandard, fmt: str) -> bytes:
    return io.export_bytes([standard], fmt)


def problems_of(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


@pytest.fixture
def service_a(agency_a):
    return make_service(agency=agency_a, slug="akta-kelahiran", components=rich_components())


@pytest.fixture
def service_b(agency_b):
    return make_service(agency=agency_b, slug="skck")


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "csv"])
def test_export_then_import_keeps_every_component(fmt, admin_a, service_a):
    original = service_a.current_standard.components()
    data = export_of(service_a.current_standard, fmt)

    result = io.import_standards(actor=admin_a, data=data, filename=f"standar.{fmt}")

    assert result.created == ["akta-kelahiran"]
    draft = service_a.standards.get(status=StandardStatus.DRAFT)
    assert draft.components() == original
    assert draft.version == 2
    service_a.refresh_from_db()
    assert service_a.current_standard.version == 1  # the adopted version is untouched


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "csv"])
def test_round_trip_of_many_services_updates_existing_drafts(fmt, manager, agency_a, agency_b):
    first = make_service(agency=agency_a, slug="satu", components=rich_components())
    second = make_service(agency=agency_b, slug="dua")
    io.import_standards(
        actor=manager, data=export_of(first.current_standard, "yaml"), filename="a.yaml"
    )
    standards = io.exportable_standards(actor=manager)

    result = io.import_standards(
        actor=manager, data=io.export_bytes(standards, fmt), filename=f"x.{fmt}"
    )

    assert result.updated == ["satu"] and result.created == ["dua"]
    for service in (first, second):
        draft = service.standards.get(status=StandardStatus.DRAFT)
        assert draft.components() == validate_components(service.current_standard.components())


def test_booleans_accept_ya_tidak_and_true_false(admin_a, service_a):
    data = export_of(service_a.current_standard, "csv").decode()
    rows = list(csv.reader(stdio.StringIO(data)))
    header = rows[0]
    mandatory = header.index("mandatory")
    values = iter(["true", "False", "TIDAK", "Ya"])
    for row in rows[1:]:
        if row[0] == "persyaratan":
            row[mandatory] = next(values)
    buffer = stdio.StringIO()
    csv.writer(buffer).writerows(rows)

    io.import_standards(actor=admin_a, data=buffer.getvalue().encode(), filename="s.csv")

    draft = service_a.standards.get(status=StandardStatus.DRAFT)
    assert [r["mandatory"] for r in draft.requirements] == [True, False, False, True]


def test_xlsx_export_keeps_text_that_looks_like_a_formula_as_text(service_a):
    workbook = load_workbook(stdio.BytesIO(export_of(service_a.current_standard, "xlsx")))
    choices = [row[3].value for row in workbook["pilihan"].iter_rows(min_row=2)]
    assert choices == ["Baru", "Ganti; rusak, hilang", "=1+1"]
    assert all(row[3].data_type == "s" for row in workbook["pilihan"].iter_rows(min_row=2))


def test_export_of_the_draft_and_of_a_chosen_version(admin_a, service_a):
    io.import_standards(
        actor=admin_a,
        data=export_of(service_a.current_standard, "yaml").replace(b"3 working", b"3 working"),
        filename="a.yaml",
    )
    [draft] = io.exportable_standards(actor=admin_a, service_slug=service_a.slug, version="draft")
    [first] = io.exportable_standards(actor=admin_a, service_slug=service_a.slug, version=1)
    assert (draft.version, first.version) == (2, 1)


def test_export_is_limited_to_the_actors_services(admin_a, service_a, service_b):
    slugs = [s.service.slug for s in io.exportable_standards(actor=admin_a)]
    assert slugs == ["akta-kelahiran"]


# ------------------------------------------------------------------ refusals


def refused(actor, data: bytes, filename: str) -> list[str]:
    before = drafts()
    with pytest.raises(io.ImportRefused) as excinfo:
        io.import_standards(actor=actor, data=data, filename=filename)
    assert drafts() == before, "a refused file must import nothing"
    return problems_of(excinfo)


def test_bad_yaml_is_refused_with_its_line_number(admin_a, service_a):
    data = b"- service: akta-kelahiran\n  components:\n    fee: [unclosed\n    x: 1\n"
    [problem] = refused(admin_a, data, "s.yaml")
    assert "baris 4" in problem
    assert "YAML tidak sah" in problem


def test_yaml_schema_error_names_document_line_and_component_path(admin_a, service_a):
    entries = yaml.safe_load(export_of(service_a.current_standard, "yaml"))
    entries.append(dict(entries[0]))
    entries[1]["components"] = valid_components()
    entries[1]["components"]["requirements"][1]["kind"] = "dokumen"
    entries[0]["service"] = "akta-kelahiran"
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    line = 1 + next(n for n, t in enumerate(text.splitlines()) if "kind: dokumen" in t)

    problems = refused(admin_a, text.encode(), "s.yaml")

    kind_problem = next(p for p in problems if "requirements.1.kind" in p)
    assert kind_problem.startswith(f"dokumen 2, baris {line}")
    assert "document" in kind_problem  # says what is allowed


def test_yaml_aliases_are_refused(admin_a, service_a):
    data = b"- &a {service: akta-kelahiran}\n- *a\n"
    [problem] = refused(admin_a, data, "s.yaml")
    assert "alias" in problem


def xlsx_with(standard, edit) -> bytes:
    workbook = load_workbook(stdio.BytesIO(export_of(standard, "xlsx")))
    edit(workbook)
    buffer = stdio.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_bad_number_names_sheet_and_row(admin_a, service_a):
    def edit(workbook):
        workbook["biaya"]["D3"] = "lima ribu"  # amount of the second fee item, row 3

    problems = refused(admin_a, xlsx_with(service_a.current_standard, edit), "s.xlsx")

    assert problems == ["lembar 'biaya', baris 3, kolom amount: 'lima ribu' bukan bilangan bulat"]


def test_xlsx_unknown_enum_names_sheet_row_and_path(admin_a, service_a):
    def edit(workbook):
        workbook["prosedur"]["G2"] = "days"  # duration_unit of the first step

    [problem] = refused(admin_a, xlsx_with(service_a.current_standard, edit), "s.xlsx")

    assert problem.startswith("lembar 'prosedur', baris 2: procedure.0.duration.unit")


def test_xlsx_missing_column_is_refused(admin_a, service_a):
    def edit(workbook):
        workbook["biaya"].delete_cols(4)  # amount

    [problem] = refused(admin_a, xlsx_with(service_a.current_standard, edit), "s.xlsx")

    assert problem == "lembar 'biaya', baris 1: kolom wajib tidak ada: amount"


def test_all_errors_are_reported_together(admin_a, service_a):
    def edit(workbook):
        workbook["biaya"]["D2"] = "x"
        workbook["layanan"]["I2"] = "-"  # officer_count
        workbook["produk"]["C2"] = None  # product name

    problems = refused(admin_a, xlsx_with(service_a.current_standard, edit), "s.xlsx")

    assert len(problems) == 3
    assert any(p.startswith("lembar 'produk', baris 2: products.0.name") for p in problems)


def test_csv_bad_row_names_its_row(admin_a, service_a):
    lines = export_of(service_a.current_standard, "csv").decode().splitlines()
    number = next(n for n, t in enumerate(lines, start=1) if t.startswith("prosedur"))
    lines[number - 1] = lines[number - 1].replace(",10,minutes,", ",sepuluh,minutes,")

    [problem] = refused(admin_a, "\n".join(lines).encode(), "s.csv")

    assert problem.startswith(f"baris {number} (prosedur), kolom duration_value")


def test_unknown_service_is_refused(admin_a, service_a):
    data = export_of(service_a.current_standard, "yaml").replace(b"akta-kelahiran", b"tidak-ada")
    [problem] = refused(admin_a, data, "s.yaml")
    assert "layanan 'tidak-ada' tidak ditemukan" in problem


def test_another_agencys_service_reads_as_not_found(admin_a, service_a, service_b):
    data = io.export_bytes([service_a.current_standard, service_b.current_standard], "xlsx")
    [problem] = refused(admin_a, data, "s.xlsx")
    assert problem == "lembar 'layanan', baris 3: layanan 'skck' tidak ditemukan"


def test_citizen_imports_nothing(citizen, service_a):
    problems = refused(citizen, export_of(service_a.current_standard, "csv"), "s.csv")
    assert "tidak ditemukan" in problems[0]


def test_oversize_file_is_refused(admin_a, service_a):
    data = export_of(service_a.current_standard, "yaml")
    data += b"#" * (io.MAX_BYTES + 1 - len(data))
    assert refused(admin_a, data, "s.yaml") == ["Berkas lebih besar dari 2 MB."]


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.4 binary", "s.pdf"),
        (b"not a zip at all", "s.xlsx"),
        (b"\xff\xfe\x00b\x00i\x00n", "s.yaml"),
        (b"service,x\n\x00\x01", "s.csv"),
    ],
)
def test_wrong_content_type_is_refused(admin_a, service_a, data, filename):
    [problem] = refused(admin_a, data, filename)
    assert "Berkas" in problem or "berkas" in problem


def test_damaged_xlsx_is_refused(admin_a, service_a):
    buffer = stdio.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    [problem] = refused(admin_a, buffer.getvalue(), "s.xlsx")
    assert problem == "Berkas XLSX rusak atau tidak dapat dibaca."


def test_csv_with_unknown_section_names_the_row(admin_a, service_a):
    data = export_of(service_a.current_standard, "csv") + b"rahasia,akta-kelahiran\n"
    problems = refused(admin_a, data, "s.csv")
    assert problems[-1].endswith(": section tidak dikenal: 'rahasia'")


def test_xlsx_renamed_to_yaml_is_refused(admin_a, service_a):
    [problem] = refused(admin_a, export_of(service_a.current_standard, "xlsx"), "s.yaml")
    assert "zip" in problem


@pytest.mark.parametrize("filename", ["s.yaml", "s.csv", "s.xlsx"])
def test_empty_file_is_refused(admin_a, filename):
    assert refused(admin_a, b"", filename) == ["Berkas kosong."]


def test_csv_without_section_column_is_refused(admin_a):
    [problem] = refused(admin_a, b"service,name\nakta,x\n", "s.csv")
    assert problem == "baris 1: kolom wajib tidak ada: section"


# ------------------------------------------------------------------ management commands


def test_commands_export_then_import(tmp_path, admin_a, service_a, service_b):
    target = tmp_path / "standar.xlsx"
    call_command("export_standards", "--format", "xlsx", "--agency", "dispendukcapil", "-o", target)
    out = stdio.StringIO()

    call_command("import_standards", str(target), "--as", "admin_a", stdout=out)

    assert "1 draf dibuat" in out.getvalue()
    assert service_a.standards.filter(status=StandardStatus.DRAFT).count() == 1
    assert not service_b.standards.filter(status=StandardStatus.DRAFT).exists()


def test_import_command_prints_numbered_errors_and_fails(tmp_path, admin_a, service_b):
    target = tmp_path / "standar.yaml"
    call_command("export_standards", "--service", "skck", "-o", target)
    err = stdio.StringIO()

    with pytest.raises(CommandError):
        call_command("import_standards", str(target), "--as", "admin_a", stderr=err)

    assert "dokumen 1, baris 1: layanan 'skck' tidak ditemukan" in err.getvalue()
    assert drafts() == 0
