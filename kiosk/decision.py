"""The immutable outcome of one scan: what the screen shows and what the store records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    ADMIT = "admit"
    DENY = "deny"
    MANUAL = "manual"  # staff confirm by eye; the visit is logged either way


class VerifiedBy(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    STAFF = "staff"
    NONE = "none"  # nothing could be checked (not a pass, undecodable)


class Health(StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


class Reason(StrEnum):
    """Stable reason codes: stored with the visit, shown through translations, part of the JSON contract."""

    VALID = "valid"
    NOT_A_PASS = "not_a_pass"
    DECODE_FAILED = "decode_failed"
    UNKNOWN_SIGNER = "unknown_signer"
    UNKNOWN_ISSUER = "unknown_issuer"  # NZCP/SHC: the pass's `iss` is not a trusted issuer
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    KEY_USAGE_MISMATCH = "key_usage_mismatch"
    NO_ENTRY = "no_entry"  # hcert holds no v/t/r entry
    VACCINATION_INCOMPLETE = "vaccination_incomplete"
    VACCINATION_TOO_RECENT = "vaccination_too_recent"
    VACCINATION_TOO_OLD = "vaccination_too_old"
    TEST_POSITIVE = "test_positive"
    TEST_TOO_OLD = "test_too_old"
    TEST_TYPE_NOT_ACCEPTED = "test_type_not_accepted"
    RECOVERY_NOT_YET_VALID = "recovery_not_yet_valid"
    RECOVERY_EXPIRED = "recovery_expired"
    REVOKED = "revoked"
    UPSTREAM_INVALID = "upstream_invalid"  # upstream said invalid / expired / unknown
    UPSTREAM_UNAVAILABLE = "upstream_unavailable"  # token could not be redeemed: manual-log mode
    # A signed pass the kiosk cannot judge offline: staff check, never a refusal.
    TRUST_LIST_MISSING = "trust_list_missing"  # no trust list for this kind of pass
    TRUST_LIST_EXPIRED = "trust_list_expired"  # older than [trust] hard_limit_days
    STAFF_CONFIRMED = "staff_confirmed"
    STAFF_REJECTED = "staff_rejected"


class PassKind(StrEnum):
    DCC = "dcc"
    NZCP = "nzcp"
    SHC = "shc"
    TOKEN = "token"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reason: Reason
    verified_by: VerifiedBy
    kind: PassKind
    holder_masked: str | None = None
    health: Health = Health.OFFLINE
    visit_id: str | None = None  # set once the visit row is committed
    detail: str | None = None  # short technical detail for logs/JSON; never personal data
