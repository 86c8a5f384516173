"""Create an officer account, or give an existing user another role.

Sign-up and role management arrive with the accounts issue; until then the MPP manager's
staff create officers from the command line:

    manage.py create_officer budi --agency dispendukcapil --role verifier --password ...
    manage.py create_officer siti --city-role mpp_manager
"""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mpp.agencies.models import Agency, AgencyRole, CityRole, CityRoleKind, Membership
from mpp.core.audit import audit


@dataclass
class OfficerResult:
    user: object
    created: bool
    granted: list[str] = field(default_factory=list)
    generated_password: str | None = None


@transaction.atomic
def ensure_officer(
    username: str,
    *,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    agency: Agency | None = None,
    role: str | None = None,
    city_role: str | None = None,
    reset_password: bool = True,
) -> OfficerResult:
    """Create the user if needed and make sure it holds the roles; audit every grant.

    An existing user keeps its password unless one is given and reset_password is true.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    result = OfficerResult(user=user, created=user is None)
    if user is None:
        if not password:
            password = result.generated_password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=username, password=password, email=email, full_name=full_name
        )
        result.user = user
    else:
        _refresh_profile(user, password if reset_password else None, full_name, email)
    if agency is not None and role and _grant_membership(user, agency, role):
        result.granted.append(f"{role}@{agency.slug}")
    if city_role and _grant_city_role(user, city_role):
        result.granted.append(city_role)
    return result


def _refresh_profile(user, password: str | None, full_name: str, email: str) -> None:
    changed = []
    if password:
        user.set_password(password)
        changed.append("password")
    if full_name and user.full_name != full_name:
        user.full_name = full_name
        changed.append("full_name")
    if email and user.email != email:
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)


def _grant_membership(user, agency: Agency, role: str) -> bool:
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if not created and membership.is_active:
        return False
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "modified_at"])
    audit(
        actor=None,
        action="membership.granted",
        target=membership,
        agency_id=agency.pk,
        data={"user": user.username, "role": role},
    )
    return True


def _grant_city_role(user, role: str) -> bool:
    city_role, created = CityRole.objects.get_or_create(user=user, role=role)
    if not created and city_role.is_active:
        return False
    if not city_role.is_active:
        city_role.is_active = True
        city_role.save(update_fields=["is_active", "modified_at"])
    audit(
        actor=None,
        action="city_role.granted",
        target=city_role,
        data={"user": user.username, "role": role},
    )
    return True


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
