"""Load the Kota Malang demo (agencies, services with standards, demo accounts); safe to rerun."""

import time
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mpp.agencies.models import AgencyRole, CityRoleKind
from mpp.catalog.demo.loader import DemoDataError, SeedReport, load_demo

KINDS = (
    "agency",
    "maklumat",
    "category",
    "life_event",
    "service",
    "standard",
    "account",
    "totp",
)


class Command(BaseCommand):
    help = "Muat data demo MPP Kota Malang (idempoten) dan tampilkan akun demo."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="hanya akun pengelola (pelaku pemuatan); tanpa akun demo lainnya",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            report = load_demo(with_accounts=not options["no_accounts"])
        except DemoDataError as exc:
            raise CommandError(f"Data demo tidak valid: {exc}") from exc
        self._summary(report, time.monotonic() - started)
        if not options["no_accounts"]:
            from mpp.applications.demo import load_demo_applications

            made = load_demo_applications()
            if made:
                self.stdout.write(f"  application created {made}")
            # Demo opening hours, queued services and counters (mpp.queueing).
            call_command("seed_queue_demo", stdout=StringIO())
        self._accounts(report)

    def _summary(self, report: SeedReport, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Data demo MPP Kota Malang dimuat ({seconds:.1f} s).")
        )
        for kind in KINDS:
            parts = [
                f"{outcome} {report.counts[f'{kind}.{outcome}']}"
                for outcome in ("created", "updated", "unchanged")
                if report.counts[f"{kind}.{outcome}"]
            ]
            if parts:
                self.stdout.write(f"  {kind:<11} " + ", ".join(parts))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))

    def _accounts(self, report: SeedReport) -> None:
        # Citizens sign in with their e-mail (or phone); officers with their username, then
        # the TOTP code of the demo secret (add it to an authenticator app by hand).
        rows = [("masuk dengan", "password", "peran", "instansi", "TOTP (base32)")]
        for account in report.accounts:
            login = account.username if account.is_officer else account.email or account.username
            rows.append(
                (
                    login,
                    account.password,
                    _role(account),
                    account.agency or "-",
                    account.totp_secret or "-",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write("Akun demo (hanya untuk demo; jangan dipakai di produksi):")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))


def _role(account) -> str:
    if account.city_role:
        return str(CityRoleKind(account.city_role).label)
    if account.role:
        return str(AgencyRole(account.role).label)
    return account.role_label
