"""Extended key usage of signer certificates that `cryptography` refuses to parse.

Real national signer certificates break strict DER in their extensions: an
ExtendedKeyUsage that is an empty SEQUENCE (the syntax needs at least one OID), a
BasicConstraints with its DEFAULT value encoded. `cryptography` then refuses the
whole extension list, yet the key-usage OIDs are still plainly there. pyasn1's BER
decoder accepts those encodings (DER is a subset of BER), so the kiosk can still
read the extended key usage and enforce it instead of giving up with `unknown`.

Only the extended key usage is read this way; nothing here decides trust.
"""

from __future__ import annotations

from pyasn1.codec.ber import decoder as ber_decoder
from pyasn1.error import PyAsn1Error
from pyasn1_modules import rfc5280

_EKU_OID = str(rfc5280.id_ce_extKeyUsage)


class UnreadableExtensions(ValueError):
    """The certificate's extensions cannot be read even with a tolerant BER decoder."""


def extended_key_usage(der: bytes) -> tuple[str, ...] | None:
    """The extended-key-usage OIDs (dotted strings) of a DER/BER certificate.

    None when the certificate carries no ExtendedKeyUsage extension; an empty tuple
    when it carries one that lists nothing. Raises `UnreadableExtensions` when even
    the tolerant decoder cannot read the certificate or that extension.
    """
    try:
        cert, rest = ber_decoder.decode(der, asn1Spec=rfc5280.Certificate())
        if rest:
            raise UnreadableExtensions("bytes after the certificate")
        extensions = cert["tbsCertificate"]["extensions"]
        if not extensions.isValue:
            return None
        found: tuple[str, ...] | None = None
        for extension in extensions:
            if str(extension["extnID"]) != _EKU_OID:
                continue
            if found is not None:
                # RFC 5280 4.2: a certificate must not hold an extension twice.
                raise UnreadableExtensions("extended key usage present twice")
            value, rest = ber_decoder.decode(
                bytes(extension["extnValue"]), asn1Spec=rfc5280.ExtKeyUsageSyntax()
            )
            if rest:
                raise UnreadableExtensions("bytes after the extended key usage")
            found = tuple(str(oid) for oid in value)
        return found
    except UnreadableExtensions:
        raise
    except (PyAsn1Error, ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise UnreadableExtensions(type(exc).__name__) from None
