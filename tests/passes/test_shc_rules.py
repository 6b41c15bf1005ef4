"""Venue rules on SMART Health Card FHIR bundles: immunizations and lab results by code tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.config import RulesConfig
from kiosk.decision import Reason
from kiosk.passes.shc_issue import card_payload, immunization, lab_result, patient
from kiosk.passes.shc_rules import evaluate_fhir

AT = datetime(2026, 5, 28, 12, tzinfo=UTC).timestamp()
PCR, ANTIGEN = "94500-6", "94558-4"
MODERNA = "207"


def _two(first: str, second: str) -> list[dict[str, Any]]:
    return [immunization(MODERNA, first), immunization(MODERNA, second)]
NOT_DETECTED, DETECTED, NEGATIVE = "260415000", "260373001", "260385009"


def _reason(*resources: dict[str, Any], rules: RulesConfig | None = None) -> Reason:
    payload = card_payload("https://issuer.example", AT - 86_400, [patient(), *resources])
    return evaluate_fhir(payload, AT, rules or RulesConfig())


@pytest.mark.parametrize(
    ("resources", "reason"),
    [
        ([immunization("208", "2026-03-01"), immunization("208", "2026-03-29")], Reason.VALID),
        ([immunization("208", "2026-03-01")], Reason.VACCINATION_INCOMPLETE),
        ([immunization("212", "2026-03-01")], Reason.VALID),  # one-dose series
        (_two("2026-05-01", "2026-05-20"), Reason.VACCINATION_TOO_RECENT),
        (_two("2024-01-01", "2024-02-01"), Reason.VACCINATION_TOO_OLD),
        (_two("2026-03-01", "2026-03-01"), Reason.VACCINATION_INCOMPLETE),
        ([immunization("03", "2026-03-01")], Reason.NO_ENTRY),  # MMR: not a COVID-19 vaccine
        ([{**immunization("212", "2026-03-01"), "status": "not-done"}], Reason.NO_ENTRY),
        ([immunization("212", "yesterday")], Reason.DECODE_FAILED),
        ([lab_result(PCR, NOT_DETECTED, "2026-05-28T00:00:00Z")], Reason.VALID),
        ([lab_result(PCR, NEGATIVE, "2026-05-25T00:00:00Z")], Reason.TEST_TOO_OLD),
        ([lab_result(PCR, DETECTED, "2026-05-28T00:00:00Z")], Reason.TEST_POSITIVE),
        ([lab_result(ANTIGEN, NOT_DETECTED, "2026-05-28T06:00:00Z")], Reason.VALID),
        ([lab_result(ANTIGEN, NOT_DETECTED, "2026-05-26T06:00:00Z")], Reason.TEST_TOO_OLD),
        ([lab_result(PCR, NOT_DETECTED, "2026-05-29T00:00:00Z")], Reason.NOT_YET_VALID),
        ([lab_result(PCR, "123456", "2026-05-28T00:00:00Z")], Reason.DECODE_FAILED),
        # Either kind of evidence admits: an old series with a fresh negative test is valid.
        ([immunization(MODERNA, "2024-01-01"), immunization(MODERNA, "2024-02-01"),
          lab_result(PCR, NOT_DETECTED, "2026-05-28T00:00:00Z")], Reason.VALID),
        ([], Reason.NO_ENTRY),
    ],
)
def test_rules(resources: list[dict[str, Any]], reason: Reason) -> None:
    assert _reason(*resources) is reason


def test_antigen_tests_switched_off_by_the_venue() -> None:
    rules = RulesConfig(test_rat_max_hours=0)
    assert _reason(lab_result(ANTIGEN, NOT_DETECTED, "2026-05-28T06:00:00Z"), rules=rules) is (
        Reason.TEST_TYPE_NOT_ACCEPTED
    )


@pytest.mark.parametrize("payload", [{}, {"vc": None}, {"vc": {"credentialSubject": {"fhirBundle": 3}}}])
def test_malformed_payload_never_raises(payload: dict[str, Any]) -> None:
    assert evaluate_fhir(payload, AT, RulesConfig()) is Reason.DECODE_FAILED
