"""XLSX and CSV: one sheet (or CSV section) per component group, one row per item.

Sheet "layanan" holds one row per service with the scalar components; every list component
has its own sheet with a `service` column, an `order` column and one column per field. The
CSV file is the same sheets stacked in one table, told apart by a `section` column.
"""

import csv
import zipfile
from dataclasses import dataclass
from io import BytesIO, StringIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from mpp.catalog.io.common import Entry, ImportRefused, Problem, refuse, text_cell

TEXT, INT, BOOL, LIST = "text", "int", "bool", "list"
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "benar", "wajib"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "salah", "opsional"}
MAX_UNZIPPED = 50 * 1024 * 1024
CSV_ESCAPED = ("=", "+", "-", "@", "'", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple  # inside the item (list sheets) or inside the components (sheet "layanan")
    kind: str = TEXT
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    component: tuple  # where the items go; () for the sheet "layanan"
    columns: tuple[Column, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


SERVICE = Column("service", (), TEXT, True)
ORDER = Column("order", (), INT)


def _sheet(name: str, component: tuple, *columns: Column) -> Sheet:
    return Sheet(name, component, (SERVICE, ORDER, *columns))


SERVICES_SHEET = Sheet(
    "layanan",
    (),
    (
        SERVICE,
        Column("version", (), INT),
        Column("change_note", ()),
        Column("completion_time_value", ("completion_time", "value"), INT, True),
        Column("completion_time_unit", ("completion_time", "unit"), TEXT, True),
        Column("completion_time_note", ("completion_time", "note")),
        Column("complaint_handling_description", ("complaint_handling", "description")),
        Column("internal_supervision", ("internal_supervision",), TEXT, True),
        Column("officer_count", ("officer_count", "count"), INT, True),
        Column("officer_count_description", ("officer_count", "description")),
        Column("service_guarantee", ("service_guarantee",), TEXT, True),
        Column("security_guarantee", ("security_guarantee",), TEXT, True),
        Column("performance_evaluation", ("performance_evaluation",), TEXT, True),
    ),
)
LIST_SHEETS = (
    _sheet(
        "persyaratan",
        ("requirements",),
        Column("code", ("code",), TEXT, True),
        Column("kind", ("kind",), TEXT, True),
        Column("name", ("name",), TEXT, True),
        Column("description", ("description",)),
        Column("mandatory", ("mandatory",), BOOL),
        Column("file_types", ("file_types",), LIST),
        Column("data_type", ("data_type",)),
    ),
    _sheet(
        "prosedur",
        ("procedure",),
        Column("title", ("title",), TEXT, True),
        Column("description", ("description",)),
        Column("responsible", ("responsible",), TEXT, True),
        Column("duration_value", ("duration", "value"), INT, True),
        Column("duration_unit", ("duration", "unit"), TEXT, True),
    ),
    _sheet(
        "biaya",
        ("fee",),
        Column("name", ("name",), TEXT, True),
        Column("amount", ("amount",), INT, True),
        Column("legal_basis", ("legal_basis",)),
    ),
    _sheet(
        "produk",
        ("products",),
        Column("name", ("name",), TEXT, True),
        Column("description", ("description",)),
    ),
    _sheet(
        "kanal_pengaduan",
        ("complaint_handling", "channels"),
        Column("name", ("name",), TEXT, True),
        Column("contact", ("contact",)),
        Column("response_time_value", ("response_time", "value"), INT, True),
        Column("response_time_unit", ("response_time", "unit"), TEXT, True),
    ),
    _sheet(
        "dasar_hukum",
        ("legal_basis",),
        Column("title", ("title",), TEXT, True),
        Column("url", ("url",)),
    ),
    _sheet("sarana", ("facilities",), Column("name", (), TEXT, True)),
    _sheet("kompetensi", ("officer_competence",), Column("name", (), TEXT, True)),
)
# The options of a "choice" datum, tied to their requirement by its code.
CHOICES_SHEET = _sheet(
    "pilihan",
    ("choices",),
    Column("requirement", (), TEXT, True),
    Column("choice", (), TEXT, True),
)
SHEETS = (SERVICES_SHEET, *LIST_SHEETS, CHOICES_SHEET)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
OPTIONAL_SHEETS = {"biaya", "pilihan"}


def _dig(data: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _put(data: dict, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


# ---------------------------------------------------------------- export


def _export_cell(column: Column, value: Any) -> Any:
    if column.kind == BOOL:
        return "ya" if value else "tidak"
    if column.kind == LIST:
        return ", ".join(value or [])
    if value is None:
        return ""
    return value


def _rows(entries: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    """Every sheet's rows (without header) for the given export entries."""
    rows: dict[str, list[list[Any]]] = {sheet.name: [] for sheet in SHEETS}
    for entry in entries:
        slug, components = entry["service"], entry["components"]
        head = {"service": slug, "version": entry.get("version"), "change_note": ""}
        head["change_note"] = entry.get("change_note") or ""
        rows["layanan"].append(
            [
                head[c.name] if not c.path else _export_cell(c, _dig(components, c.path))
                for c in SERVICES_SHEET.columns
            ]
        )
        for sheet in LIST_SHEETS:
            for order, item in enumerate(_dig(components, sheet.component) or [], start=1):
                cells = [slug, order]
                for column in sheet.columns[2:]:
                    value = item if not column.path else _dig(item, column.path)
                    cells.append(_export_cell(column, value))
                rows[sheet.name].append(cells)
        for requirement in components.get("requirements", []):
            for order, choice in enumerate(requirement.get("choices") or [], start=1):
                rows["pilihan"].append([slug, order, requirement["code"], choice])
    return rows


def dump_xlsx(entries: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append([c.name for c in sheet.columns])
        for cell in worksheet[1]:
            cell.font = bold
        worksheet.freeze_panes = "A2"
        for row_number, cells in enumerate(_rows(entries)[sheet.name], start=2):
            for column_number, value in enumerate(cells, start=1):
                cell = worksheet.cell(row=row_number, column=column_number)
                if isinstance(value, str):
                    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    cell.data_type = "s"  # text starting with "=" stays text, not a formula
                else:
                    cell.value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_header() -> list[str]:
    names = ["section"]
    for sheet in SHEETS:
        names += [c.name for c in sheet.columns if c.name not in names]
    return names


def dump_csv(entries: list[dict[str, Any]]) -> bytes:
    header = _csv_header()
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    rows = _rows(entries)
    for sheet in SHEETS:
        for cells in rows[sheet.name]:
            record = dict.fromkeys(header, "")
            record["section"] = sheet.name
            for column, value in zip(sheet.columns, cells, strict=True):
                if isinstance(value, str) and value.startswith(CSV_ESCAPED):
                    value = "'" + value  # spreadsheet apps must not run it as a formula
                record[column.name] = value
            writer.writerow(record.values())
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------- import


@dataclass
class Row:
    sheet: Sheet
    where: str
    cells: dict[str, Any]


def _read_xlsx(data: bytes) -> tuple[list[Row], list[Problem]]:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise refuse(_("Isi XLSX terlalu besar setelah diekstrak."))
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as exc:  # any parser failure on an uploaded file is the file's fault
        raise refuse(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        present = set(workbook.sheetnames)
        for sheet in SHEETS:
            if sheet.name not in present:
                if sheet.name not in OPTIONAL_SHEETS:
                    problems.append(
                        Problem("", _("lembar '%(sheet)s' tidak ada.") % {"sheet": sheet.name})
                    )
                continue
            values = workbook[sheet.name].iter_rows(values_only=True)
            header = [text_cell(v).lower() for v in next(values, ())]
            missing = [name for name in sheet.required if name not in header]
            if missing:
                problems.append(_missing_columns(_sheet_row(sheet.name, 1), missing))
                continue
            for number, values_row in enumerate(values, start=2):
                cells = dict(zip(header, values_row, strict=False))
                if any(text_cell(v) for v in values_row):
                    rows.append(Row(sheet, _sheet_row(sheet.name, number), cells))
    except Exception as exc:  # a damaged sheet is the file's fault, never a server error
        raise refuse(_("Berkas XLSX rusak atau tidak dapat dibaca.")) from exc
    finally:
        workbook.close()
    return rows, problems


def _sheet_row(sheet: str, number: int) -> str:
    return _("lembar '%(sheet)s', baris %(row)d") % {"sheet": sheet, "row": number}


def _missing_columns(where: str, missing: list[str]) -> Problem:
    return Problem(where, _("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})


def _read_csv(text: str) -> tuple[list[Row], list[Problem]]:
    reader = csv.reader(StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if "section" not in header:
            raise refuse(_("kolom wajib tidak ada: section"), _("baris %(row)d") % {"row": 1})
        rows: list[Row] = []
        problems: list[Problem] = []
        reported: set[str] = set()
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            cells = {k: _unescape(v) for k, v in zip(header, values, strict=False)}
            where = _("baris %(row)d") % {"row": number}
            sheet = SHEETS_BY_NAME.get(cells.get("section", "").strip())
            if sheet is None:
                message = _("section tidak dikenal: '%(s)s'") % {"s": cells.get("section")}
                problems.append(Problem(where, message))
                continue
            missing = [name for name in sheet.required if name not in header]
            if missing:
                if sheet.name not in reported:
                    reported.add(sheet.name)
                    problems.append(_missing_columns(_("baris %(row)d") % {"row": 1}, missing))
                continue
            rows.append(Row(sheet, f"{where} ({sheet.name})", cells))
    except csv.Error as exc:
        raise refuse(_("CSV tidak sah: %(e)s") % {"e": exc}) from exc
    return rows, problems


def _unescape(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _convert(column: Column, raw: Any) -> tuple[Any, str | None]:
    """A cell's value for the schema, or an error message; None means "left empty"."""
    if column.kind == INT:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw, None
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        text = text_cell(raw)
        if not text:
            return None, None
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text), None
        return None, _("'%(v)s' bukan bilangan bulat") % {"v": text}
    if column.kind == BOOL and isinstance(raw, bool):
        return raw, None
    text = text_cell(raw)
    if not text:
        return None, None
    if column.kind == BOOL:
        word = text.lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS, None
        return None, _("'%(v)s' bukan ya/tidak") % {"v": text}
    if column.kind == LIST:
        parts = text.replace(";", ",").split(",")
        return [p.strip().lower() for p in parts if p.strip()], None
    return text, None


def _values(row: Row) -> tuple[dict[str, Any], list[Problem]]:
    values, problems = {}, []
    for column in row.sheet.columns:
        value, error = _convert(column, row.cells.get(column.name))
        if error:
            where = f"{row.where}, " + _("kolom %(col)s") % {"col": column.name}
            problems.append(Problem(where, error))
            values[column.name] = _BAD
        elif value is not None:
            values[column.name] = value
    return values, problems


_BAD = object()


def _empty_components() -> dict[str, Any]:
    return {
        "requirements": [],
        "procedure": [],
        "fee": [],
        "products": [],
        "complaint_handling": {"channels": []},
        "legal_basis": [],
        "facilities": [],
        "officer_competence": [],
    }


def _entries(rows: list[Row], problems: list[Problem]) -> list[Entry]:
    entries: dict[str, Entry] = {}
    skipped: list[tuple[Row, dict[str, Any]]] = []
    for row in rows:
        values, cell_problems = _values(row)
        problems.extend(cell_problems)
        slug = values.get("service")
        if not isinstance(slug, str):
            problems.append(Problem(row.where, _("kolom service kosong")))
            continue
        if row.sheet is not SERVICES_SHEET:
            skipped.append((row, values))
            continue
        if slug in entries:
            problems.append(Problem(row.where, _("layanan '%(s)s' muncul dua kali") % {"s": slug}))
            continue
        entry = Entry(service=slug, components=_empty_components(), where=row.where)
        entry.version = values.get("version") if values.get("version") is not _BAD else None
        entry.change_note = values.get("change_note", "")
        for column in SERVICES_SHEET.columns:
            if column.path and column.name in values:
                _set(entry, column.path, values[column.name])
        entries[slug] = entry
    items = sorted(skipped, key=lambda rv: (SHEETS.index(rv[0].sheet), _order(rv[1])))
    for row, values in items:
        entry = entries.get(values["service"])
        if entry is None:
            message = _("layanan '%(s)s' tidak ada di lembar 'layanan'") % {"s": values["service"]}
            problems.append(Problem(row.where, message))
        elif row.sheet is CHOICES_SHEET:
            _add_choice(entry, row, values, problems)
        else:
            _add_item(entry, row, values)
    return list(entries.values())


def _order(values: dict[str, Any]) -> float:
    order = values.get("order")
    return order if isinstance(order, int) else float("inf")


def _set(entry: Entry, path: tuple, value: Any) -> None:
    if value is _BAD:
        entry.skip.add(path)
    else:
        _put(entry.components, path, value)


def _add_item(entry: Entry, row: Row, values: dict[str, Any]) -> None:
    items = _dig(entry.components, row.sheet.component)
    index = len(items)
    path = (*row.sheet.component, index)
    entry.locations[path] = row.where
    columns = row.sheet.columns[2:]
    if len(columns) == 1 and not columns[0].path:  # a list of plain texts
        items.append(values.get(columns[0].name, ""))
        if values.get(columns[0].name) is _BAD:
            entry.skip.add(path)
        return
    item: dict[str, Any] = {}
    items.append(item)
    for column in columns:
        if column.name in values:
            if values[column.name] is _BAD:
                entry.skip.add((*path, *column.path))
            else:
                _put(item, column.path, values[column.name])


def _add_choice(entry: Entry, row: Row, values: dict[str, Any], problems: list[Problem]) -> None:
    code = values.get("requirement")
    requirements = entry.components["requirements"]
    index = next((i for i, r in enumerate(requirements) if r.get("code") == code), None)
    if index is None:
        message = _("persyaratan dengan kode '%(c)s' tidak ada") % {"c": code}
        problems.append(Problem(row.where, message))
        return
    choices = requirements[index].setdefault("choices", [])
    entry.locations[("requirements", index, "choices", len(choices))] = row.where
    choices.append(values.get("choice", ""))


def parse_xlsx(data: bytes) -> tuple[list[Entry], list[Problem]]:
    rows, problems = _read_xlsx(data)
    return _entries(rows, problems), problems


def parse_csv(text: str) -> tuple[list[Entry], list[Problem]]:
    rows, problems = _read_csv(text)
    return _entries(rows, problems), problems
