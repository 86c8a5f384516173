"""Signing keys per agency, and the local certificate authority for development and the demo.

Layout under settings.MPP_SIGNING_DIR (default var/signing/, never committed):

    root-ca.key.pem, root-ca.cert.pem   local CA (generated when MPP_SIGNING_LOCAL_CA is on)
    agencies/<slug>.p12                 production: the agency's PKCS#12 (key + cert + chain)
    agencies/<slug>.p12.pass            its passphrase (one line; or MPP_SIGNING_PASSPHRASE)
    agencies/<slug>.key.pem, .cert.pem  development: key and certificate from the local CA
    trust/*.pem                         extra trust roots for verification (e.g. the real CA)

A PKCS#12 file wins when present. Without one, the local CA issues a certificate on first use
if MPP_SIGNING_LOCAL_CA is true; otherwise signing refuses (production must not silently
sign with a self-made CA). Private keys are written with 0600 permissions. See ADR 0014.
"""

import datetime
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers

ROOT_KEY = "root-ca.key.pem"
ROOT_CERT = "root-ca.cert.pem"
ROOT_VALID_DAYS = 20 * 365
AGENCY_VALID_DAYS = 5 * 365
# Development certificates start a year back, so that a document signed under a clock set
# back (a machine without NTP, or a test with a frozen clock) still validates.
BACKDATE_DAYS = 365


def signing_dir() -> Path:
    default = Path(settings.VAR_DIR) / "signing" if hasattr(settings, "VAR_DIR") else "var/signing"
    return Path(getattr(settings, "MPP_SIGNING_DIR", None) or default)


def local_ca_enabled() -> bool:
    return bool(getattr(settings, "MPP_SIGNING_LOCAL_CA", True))


@contextmanager
def _locked(directory: Path):
    """One process at a time creates keys (several web workers may start together)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(directory / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _ensure_root(directory: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key_path, cert_path = directory / ROOT_KEY, directory / ROOT_CERT
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    city = getattr(settings, "MPP_CITY_NAME", "MPP")
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"MPP {city} Development Root CA", f"MPP {city} (development)")
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=BACKDATE_DAYS))
        .not_valid_after(now + datetime.timedelta(days=ROOT_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _issue_agency_cert(directory: Path, agency) -> None:
    root_key, root_cert = _ensure_root(directory)
    key = ec.generate_private_key(ec.SECP256R1())
    city = getattr(settings, "MPP_CITY_NAME", "MPP")
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(agency.name, f"Mal Pelayanan Publik {city}"))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=BACKDATE_DAYS))
        .not_valid_after(now + datetime.timedelta(days=AGENCY_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    agencies = directory / "agencies"
    agencies.mkdir(exist_ok=True, mode=0o700)
    _write_private(agencies / f"{agency.slug}.key.pem", _key_pem(key))
    (agencies / f"{agency.slug}.cert.pem").write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
    )


def _pkcs12_passphrase(p12: Path) -> bytes | None:
    pass_file = p12.with_name(p12.name + ".pass")
    if pass_file.exists():
        return pass_file.read_text().strip().encode()
    value = os.environ.get("MPP_SIGNING_PASSPHRASE", "")
    return value.encode() if value else None


def signer_for(agency) -> signers.SimpleSigner:
    """The signer holding the agency's key and certificate (with its chain)."""
    directory = signing_dir()
    agencies = directory / "agencies"
    p12 = agencies / f"{agency.slug}.p12"
    if p12.exists():
        signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=_pkcs12_passphrase(p12))
        if signer is None:
            raise ImproperlyConfigured(f"Cannot read the PKCS#12 file for agency {agency.slug}")
        return signer
    key_path = agencies / f"{agency.slug}.key.pem"
    cert_path = agencies / f"{agency.slug}.cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        if not local_ca_enabled():
            raise ImproperlyConfigured(
                f"No signing key for agency {agency.slug}: put {p12} in place (see ADR 0014)"
            )
        with _locked(directory):
            if not (key_path.exists() and cert_path.exists()):
                _issue_agency_cert(directory, agency)
    signer = signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=(str(directory / ROOT_CERT),)
    )
    if signer is None:
        raise ImproperlyConfigured(f"Cannot read the signing key for agency {agency.slug}")
    return signer


def trust_roots() -> list[asn1_x509.Certificate]:
    """Certificates trusted when verifying a signature: the local root and trust/*.pem."""
    from pyhanko.keys import load_certs_from_pemder

    directory = signing_dir()
    files = sorted((directory / "trust").glob("*.pem")) if (directory / "trust").is_dir() else []
    if (directory / ROOT_CERT).exists():
        files.insert(0, directory / ROOT_CERT)
    return list(load_certs_from_pemder([str(path) for path in files]))
