"""Shared pieces of the standard import/export: entries, problems, file-type checks."""

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from mpp.catalog.standard_schema import StandardComponents
from mpp.core.errors import ValidationFailed, validation_reason

MAX_BYTES = 2 * 1024 * 1024
FORMATS = ("yaml", "xlsx", "csv")
EXTENSIONS = {"yaml": "yaml", "yml": "yaml", "xlsx": "xlsx", "csv": "csv"}
CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file, with where it is (sheet and row, or line)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Entry:
    """One service standard read from a file, before it is checked against the database.

    `locate` maps a component path (a tuple such as ("requirements", 2, "kind")) to where the
    value came from, so that schema errors can name the sheet and row or the line.
    """

    service: str
    components: dict[str, Any]
    where: str
    version: int | None = None
    change_note: str = ""
    locations: dict[tuple, str] = field(default_factory=dict)
    # Paths whose cell was already reported as unreadable (no second schema error for them).
    skip: set[tuple] = field(default_factory=set)

    def locate(self, path: tuple) -> str:
        for end in range(len(path), 0, -1):
            if path[:end] in self.locations:
                return self.locations[path[:end]]
        return self.where


def schema_problems(entry: Entry) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The entry's components validated and normalised, or the problems with their places."""
    try:
        parsed = StandardComponents.model_validate(entry.components)
    except PydanticValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            if any(loc[: len(bad)] == bad for bad in entry.skip):
                continue
            path = ".".join(str(p) for p in loc) or "components"
            message = validation_reason(err)
            problems.append(Problem(entry.locate(loc), f"{path}: {message}"))
        return None, problems
    if entry.skip:
        return None, []
    return parsed.model_dump(mode="json"), []


class ImportRefused(ValidationFailed):
    """The file was refused; `problems` lists every reason with its location."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.where or "__all__", []).append(problem.message)
        super().__init__(
            _("Berkas ditolak; tidak ada yang diimpor (%(count)d kesalahan).")
            % {"count": len(problems)},
            errors=errors,
        )


def refuse(message: str, where: str = "") -> ImportRefused:
    return ImportRefused([Problem(where, message)])


def is_xlsx(data: bytes) -> bool:
    """An XLSX file is a zip holding a workbook part, whatever its name says."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def decode_text(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed); binary content is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(_("Berkas bukan teks UTF-8; simpan ulang sebagai UTF-8.")) from exc
    if "\x00" in text:
        raise refuse(_("Berkas berisi data biner, bukan teks."))
    return text


def detect_format(data: bytes, filename: str = "", fmt: str | None = None) -> str:
    """The format of an uploaded file, checked against its content; refuses wrong types."""
    if not data or not data.strip():
        raise refuse(_("Berkas kosong."))
    if len(data) > MAX_BYTES:
        raise refuse(_("Berkas lebih besar dari 2 MB."))
    if fmt is None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        fmt = EXTENSIONS.get(extension)
        if fmt is None:
            if is_xlsx(data):
                return "xlsx"
            raise refuse(_("Jenis berkas tidak dikenal; gunakan .xlsx, .csv, atau .yaml."))
    if fmt not in FORMATS:
        raise refuse(_("Format tidak dikenal: %(fmt)s.") % {"fmt": fmt})
    if fmt == "xlsx":
        if not is_xlsx(data):
            raise refuse(_("Berkas bukan XLSX yang sah (isi berkas tidak sesuai)."))
    elif data.startswith(b"PK\x03\x04"):
        raise refuse(_("Berkas berisi arsip zip, bukan teks %(fmt)s.") % {"fmt": fmt.upper()})
    return fmt


def text_cell(value: Any) -> str:
    """A spreadsheet cell as text: numbers typed into text columns keep their digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
