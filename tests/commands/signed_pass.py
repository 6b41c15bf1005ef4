"""A signed EU DCC test pass for the trust-list command tests: valid now when its signer is trusted."""

from __future__ import annotations

import time
from typing import Any

from kiosk.passes.issue import issue_dcc
from kiosk.passes.signer import load_signer_cert

DAY = 86_400.0


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def pass_signed_by(key: Any, der: bytes, now: float) -> str:
    hcert = {
        "ver": "1.3.0", "nam": {"fn": "Kim", "gn": "Minsu"}, "dob": "1990-01-01",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "sc": _iso(now - 7200),
               "tr": "260415000", "co": "XC", "is": "x", "ci": "URN:UVCI:01:XC:B1"}],
    }
    return issue_dcc(hcert, private_key=key, kid=load_signer_cert(der).kid, issuer="XC",
                     issued_at=now - DAY, expires_at=now + 365 * DAY)
