"""Import service standards from a file as drafts, acting as a given user (docs/adr/0005)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mpp.catalog import io
from mpp.core.errors import MppError


class Command(BaseCommand):
    help = (
        "Impor standar pelayanan dari XLSX, CSV, atau YAML menjadi draf. Semua atau tidak sama "
        "sekali: jika ada kesalahan, tidak ada yang diimpor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", required=True, help="pengguna yang bertindak")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Pengguna tidak ditemukan: {options['username']}")
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                data = handle.read(io.MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        try:
            result = io.import_standards(actor=user, data=data, filename=path.name)
        except io.ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from exc
        except MppError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{len(result.created)} draf dibuat, {len(result.updated)} draf diperbarui."
        )
