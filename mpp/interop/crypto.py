"""Secrets of machine accounts and webhooks: generation, hashing, encryption at rest, signatures.

- API tokens (`mppk_...`, 256 random bits) are stored only as their SHA-256 (ADR 0030).
- Webhook signing secrets (`whsec_` + base64 of 32 random bytes) must be read back to sign or
  verify, so they are stored encrypted (Fernet, key derived from MPP_INTEROP_SECRET_KEY or
  DJANGO_SECRET_KEY by HKDF).
- Signatures follow Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, "id.timestamp.body"))
  with key = base64-decoded part after `whsec_`.
"""

import base64
import functools
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

TOKEN_PREFIX = "mppk_"  # noqa: S105 - a prefix, not a secret
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SIGNATURE_VERSION = "v1"


def new_token() -> str:
    """A bearer token for an API client: shown once, never stored in clear."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_signing_secret(nbytes: int = 32) -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def _fernet() -> Fernet:
    material = (getattr(settings, "MPP_INTEROP_SECRET_KEY", "") or settings.SECRET_KEY).encode()
    return _fernet_for(material)


@functools.lru_cache(maxsize=4)
def _fernet_for(material: bytes) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"mpp-interop", info=b"webhook-secrets"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as exc:  # the key changed: the secret must be rotated
        raise ValueError("webhook secret cannot be decrypted with the current key") from exc


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one message."""
    payload = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), payload, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def sign_all(secrets_: list[str], *, msg_id: str, timestamp: int, body: bytes) -> str:
    """Space-separated signatures by several secrets (a rotation's overlap)."""
    return " ".join(sign(s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets_)


def signature_matches(
    secret: str, *, msg_id: str, timestamp: int, body: bytes, header: str
) -> bool:
    """True when one of the space-separated `v1,` signatures of the header is ours."""
    expected = sign(secret, msg_id=msg_id, timestamp=timestamp, body=body).split(",", 1)[1]
    for item in header.split():
        version, _sep, value = item.partition(",")
        if version == SIGNATURE_VERSION and hmac.compare_digest(value.encode(), expected.encode()):
            return True
    return False
