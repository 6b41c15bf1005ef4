"""Business rules on a decoded hcert: is this vaccination, test or recovery acceptable today?

The thresholds are data (`RulesConfig`, the `[rules]` section), not per-country code.
`evaluate` never raises: anything malformed is Reason.DECODE_FAILED, so a hostile or
buggy issuer can only ever produce a denial.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiosk.config import RulesConfig
from kiosk.decision import Reason

# Value sets of the EU DCC specification.
TEST_TYPE_NAA = "LP6464-4"  # nucleic acid amplification (PCR)
TEST_TYPE_RAT = "LP217198-3"  # rapid antigen
TEST_RESULT_NOT_DETECTED = "260415000"
TEST_RESULT_DETECTED = "260373001"

_DAY_S = 86_400.0

# Date-only, or date + time with optional seconds, fraction and zone. Gating the input
# through this first keeps fromisoformat's extra forms (week dates, compact dates) out.
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?P<frac>\.\d+)?)?)"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


class _Malformed(Exception):
    """A field is missing or unreadable; becomes Reason.DECODE_FAILED."""


@dataclass(frozen=True, slots=True)
class Instant:
    """A parsed hcert date: epoch seconds, and whether only a calendar day was given."""

    epoch: float
    date_only: bool

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.epoch, tz=UTC).date()


def parse_instant(value: object) -> Instant | None:
    """Parse an hcert date or date-time; no zone means UTC. None when unreadable."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    if match["time"] is None:
        try:
            day = date.fromisoformat(match["date"])
        except ValueError:
            return None
        return Instant(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp(), True)
    if match["frac"] and len(match["frac"]) > 7:
        # Nanosecond timestamps exist in the wild; microseconds are plenty.
        text = text.replace(match["frac"], match["frac"][:7], 1)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return Instant(parsed.timestamp(), False)
    except (ValueError, OverflowError, OSError):
        return None


def evaluate(hcert: dict[str, Any], at: float, rules: RulesConfig) -> Reason:
    """Reason.VALID if the hcert's single entry satisfies the rules at epoch `at`, else why not."""
    try:
        kind, entry = _single_entry(hcert)
        if kind is None:
            return Reason.NO_ENTRY
        if kind == "v":
            return _vaccination(entry, at, rules)
        if kind == "t":
            return _test(entry, at, rules)
        return _recovery(entry, at, rules)
    except _Malformed:
        return Reason.DECODE_FAILED
    except (TypeError, ValueError, OverflowError, AttributeError, OSError):
        # Belt and braces: any other surprise in issuer data is a decode failure, not a crash.
        return Reason.DECODE_FAILED


def _single_entry(hcert: object) -> tuple[str | None, dict[str, Any]]:
    if not isinstance(hcert, dict):
        raise _Malformed
    found: list[tuple[str, object]] = []
    for kind in ("v", "t", "r"):
        entries = hcert.get(kind)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise _Malformed
        found.extend((kind, e) for e in entries)
    if not found:
        return None, {}
    # The schema allows exactly one entry; several is ambiguous, so refuse it.
    if len(found) > 1:
        raise _Malformed
    kind, entry = found[0]
    if not isinstance(entry, dict):
        raise _Malformed
    return kind, entry


def _vaccination(entry: dict[str, Any], at: float, rules: RulesConfig) -> Reason:
    dn = _positive_int(entry.get("dn"))
    sd = _positive_int(entry.get("sd"))
    given = _instant(entry.get("dt"))
    # dn > sd is a booster (3/2, 3/3 ...): complete as well.
    if dn < sd:
        return Reason.VACCINATION_INCOMPLETE
    return vaccination_age_reason(given, at, rules)


def vaccination_age_reason(last_dose: Instant, at: float, rules: RulesConfig) -> Reason:
    """A complete vaccination judged by the age of its last dose (EU DCC and SMART Health Card alike)."""
    age = age_days(last_dose, at)
    if age < rules.vaccination_min_days:
        return Reason.VACCINATION_TOO_RECENT
    if age > rules.vaccination_max_days:
        return Reason.VACCINATION_TOO_OLD
    return Reason.VALID


def _test(entry: dict[str, Any], at: float, rules: RulesConfig) -> Reason:
    test_type = entry.get("tt")
    if not isinstance(test_type, str):
        raise _Malformed
    max_hours = {TEST_TYPE_NAA: rules.test_naa_max_hours, TEST_TYPE_RAT: rules.test_rat_max_hours}.get(
        test_type.strip(), 0
    )
    if max_hours <= 0:  # unknown type, or a type the venue switched off with 0
        return Reason.TEST_TYPE_NOT_ACCEPTED
    result = entry.get("tr")
    if result == TEST_RESULT_DETECTED:
        return Reason.TEST_POSITIVE
    if result != TEST_RESULT_NOT_DETECTED:
        raise _Malformed
    sampled = _instant(entry.get("sc"))
    if sampled.epoch > at:
        return Reason.NOT_YET_VALID
    if at - sampled.epoch > max_hours * 3600.0:
        return Reason.TEST_TOO_OLD
    return Reason.VALID


def _recovery(entry: dict[str, Any], at: float, rules: RulesConfig) -> Reason:
    first_positive = _instant(entry.get("fr"))
    valid_until = _instant(entry.get("du"))
    valid_from = entry.get("df")
    if age_days(first_positive, at) < rules.recovery_min_days:
        return Reason.RECOVERY_NOT_YET_VALID
    # The issuer's own df is honoured when it is later than the rule's day.
    if valid_from is not None and age_days(_instant(valid_from), at) < 0:
        return Reason.RECOVERY_NOT_YET_VALID
    if _after(at, valid_until):
        return Reason.RECOVERY_EXPIRED
    return Reason.VALID


def _instant(value: object) -> Instant:
    parsed = parse_instant(value)
    if parsed is None:
        raise _Malformed
    return parsed


def _positive_int(value: object) -> int:
    # bool is an int subclass; `true` doses is malformed, not 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Malformed
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        raise _Malformed
    number = int(value)
    if number < 1:
        raise _Malformed
    return number


def age_days(since: Instant, at: float) -> int:
    """Whole days from `since` to `at`: calendar days (UTC) for a date, elapsed days for a date-time."""
    if since.date_only:
        at_day = datetime.fromtimestamp(at, tz=UTC).date()
        return (at_day - since.day).days
    return math.floor((at - since.epoch) / _DAY_S)


def _after(at: float, until: Instant) -> bool:
    """Is `at` past `until`? A date-only `until` covers that whole day."""
    if until.date_only:
        return at >= until.epoch + timedelta(days=1).total_seconds()
    return at > until.epoch
