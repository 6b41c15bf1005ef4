"""Published lists are taken only when signed by the key pinned in `[trust] signing_key`.

Upstream signs the body of every answer that publishes trust (the signer status, each
signer certificate of the update stream, the NZCP/SHC issuer list, the revocation list)
with its list key, ECDSA P-256 over SHA-256, and sends the DER signature in base64 in
the `X-SIGNATURE` header (docs/decisions/0083-signed-trust-list.md). TLS alone is not
enough: a proxy, a mirror or a venue network that holds a trusted certificate could
otherwise add signers (forged passes admitted offline) or empty the revocation list.

Without a pinned key a list is taken only from a simulator on this computer: a fresh
install pointed at a real upstream must first be told the key.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_der_public_key

from kiosk.config_checks import is_loopback_url
from kiosk.errors import KioskError

SIGNATURE_HEADER = "X-SIGNATURE"
_ALGORITHM = ec.ECDSA(hashes.SHA256())


class ListSignatureError(KioskError):
    """A published list was refused: unsigned, signed by another key, or altered on the way."""

    key = "trust.signature_refused"


class ListSignatures:
    """The client's check of published lists against the pinned key (thread-safe: immutable)."""

    def __init__(self, pinned_der: bytes | None, base_url: str) -> None:
        """`pinned_der`: the key's SubjectPublicKeyInfo DER (ValueError unless a P-256 key)."""
        self._key: ec.EllipticCurvePublicKey | None = None
        if pinned_der is not None:
            key = load_der_public_key(pinned_der)
            if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
                raise ValueError("[trust] signing_key must be a P-256 public key")
            self._key = key
        self._loopback = is_loopback_url(base_url)

    def require_key(self, what: str) -> None:
        """Before asking: a list from a real upstream is never taken without a key to check it."""
        if self._key is None and not self._loopback:
            raise ListSignatureError(
                f"{what} not taken: set [trust] signing_key to the key your upstream provider "
                "publishes; without it no list is taken from upstream"
            )

    def check(self, body: bytes, signature: str | None, what: str) -> None:
        """Raises ListSignatureError unless `signature` is the pinned key's over `body` exactly."""
        if self._key is None:
            return  # a simulator on this computer, not pinned: require_key let it through
        kept = "; the previous list stays in force"
        if not signature:
            raise ListSignatureError(f"{what} refused: upstream sent it unsigned{kept}")
        try:
            self._key.verify(base64.b64decode(signature.strip(), validate=True), body, _ALGORITHM)
        except (binascii.Error, ValueError, InvalidSignature):
            raise ListSignatureError(
                f"{what} refused: its signature does not verify with [trust] signing_key{kept}"
            ) from None


def sign_list(private_key: ec.EllipticCurvePrivateKey, body: bytes) -> str:
    """The `X-SIGNATURE` value for `body` (what upstream, and the simulator, send)."""
    return base64.b64encode(private_key.sign(body, _ALGORITHM)).decode("ascii")


def public_key_text(private_key: ec.EllipticCurvePrivateKey) -> str:
    """The value to pin as `[trust] signing_key`: the public half, base64 SubjectPublicKeyInfo."""
    der = private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")
