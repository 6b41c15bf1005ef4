"""Whether a scanned text is a whole pass of its format, or only the start of one.

The keyboard wedge needs this: a Bluetooth scanner that stalls mid-pass must not
have its text cut in two, and a text typed in the wrong keyboard mode is only put
right when the result really is a pass. Structure only: the decoders run with no
trust at all, so the signature is never judged here (the engine does that).
"""

from __future__ import annotations

import re

from kiosk.decision import PassKind
from kiosk.passes.classify import PREFIXES, classify
from kiosk.passes.dcc import check_dcc
from kiosk.passes.issuers import StaticIssuers
from kiosk.passes.nzcp import check_nzcp
from kiosk.passes.shc import check_shc
from kiosk.passes.shc_qr import QrError, parse_qr
from kiosk.passes.signer import StaticTrust

# An opaque check-in token has no structure to decode: any base64url body is whole.
_TOKEN_BODY = re.compile(r"[A-Za-z0-9_-]+")
_NO_SIGNERS = StaticTrust()
_NO_ISSUERS = StaticIssuers()


def whole_pass(text: str) -> bool:
    """A known prefix and a body its format decodes (a part of a chunked card counts whole)."""
    body = text.strip()
    match classify(body):
        case PassKind.DCC:
            return check_dcc(body, _NO_SIGNERS, 0.0).decoded
        case PassKind.NZCP:
            return check_nzcp(body, _NO_ISSUERS, 0.0).decoded
        case PassKind.SHC:
            return _shc_whole(body)
        case PassKind.TOKEN:
            return _TOKEN_BODY.fullmatch(body.removeprefix("KP1:")) is not None
    return False


def incomplete_pass(text: str) -> bool:
    """The start of a pass: a known prefix (or the start of one) whose text does not decode yet."""
    body = text.strip()
    if any(prefix.startswith(body) for prefix, _ in PREFIXES):
        return bool(body)
    return classify(body) is not PassKind.UNKNOWN and not whole_pass(body)


def _shc_whole(body: str) -> bool:
    try:
        chunk = parse_qr(body)
    except QrError:
        return False
    return not chunk.whole or check_shc(body, _NO_ISSUERS, 0.0).decoded
