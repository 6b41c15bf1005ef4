"""The value checks of config keys that a range or a list of choices cannot express.

Each check returns None when the value is fine, else what was expected, which the
config error message quotes after "must be".
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit


def upstream_url(value: str) -> str | None:
    if value == "":
        return None
    expected = 'an https URL such as "https://verify.example.com", or "" for offline-only'
    if any(c.isspace() or ord(c) < 32 for c in value):
        return expected + " (no spaces or control characters)"
    try:
        # urlsplit and .port raise ValueError on a broken IPv6 host ("http://[::1") or a
        # port out of range; either is a config mistake, never a crash.
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return f"{expected} ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return expected
    if port is not None and not 1 <= port <= 65535:
        return f"{expected} (port {port} is not from 1 to 65535)"
    if parts.port is None and parts.netloc.endswith(":"):
        return f"{expected} (a port number after the colon)"
    if parts.scheme == "http" and not is_loopback_url(value):
        # Anyone on the venue's network could answer "valid" for any pass over plain http.
        return f"{expected}; plain http is only for a simulator on this computer (127.0.0.1, ::1, localhost)"
    return None


def is_loopback_url(url: str) -> bool:
    """True when `url` names this computer (127.0.0.0/8, ::1, localhost): the simulator's home."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def decode_key(value: str) -> bytes:
    padded = value.strip() + "=" * (-len(value.strip()) % 4)
    altchars = b"-_" if "-" in value or "_" in value else None  # base64url as well as base64
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return b""


def x25519_public_key(value: str) -> str | None:
    if value == "" or len(decode_key(value)) == 32:
        return None
    return 'the owner\'s X25519 public key: 32 bytes in base64, or ""'


def no_control_chars(value: str) -> str | None:
    if any(ord(c) < 32 for c in value):
        return "text without control characters"
    return None


MAX_KIOSK_ID = 64


def kiosk_id(value: str) -> str | None:
    # The id goes into every visit record and upload: a page of text there is a mistake.
    if len(value) <= MAX_KIOSK_ID and value.isprintable():
        return None
    return f"at most {MAX_KIOSK_ID} printable characters (got {len(value)} characters)"


def nzcp_issuer(value: str) -> str | None:
    if value.startswith("did:web:") and len(value) > len("did:web:") and _plain(value):
        return None
    return 'an NZ COVID Pass issuer: a did:web identifier such as "did:web:nzcp.identity.health.nz"'


def shc_issuer(value: str) -> str | None:
    # The SHC `iss` is compared as written: an https URL without a trailing slash.
    prefix = "https://"
    if value.startswith(prefix) and len(value) > len(prefix) and not value.endswith("/") and _plain(value):
        return None
    return 'a SMART Health Card issuer: an https URL without a trailing "/", such as "https://issuer.example"'


def _plain(value: str) -> bool:
    return not any(c.isspace() or ord(c) < 32 for c in value)


def signing_key_der(value: str) -> bytes:
    """The SubjectPublicKeyInfo DER of `value` (base64, or PEM text); b"" when it is neither."""
    text = value.strip()
    if text.startswith("-----BEGIN PUBLIC KEY-----") and text.endswith("-----END PUBLIC KEY-----"):
        text = "".join(text.splitlines()[1:-1])
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return b""


def signing_key(value: str) -> str | None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    if value == "":
        return None
    try:
        key = load_der_public_key(signing_key_der(value))
    except ValueError:
        key = None
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return None
    return 'the P-256 public key upstream signs its lists with (base64 SubjectPublicKeyInfo or PEM), or ""'


_PIN_HASH = re.compile(r"[A-Za-z0-9$./+=:_-]*")


def pin_hash(value: str) -> str | None:
    if _PIN_HASH.fullmatch(value):
        return None
    return 'a PIN hash as written by the admin settings (never the PIN itself), or ""'


def camera_spec(value: str) -> str | None:
    if value == "" or value.isdigit() or (no_control_chars(value) is None and value.strip() == value):
        return None
    return 'a camera number (0 = the first camera), "none", a video file or image folder path, or ""'
