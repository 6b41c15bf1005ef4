"""Venue rules on a SMART Health Card's FHIR bundle: immunizations and laboratory results.

The same thresholds as for a DCC (`[rules]`: a complete series at least
`vaccination_min_days` and at most `vaccination_max_days` old; a negative test no
older than the hours of its type), with the codes that mean "COVID-19 vaccine" or
"SARS-CoV-2 test" taken from the tables in `shc_codes.py`. A card may hold both
kinds of evidence: one acceptable kind admits. Never raises; a malformed resource
the rules need is DECODE_FAILED, resources for other purposes are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kiosk.config import RulesConfig
from kiosk.decision import Reason
from kiosk.passes import shc_codes
from kiosk.passes.rules import Instant, parse_instant, vaccination_age_reason


class _Malformed(Exception):
    pass


def evaluate_fhir(payload: dict[str, Any], at: float, rules: RulesConfig) -> Reason:
    """Reason.VALID when the card's immunizations or test results satisfy the rules at `at`."""
    try:
        resources = list(_resources(payload))
        doses = [d for r in resources if (d := _dose(r)) is not None]
        tests = [t for r in resources if (t := _test(r)) is not None]
        reasons = []
        if doses:
            reasons.append(_vaccination(doses, at, rules))
        if tests:
            reasons.append(_latest_test(tests, at, rules))
        if not reasons:
            return Reason.NO_ENTRY
        return Reason.VALID if Reason.VALID in reasons else reasons[0]
    except _Malformed:
        return Reason.DECODE_FAILED
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError, OSError):
        return Reason.DECODE_FAILED


def _resources(payload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    bundle = payload["vc"]["credentialSubject"]["fhirBundle"]
    for entry in bundle.get("entry", []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            yield resource


def _codings(concept: object) -> Iterator[tuple[str, str]]:
    if not isinstance(concept, dict):
        return
    for coding in concept.get("coding", []) or []:
        if isinstance(coding, dict) and isinstance(coding.get("system"), str):
            code = coding.get("code")
            if isinstance(code, str):
                yield coding["system"], code


def _when(value: object) -> Instant:
    parsed = parse_instant(value)
    if parsed is None:
        raise _Malformed
    return parsed


def _dose(resource: dict[str, Any]) -> tuple[Instant, int] | None:
    if resource.get("resourceType") != "Immunization":
        return None
    series = [shc_codes.VACCINE_DOSES[c] for c in _codings(resource.get("vaccineCode"))
              if c in shc_codes.VACCINE_DOSES]
    if not series or resource.get("status") not in shc_codes.IMMUNIZATION_DONE:
        return None
    return _when(resource.get("occurrenceDateTime")), min(series)


def _test(resource: dict[str, Any]) -> tuple[Instant, shc_codes.TestType, bool] | None:
    if resource.get("resourceType") != "Observation":
        return None
    types = [shc_codes.TEST_TYPES[c] for c in _codings(resource.get("code")) if c in shc_codes.TEST_TYPES]
    if not types or resource.get("status") not in shc_codes.OBSERVATION_DONE:
        return None
    results = set(_codings(resource.get("valueCodeableConcept")))
    if results & shc_codes.POSITIVE_RESULTS:
        positive = True
    elif results & shc_codes.NEGATIVE_RESULTS:
        positive = False
    else:
        raise _Malformed
    taken = resource.get("effectiveDateTime")
    if taken is None and isinstance(resource.get("effectivePeriod"), dict):
        taken = resource["effectivePeriod"].get("start")
    return _when(taken), types[0], positive


def _vaccination(doses: list[tuple[Instant, int]], at: float, rules: RulesConfig) -> Reason:
    # Two records of one day are one dose (a card may repeat an entry).
    days = sorted({d.day for d, _ in doses})
    needed = min(series for _, series in doses)
    if len(days) < needed:
        return Reason.VACCINATION_INCOMPLETE
    last = max((d for d, _ in doses), key=lambda d: d.epoch)
    return vaccination_age_reason(last, at, rules)


def _latest_test(tests: list[tuple[Instant, shc_codes.TestType, bool]], at: float, rules: RulesConfig
                 ) -> Reason:
    taken, kind, positive = max(tests, key=lambda t: t[0].epoch)
    if positive:
        return Reason.TEST_POSITIVE
    max_hours = rules.test_naa_max_hours if kind == "naa" else rules.test_rat_max_hours
    if max_hours <= 0:
        return Reason.TEST_TYPE_NOT_ACCEPTED
    if taken.epoch > at:
        return Reason.NOT_YET_VALID
    if at - taken.epoch > max_hours * 3600.0:
        return Reason.TEST_TOO_OLD
    return Reason.VALID
