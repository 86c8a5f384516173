import io
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from mpp.catalog.testing import make_agency
from mpp.documents import signing

pytestmark = pytest.mark.django_db


def _root(signing_dir):
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(str(signing_dir / signing.ROOT_CERT))


def test_agency_certificate_names_the_agency_and_chains_to_the_local_root(agency_a, signing_dir):
    signer = signing.signer_for(agency_a)

    assert "Dinas Kependudukan" in signer.signing_cert.subject.human_friendly
    root = _root(signing_dir)
    assert signer.signing_cert.issuer == root.subject
    assert any(cert.subject == root.subject for cert in signer.cert_registry)


def test_keys_are_created_once_and_reused(agency_a, signing_dir):
    first = signing.signer_for(agency_a).signing_cert
    root_before = (signing_dir / signing.ROOT_CERT).read_bytes()

    second = signing.signer_for(agency_a).signing_cert
    signing.signer_for(make_agency(slug="kedua", name="Dinas Kedua"))

    assert first.dump() == second.dump()
    assert (signing_dir / signing.ROOT_CERT).read_bytes() == root_before


def test_private_keys_are_readable_by_the_owner_only(agency_a, signing_dir):
    signing.signer_for(agency_a)

    for key in [signing_dir / signing.ROOT_KEY, signing_dir / "agencies/dispendukcapil.key.pem"]:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_production_refuses_to_sign_without_configured_key(settings, db):
    settings.MPP_SIGNING_LOCAL_CA = False
    agency = make_agency(slug="tanpa-kunci", name="Tanpa Kunci")

    with pytest.raises(ImproperlyConfigured):
        signing.signer_for(agency)


def test_a_configured_pkcs12_file_is_used(settings, tmp_path, agency_b):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from mpp.documents.services import sign_pdf
    from mpp.documents.tests.test_issue import minimal_pdf

    # Build a PKCS#12 from a key made by the local CA, as an operator would receive one.
    dev = signing.signer_for(agency_b)
    key_pem = (signing.signing_dir() / "agencies/polresta.key.pem").read_bytes()
    cert_pem = (signing.signing_dir() / "agencies/polresta.cert.pem").read_bytes()
    from cryptography import x509

    blob = pkcs12.serialize_key_and_certificates(
        b"polresta",
        serialization.load_pem_private_key(key_pem, None),
        x509.load_pem_x509_certificate(cert_pem),
        [x509.load_pem_x509_certificate((signing.signing_dir() / "root-ca.cert.pem").read_bytes())],
        serialization.BestAvailableEncryption(b"rahasia"),
    )
    prod = tmp_path / "prod"
    (prod / "agencies").mkdir(parents=True)
    (prod / "agencies/polresta.p12").write_bytes(blob)
    (prod / "agencies/polresta.p12.pass").write_text("rahasia\n")
    (prod / "trust").mkdir()
    (prod / "trust/root.pem").write_bytes((signing.signing_dir() / "root-ca.cert.pem").read_bytes())
    settings.MPP_SIGNING_DIR = prod
    settings.MPP_SIGNING_LOCAL_CA = False

    signed = sign_pdf(minimal_pdf(), agency=agency_b, reason="uji")

    embedded = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=signing.trust_roots()))
    assert status.bottom_line
    assert embedded.signer_cert.dump() == dev.signing_cert.dump()
