"""Write service standards to a YAML, XLSX or CSV file (docs/adr/0005)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.catalog import io
from mpp.core.errors import MppError


class Command(BaseCommand):
    help = "Ekspor standar pelayanan (yang berlaku, atau versi tertentu) ke YAML, XLSX, atau CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=io.FORMATS, default="yaml")
        parser.add_argument("--agency", default="", help="slug instansi")
        parser.add_argument("--service", default="", help="slug layanan")
        parser.add_argument(
            "--standard-version",
            dest="standard_version",
            default=None,
            help="nomor versi atau 'draft'",
        )
        parser.add_argument("-o", "--output", required=True, help="berkas tujuan, '-' = stdout")

    def handle(self, *args, **options) -> None:
        version = options["standard_version"]
        if version not in (None, "draft"):
            if not str(version).isdigit():
                raise CommandError("--standard-version harus nomor versi atau 'draft'")
            version = int(version)
        try:
            standards = io.exportable_standards(
                agency_slug=options["agency"], service_slug=options["service"], version=version
            )
        except MppError as exc:
            raise CommandError(str(exc)) from exc
        data = io.export_bytes(standards, options["format"])
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            return
        Path(options["output"]).write_bytes(data)
        self.stderr.write(f"{len(standards)} standar ditulis ke {options['output']}")
