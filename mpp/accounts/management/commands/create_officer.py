"""Create an officer account, or give an existing user another role.

The first MPP manager and agency admins are created here; after that officers are invited
from /kelola/petugas/ (mpp.accounts.services.officers):

    manage.py create_officer budi --agency dispendukcapil --role verifier --password ...
    manage.py create_officer siti --city-role mpp_manager
"""

from django.core.management.base import BaseCommand, CommandError

from mpp.accounts.services.officers import OfficerResult, ensure_officer
from mpp.agencies.models import Agency, AgencyRole, CityRoleKind

__all__ = ["Command", "OfficerResult", "ensure_officer"]


class Command(BaseCommand):
    help = "Buat akun petugas atau tambahkan peran pada pengguna yang sudah ada."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--agency", help="slug instansi (wajib bersama --role)")
        parser.add_argument("--role", choices=AgencyRole.values, help="peran di instansi")
        parser.add_argument("--city-role", choices=CityRoleKind.values, help="peran tingkat kota")
        parser.add_argument(
            "--password", help="kata sandi; dibuat acak untuk akun baru jika kosong"
        )
        parser.add_argument("--full-name", default="", help="nama lengkap")
        parser.add_argument("--email", default="", help="alamat e-mail")

    def handle(self, *args, **options) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("Nama pengguna wajib diisi.")
        role, city_role = options["role"], options["city_role"]
        if not role and not city_role:
            raise CommandError("Sebutkan --role (bersama --agency) atau --city-role.")
        if bool(role) != bool(options["agency"]):
            raise CommandError("--role dan --agency harus dipakai bersama.")
        agency = _agency(options["agency"]) if options["agency"] else None
        result = ensure_officer(
            username,
            password=options["password"],
            full_name=options["full_name"],
            email=options["email"],
            agency=agency,
            role=role,
            city_role=city_role,
        )
        self._report(result)

    def _report(self, result: OfficerResult) -> None:
        username = result.user.username
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Akun '{username}' dibuat."))
        else:
            self.stdout.write(f"Akun '{username}' sudah ada.")
        if result.generated_password:
            self.stdout.write(f"Kata sandi awal (simpan sekarang): {result.generated_password}")
        if result.granted:
            self.stdout.write(self.style.SUCCESS("Peran ditambahkan: " + ", ".join(result.granted)))
        else:
            self.stdout.write("Peran sudah dimiliki; tidak ada perubahan peran.")


def _agency(slug: str) -> Agency:
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        known = ", ".join(Agency.objects.order_by("slug").values_list("slug", flat=True)[:30])
        raise CommandError(
            f"Instansi '{slug}' tidak ditemukan."
            + (f" Instansi yang ada: {known}" if known else "")
        )
    if not agency.is_active:
        raise CommandError(f"Instansi '{slug}' tidak aktif.")
    return agency
