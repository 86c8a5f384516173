"""Officers and roles: invitations by e-mail, role changes, deactivation, and their record."""

import datetime as dt
import json
import re
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from mpp.accounts.models import OfficerInvitation
from mpp.accounts.services import officers as svc
from mpp.accounts.testing import verified_login
from mpp.agencies.models import AgencyRole, Membership
from mpp.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mpp.core.models import AuditRecord

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
NEW_EMAIL = "sari.petugas@malangkota.go.id"
PASSWORD = "Lonceng-Merdeka-2026"


@pytest.fixture(autouse=True)
def frozen_clock():
    # Ticking: the local SMTP server's event loop needs a moving clock.
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA)) as t:
        yield t


def invite(actor, agency, email=NEW_EMAIL, role=AgencyRole.VERIFIER):
    return svc.officer_invite(actor=actor, agency=agency, email=email, role=role)


def link_in(body: str) -> str:
    url = re.search(r"https?://\S+/akun/undangan/\S+/", body).group(0)
    return urlparse(url).path


@pytest.fixture
def invitation_link(admin_a, agency_a, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin_a, agency_a)
    return link_in(smtp_server.bodies_to(NEW_EMAIL)[-1])


def accept(client, link, full_name="Sari Wulandari", password=PASSWORD, again=None):
    return client.post(
        link,
        {"full_name": full_name, "password": password, "password_again": again or password},
    )


def audit_json() -> str:
    return json.dumps(list(AuditRecord.objects.values("actor_label", "data")), default=str)


# --- invitations end to end ------------------------------------------------------------


def test_an_admin_invites_an_officer_who_accepts_through_the_emailed_link(
    client, admin_a, agency_a, smtp_server, django_capture_on_commit_callbacks
):
    verified_login(client, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:officer_invite", args=[agency_a.slug]),
            {"email": NEW_EMAIL, "role": "verifier"},
        )
    assert response.status_code == 302
    [mail] = [m for m in smtp_server.messages if NEW_EMAIL in m["To"]]
    assert agency_a.name in mail["Subject"]
    body = smtp_server.bodies_to(NEW_EMAIL)[0]
    assert "Verifikator" in body and agency_a.name in body
    link = link_in(body)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "s***@malangkota.go.id" in page.content.decode()
    response = accept(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:dashboard")
    officer = get_user_model().objects.get(email=NEW_EMAIL)
    assert officer.full_name == "Sari Wulandari"
    assert officer.check_password(PASSWORD)
    assert officer.email_verified_at is not None
    assert Membership.objects.filter(
        user=officer, agency=agency_a, role="verifier", is_active=True
    ).exists()
    assert int(client.session["_auth_user_id"]) == officer.pk
    actions = list(AuditRecord.objects.filter(agency_id=agency_a.pk).values_list("action", "actor"))
    assert ("officer.invited", admin_a.pk) in actions
    assert ("officer.invitation_accepted", officer.pk) in actions
    assert ("membership.granted", officer.pk) in actions
    assert NEW_EMAIL not in audit_json() and "@" not in audit_json()


def test_only_a_hash_of_the_token_is_stored(invitation_link):
    token = invitation_link.rstrip("/").rsplit("/", 1)[1]
    invitation = OfficerInvitation.objects.get()
    assert invitation.token_hash == svc.token_hash(token) != token
    assert token not in json.dumps(list(OfficerInvitation.objects.values()), default=str)
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - dt.timedelta(days=7)) < dt.timedelta(seconds=5)


def test_an_expired_link_says_so_and_creates_nothing(client, invitation_link, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=7, seconds=1))

    response = accept(client, invitation_link)

    assert response.status_code == 410
    assert "kedaluwarsa" in response.content.decode()
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_a_used_link_cannot_be_used_again(client, invitation_link):
    accept(client, invitation_link)
    client.logout()

    response = accept(client, invitation_link, full_name="Orang Lain")

    assert response.status_code == 410
    assert "sudah dipakai" in response.content.decode()
    assert get_user_model().objects.filter(email=NEW_EMAIL).count() == 1
    with pytest.raises(svc.InvitationUnusable, match="sudah dipakai"):
        svc.invitation_accept(token=invitation_link.split("/")[-2], password=PASSWORD)


def test_a_revoked_link_says_so(client, admin_a, invitation_link):
    svc.invitation_revoke(actor=admin_a, invitation=OfficerInvitation.objects.get())

    response = client.get(invitation_link)

    assert response.status_code == 410
    assert "dibatalkan" in response.content.decode()
    assert AuditRecord.objects.filter(action="officer.invitation_revoked").count() == 1


def test_an_unknown_link_reads_as_not_found(client, db):
    response = client.get(reverse("accounts:invitation_accept", args=["tidak-ada"]))
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_a_weak_password_is_refused_with_its_reason(client, invitation_link):
    response = accept(client, invitation_link, password="12345678")

    assert response.status_code == 400
    assert 'id="id_password_error"' in response.content.decode()
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()
    assert OfficerInvitation.objects.get().accepted_at is None


def test_passwords_that_differ_are_refused(client, invitation_link):
    response = accept(client, invitation_link, again="Lonceng-Merdeka-2027")
    assert response.status_code == 400
    assert "tidak sama" in response.content.decode()


def test_a_missing_name_is_refused(client, invitation_link):
    response = accept(client, invitation_link, full_name="   ")
    assert response.status_code == 400
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_an_existing_account_signs_in_first_then_gets_the_role(
    client, make_user, invitation_link, agency_a
):
    existing = make_user("sari", email=NEW_EMAIL.upper())

    response = client.get(invitation_link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    with pytest.raises(svc.SignInRequired):
        svc.invitation_accept(
            token=invitation_link.split("/")[-2], full_name="X", password=PASSWORD
        )

    verified_login(client, existing)
    assert client.get(invitation_link).status_code == 200
    response = client.post(invitation_link)

    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact=NEW_EMAIL).count() == 1
    assert Membership.objects.filter(user=existing, agency=agency_a, role="verifier").exists()


def test_someone_signed_in_with_another_account_is_asked_to_sign_out(
    client, citizen, invitation_link
):
    verified_login(client, citizen)

    page = client.get(invitation_link)
    client.post(invitation_link, {"full_name": "X", "password": PASSWORD})

    assert "Keluar dahulu" in page.content.decode()
    assert not Membership.objects.filter(user=citizen).exists()
    assert OfficerInvitation.objects.get().accepted_at is None


# --- invitation rules ------------------------------------------------------------------


def test_an_admin_cannot_invite_an_agency_admin(admin_a, agency_a):
    with pytest.raises(PermissionDenied):
        invite(admin_a, agency_a, role=AgencyRole.AGENCY_ADMIN)
    assert not OfficerInvitation.objects.exists()


def test_the_manager_invites_agency_admins(
    manager, agency_b, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager, agency_b, email="kepala@polresta.example", role=AgencyRole.AGENCY_ADMIN)
    assert "Admin instansi" in smtp_server.bodies_to("kepala@polresta.example")[0]


@pytest.mark.parametrize("email", ["", "bukan-email", "a@b", "x" * 250 + "@contoh.id"])
def test_an_invalid_address_is_refused(admin_a, agency_a, email):
    with pytest.raises(ValidationFailed) as exc:
        invite(admin_a, agency_a, email=email)
    assert "email" in exc.value.errors


def test_an_unknown_role_is_refused(admin_a, agency_a):
    with pytest.raises(ValidationFailed, match="Peran tidak dikenal"):
        invite(admin_a, agency_a, role="kepala_dinas")


def test_a_second_invitation_while_one_is_pending_is_refused(admin_a, agency_a):
    invite(admin_a, agency_a)
    with pytest.raises(Conflict, match="masih berlaku"):
        invite(admin_a, agency_a, email=NEW_EMAIL.upper())


def test_after_expiry_a_new_invitation_may_be_sent(admin_a, agency_a, frozen_clock):
    invite(admin_a, agency_a)
    frozen_clock.shift(dt.timedelta(days=8))
    invite(admin_a, agency_a)
    assert OfficerInvitation.objects.count() == 2


def test_someone_who_already_holds_the_role_is_not_invited(admin_a, agency_a, verifier_a):
    verifier_a.email = "verif@contoh.id"
    verifier_a.save()
    with pytest.raises(Conflict, match="sudah memegang"):
        invite(admin_a, agency_a, email="verif@contoh.id")


def test_an_accepted_invitation_cannot_be_revoked(client, admin_a, invitation_link):
    accept(client, invitation_link)
    with pytest.raises(Conflict, match="sudah diterima"):
        svc.invitation_revoke(actor=admin_a, invitation=OfficerInvitation.objects.get())


def test_the_invite_form_shows_a_bad_address_beside_the_field(client, admin_a, agency_a):
    verified_login(client, admin_a)
    response = client.post(
        reverse("accounts:officer_invite", args=[agency_a.slug]),
        {"email": "bukan-email", "role": "verifier"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert not OfficerInvitation.objects.exists()


def test_the_invite_form_offers_an_admin_no_admin_role(client, admin_a, manager, agency_a):
    verified_login(client, admin_a)
    url = reverse("accounts:officer_invite", args=[agency_a.slug])
    assert 'value="agency_admin"' not in client.get(url).content.decode()
    response = client.post(url, {"email": NEW_EMAIL, "role": "agency_admin"})
    assert response.status_code == 400
    assert not OfficerInvitation.objects.exists()
    verified_login(client, manager)
    assert 'value="agency_admin"' in client.get(url).content.decode()


# --- roles -----------------------------------------------------------------------------


@pytest.fixture
def membership_va(verifier_a):
    return Membership.objects.get(user=verifier_a)


def test_a_role_change_is_recorded(admin_a, membership_va):
    svc.membership_set_role(actor=admin_a, membership=membership_va, role=AgencyRole.APPROVER)

    membership_va.refresh_from_db()
    assert membership_va.role == "approver"
    record = AuditRecord.objects.get(action="membership.role_changed")
    assert record.actor == admin_a
    assert record.agency_id == membership_va.agency_id
    assert record.data == {"user": membership_va.user_id, "from": "verifier", "to": "approver"}


def test_deactivation_and_reactivation_are_recorded(admin_a, membership_va, agency_a):
    from mpp.agencies.permissions import agency_ids_for

    svc.membership_deactivate(actor=admin_a, membership=membership_va)
    assert agency_ids_for(membership_va.user) == set()
    with pytest.raises(Conflict, match="sudah nonaktif"):
        svc.membership_deactivate(actor=admin_a, membership=membership_va)

    svc.membership_reactivate(actor=admin_a, membership=membership_va)
    assert agency_ids_for(membership_va.user) == {agency_a.pk}
    actions = AuditRecord.objects.filter(actor=admin_a).values_list("action", flat=True)
    assert list(actions) == ["membership.deactivated", "membership.reactivated"]


def test_giving_the_same_role_again_is_refused(admin_a, membership_va):
    with pytest.raises(Conflict, match="sudah memegang"):
        svc.membership_set_role(actor=admin_a, membership=membership_va, role="verifier")


def test_an_admin_cannot_promote_an_officer_to_admin(admin_a, membership_va):
    with pytest.raises(PermissionDenied):
        svc.membership_set_role(actor=admin_a, membership=membership_va, role="agency_admin")
    membership_va.refresh_from_db()
    assert membership_va.role == "verifier"


def test_an_admin_cannot_demote_or_deactivate_an_admin(admin_a, make_user, agency_a):
    other = Membership.objects.create(
        user=make_user("admin_a2"), agency=agency_a, role=AgencyRole.AGENCY_ADMIN
    )
    own = Membership.objects.get(user=admin_a)
    for membership in (other, own):
        with pytest.raises(PermissionDenied):
            svc.membership_deactivate(actor=admin_a, membership=membership)
        with pytest.raises(PermissionDenied):
            svc.membership_set_role(actor=admin_a, membership=membership, role="verifier")
    assert Membership.objects.filter(role="agency_admin", is_active=True).count() == 2


def test_nobody_removes_their_own_last_admin_role(manager, agency_a):
    own = Membership.objects.create(user=manager, agency=agency_a, role=AgencyRole.AGENCY_ADMIN)
    with pytest.raises(Conflict, match="sendiri"):
        svc.membership_deactivate(actor=manager, membership=own)
    with pytest.raises(Conflict, match="sendiri"):
        svc.membership_set_role(actor=manager, membership=own, role="verifier")
    own.refresh_from_db()
    assert own.is_active and own.role == "agency_admin"


def test_the_manager_manages_agency_admins(manager, admin_b):
    membership = Membership.objects.get(user=admin_b)
    svc.membership_set_role(actor=manager, membership=membership, role="approver")
    svc.membership_deactivate(actor=manager, membership=membership)
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("approver", False)


def test_another_agencys_membership_reads_as_not_found(admin_b, membership_va):
    with pytest.raises(NotFound):
        svc.membership_for(actor=admin_b, membership_id=membership_va.pk)


# --- pages -----------------------------------------------------------------------------


def test_the_list_shows_roles_status_and_masked_addresses(
    client, admin_a, verifier_a, agency_a, make_user
):
    verifier_a.email, verifier_a.full_name = "siti.rahma@malangkota.go.id", "Siti Rahma"
    verifier_a.save()
    svc.officer_invite(actor=admin_a, agency=agency_a, email="budi@contoh.id", role="approver")
    verified_login(client, admin_a)

    html = client.get(reverse("accounts:agency_officers", args=[agency_a.slug])).content.decode()

    assert "Siti Rahma" in html and "s***@malangkota.go.id" in html
    assert "siti.rahma@" not in html and "budi@" not in html
    assert "b***@contoh.id" in html and "Penyetuju" in html and "Verifikator" in html


def test_an_admin_of_one_agency_goes_straight_to_it(client, admin_a, agency_a):
    verified_login(client, admin_a)
    response = client.get(reverse("accounts:officers"))
    assert response["Location"] == reverse("accounts:agency_officers", args=[agency_a.slug])


def test_the_manager_chooses_an_agency(client, manager, agency_a, agency_b):
    verified_login(client, manager)
    html = client.get(reverse("accounts:officers")).content.decode()
    assert agency_a.name in html and agency_b.name in html


def test_anonymous_visitors_are_sent_to_sign_in(client, agency_a):
    response = client.get(reverse("accounts:agency_officers", args=[agency_a.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["citizen", "auditor", "verifier_a"])
def test_people_who_manage_no_officers_are_refused(client, request, persona, agency_a):
    verified_login(client, request.getfixturevalue(persona))
    for name in ("officers", "agency_officers"):
        args = [agency_a.slug] if name != "officers" else []
        assert client.get(reverse(f"accounts:{name}", args=args)).status_code == 403


def test_another_agencys_pages_read_as_not_found(client, admin_b, agency_a, membership_va):
    verified_login(client, admin_b)
    urls = [
        reverse("accounts:agency_officers", args=[agency_a.slug]),
        reverse("accounts:officer_history", args=[agency_a.slug]),
        reverse("accounts:officer_deactivate", args=[agency_a.slug, membership_va.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[2]).status_code == 404
    membership_va.refresh_from_db()
    assert membership_va.is_active


def test_a_membership_under_the_wrong_agency_slug_reads_as_not_found(
    client, manager, agency_b, membership_va
):
    verified_login(client, manager)
    url = reverse("accounts:officer_role", args=[agency_b.slug, membership_va.pk])
    assert client.get(url).status_code == 404


def test_deactivation_asks_for_confirmation_then_posts(client, admin_a, agency_a, membership_va):
    verified_login(client, admin_a)
    url = reverse("accounts:officer_deactivate", args=[agency_a.slug, membership_va.pk])

    page = client.get(url)
    membership_va.refresh_from_db()
    assert page.status_code == 200 and membership_va.is_active
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()

    assert client.post(url).status_code == 302
    membership_va.refresh_from_db()
    assert not membership_va.is_active


def test_deactivation_needs_the_csrf_token(admin_a, agency_a, membership_va):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    verified_login(client, admin_a)
    url = reverse("accounts:officer_deactivate", args=[agency_a.slug, membership_va.pk])
    assert client.post(url).status_code == 403
    membership_va.refresh_from_db()
    assert membership_va.is_active


def test_the_role_page_changes_the_role(client, admin_a, agency_a, membership_va):
    verified_login(client, admin_a)
    url = reverse("accounts:officer_role", args=[agency_a.slug, membership_va.pk])
    assert client.post(url, {"role": "front_desk"}).status_code == 302
    membership_va.refresh_from_db()
    assert membership_va.role == "front_desk"
    assert client.post(url, {"role": "nonsense"}).status_code == 400


def test_the_revoke_page_revokes(client, admin_a, agency_a):
    invitation = svc.officer_invite(
        actor=admin_a, agency=agency_a, email=NEW_EMAIL, role="verifier"
    )
    verified_login(client, admin_a)
    url = reverse("accounts:invitation_revoke", args=[agency_a.slug, invitation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 400
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_the_history_page_lists_role_changes(client, admin_a, agency_a, membership_va):
    svc.membership_set_role(actor=admin_a, membership=membership_va, role="approver")
    verified_login(client, admin_a)

    html = client.get(reverse("accounts:officer_history", args=[agency_a.slug])).content.decode()

    assert "Peran diubah" in html and "Verifikator → Penyetuju" in html
    assert membership_va.user.display_name() in html
