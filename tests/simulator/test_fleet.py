"""The fleet simulation: a small fleet on a shortened scenario, and the upstream model's ledger."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging

import pytest

from kiosk.commands import simulate
from kiosk.errors import InputError
from kiosk.simulator.fleet import (
    COMMERCIAL,
    NAIVE,
    OURS,
    FleetReport,
    run_fleet,
    simulate_policy,
)
from kiosk.simulator.fleet_queue import WorkQueue
from kiosk.simulator.fleet_results import PolicyResult, count_lost
from kiosk.simulator.fleet_scenario import Scenario, issue_pass_pool, scan_arrivals
from kiosk.simulator.fleet_suite import run_suite, scale_misses, suite_cases, summary_table
from kiosk.simulator.fleet_upstream import RequestKind, UpstreamModel, UpstreamSettings
from kiosk.verify.online import FailureCause

# 40 kiosks, 30 minutes: a 6-minute outage with 3 minutes of partial capacity either side.
SMALL = Scenario(kiosks=40, minutes=30, seed=11)
# Our client with today's upstream protocol: the extensions are tested in test_fleet_model.py.
TODAY = dataclasses.replace(OURS, extensions=frozenset())


@pytest.fixture(scope="module")
def report() -> FleetReport:
    return run_fleet(SMALL, ours=TODAY, baselines=(COMMERCIAL, NAIVE))


def _figures(result: PolicyResult) -> dict[str, object]:
    data = dataclasses.asdict(result)
    data.pop("wall_s")
    data.pop("peak_rss_mb")  # the cost of running, not a figure of the run
    return data


def test_every_policy_sees_the_same_visitors(report: FleetReport) -> None:
    assert report.ours.scans == report.naive.scans == report.commercial.scans > 500
    assert report.ours.scans_outage == report.naive.scans_outage == report.commercial.scans_outage > 0


def test_our_policy_loses_and_duplicates_nothing(report: FleetReport) -> None:
    assert report.ours.lost_records == 0
    assert report.ours.duplicate_records == 0
    assert report.ours.backlog_records > 0  # the outage did leave something to drain
    assert report.ours.backlog_drain_s is not None


def test_our_policy_sends_far_fewer_requests_during_the_outage(report: FleetReport) -> None:
    ours, naive = report.ours, report.naive
    assert ours.upstream_requests_per_scan_outage < 0.5 * naive.upstream_requests_per_scan_outage
    assert ours.upstream_requests_per_scan < report.commercial.upstream_requests_per_scan
    # The naive client really tries three times per scan while nothing answers.
    assert naive.requests["outage"]["verify"] >= 2.9 * naive.scans_outage


def test_our_verdicts_keep_the_budget(report: FleetReport) -> None:
    assert report.ours.verdicts_within_budget >= 0.999
    assert report.ours.verdicts_within_budget >= report.naive.verdicts_within_budget
    assert report.ours.p99_verdict_ms <= 1000
    assert report.naive.p99_verdict_ms > 1000  # three timeouts in a row
    # The fair baseline keeps the budget too (half of it per try, one retry).
    assert report.commercial.verdicts_within_budget == 1.0
    assert report.commercial.requests["outage"]["verify"] >= 1.9 * report.commercial.scans_outage


def test_every_request_is_counted_by_kind(report: FleetReport) -> None:
    for result in (report.ours, report.commercial, report.naive):
        kinds = result.requests_by_kind
        assert sum(kinds.values()) == result.requests["overall"]["total"]
        assert result.upstream_requests_per_scan == pytest.approx(sum(kinds.values()) / result.scans)
        # The maintenance service runs in every kiosk: trust status and revocations are in the count.
        assert kinds[RequestKind.TRUST_STATUS] > 0 and kinds[RequestKind.REVOCATIONS] > 0
        assert kinds[RequestKind.TRUST_ISSUERS] > 0  # the NZCP/SHC issuer list, on the trust schedule
    # Our breaker is probed with health calls by the maintenance service; the baselines have none.
    assert report.ours.requests_by_kind[RequestKind.HEALTH] > 0
    assert report.commercial.requests_by_kind[RequestKind.HEALTH] == 0


def test_an_unchanged_trust_list_costs_one_small_request(report: FleetReport) -> None:
    ours = report.ours.requests["overall"]
    assert ours[RequestKind.TRUST_STATUS] > 0 and ours[RequestKind.TRUST_ISSUERS] > 0
    # While upstream was healthy every status and issuer list was a 304: no certificate and
    # no issuer document was fetched.
    healthy = report.ours.requests["outside_outage"]
    conditional = healthy[RequestKind.TRUST_STATUS] + healthy[RequestKind.TRUST_ISSUERS]
    assert healthy["not_modified_304"] == conditional > 0
    assert ours[RequestKind.TRUST_UPDATE] == 0
    # The commercial client compares kids as DGCA apps do: one full status per sync, no 304.
    commercial = report.commercial.requests["overall"]
    assert commercial[RequestKind.TRUST_UPDATE] == commercial["not_modified_304"] == 0
    # A client without conditions downloads all 20 certificates (and the end marker) per sync.
    naive = report.naive.requests["overall"]
    assert naive[RequestKind.TRUST_UPDATE] > 5 * naive[RequestKind.TRUST_STATUS]


def test_a_healthy_scan_costs_one_request_not_a_verify_and_an_upload(report: FleetReport) -> None:
    healthy = report.ours.requests["outside_outage"]
    scans = report.ours.scans_by_window["healthy"]
    # Outside the outage the verifications carried their visits: the uploads there are the
    # drain of the outage's backlog and batches of the passes judged offline while the
    # breaker was still on probation, not one per scan (that would be two requests a scan).
    assert healthy[RequestKind.VERIFY] + healthy[RequestKind.UPLOAD] < 1.1 * scans
    assert healthy[RequestKind.UPLOAD] < 0.5 * healthy[RequestKind.VERIFY]
    commercial = report.commercial.requests["outside_outage"]
    assert commercial[RequestKind.UPLOAD] > 0.5 * commercial[RequestKind.VERIFY]
    ours, commercial_result = report.ours, report.commercial
    assert ours.requests_per_scan_outside_outage < commercial_result.requests_per_scan_outside_outage / 2


def test_the_breaker_opened_in_the_outage_and_closed_after(report: FleetReport) -> None:
    assert report.ours.breaker_open_in_outage == SMALL.kiosks
    assert report.ours.breaker_closed_at_end == SMALL.kiosks
    assert report.naive.breaker_open_in_outage is None


def test_a_small_fleet_runs_its_maintenance_without_an_error(caplog: pytest.LogCaptureFixture) -> None:
    # Every job of the real Maintenance must find its call in the model's sources: a missing
    # one is logged at ERROR with a traceback by every kiosk, and its requests go uncounted.
    with caplog.at_level(logging.ERROR):
        small = run_fleet(Scenario(kiosks=4, minutes=10, seed=3), ours=TODAY, baselines=(COMMERCIAL, NAIVE))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    for result in (small.ours, small.commercial, small.naive):
        assert result.requests_by_kind[RequestKind.TRUST_ISSUERS] > 0


def test_the_model_counts_issuer_lists_and_their_304s() -> None:
    model = UpstreamModel(UpstreamSettings(), kiosks=10, capacity_at=lambda t: 1.0, windows={})
    assert model.trust_issuers("k", 0.0, 5.0, unchanged=False).not_modified is False
    assert model.trust_issuers("k", 1.0, 5.0, unchanged=True).not_modified is True
    counts = model.counts["overall"]
    assert counts.by_kind[RequestKind.TRUST_ISSUERS] == 2 and counts.not_modified_304 == 1


def test_a_seed_gives_the_same_report(report: FleetReport) -> None:
    again = simulate_policy(SMALL, TODAY)
    assert _figures(again) == _figures(report.ours)


def test_another_seed_gives_other_visitors() -> None:
    scenario = Scenario(kiosks=3, minutes=10, seed=11)
    pool = issue_pass_pool(scenario)
    other = dataclasses.replace(scenario, seed=12)
    assert list(scan_arrivals(scenario, 0, pool)) == list(scan_arrivals(scenario, 0, pool))
    assert [t for t, _ in scan_arrivals(scenario, 0, pool)] != [t for t, _ in scan_arrivals(other, 0, pool)]


def test_scans_follow_the_surge_and_the_pass_mix() -> None:
    scenario = Scenario(kiosks=200, minutes=60, seed=3)
    pool = issue_pass_pool(scenario)
    scans = [s for k in range(scenario.kiosks) for s in scan_arrivals(scenario, k, pool)]
    surge = scenario.surge
    inside = sum(1 for t, _ in scans if t in surge) / surge.length_s
    outside = sum(1 for t, _ in scans if t not in surge) / (scenario.length_s - surge.length_s)
    assert inside > 2.5 * outside
    tokens = sum(text.startswith("KP1:") for _, text in scans) / len(scans)
    assert 0.25 < tokens < 0.35


def _rec(visit_id: str) -> tuple[str, tuple[str, str, str]]:
    return visit_id, ("admit", "valid", "offline")


def _model(share: float = 1.0) -> UpstreamModel:
    return UpstreamModel(UpstreamSettings(), 10, lambda t: share, {})


def test_the_model_times_out_during_an_outage_and_stores_nothing() -> None:
    model = _model(0.0)
    outcome = model.upload("k", 5.0, [_rec("a"), _rec("b")], timeout_s=5.0)
    assert not outcome.ok and outcome.cause is FailureCause.TIMEOUT and outcome.latency_s == 5.0
    assert model.ledger.stored_at == {}


def test_the_model_sheds_load_with_retry_after() -> None:
    model = _model()
    outcomes = [model.verify(f"k{i}", 1.0, timeout_s=10.0) for i in range(20)]
    assert outcomes[0].ok
    shed = [o for o in outcomes if o.cause is FailureCause.SERVER_ERROR]
    assert shed and all(o.retry_after_s == UpstreamSettings().retry_after_503_s for o in shed)
    slow = [o.latency_s for o in outcomes if o.ok]
    assert slow == sorted(slow) and slow[-1] > slow[0]  # queued work answers later and later


def test_work_sent_ahead_in_virtual_time_does_not_queue_in_front_of_earlier_requests() -> None:
    # A kiosk whose round waited out timeouts asks at t=30 before the rest of the fleet's
    # requests at t=2 are simulated: upstream was idle at t=2, whatever came at t=30.
    model = _model()
    ahead = [model.verify(f"late{i}", 30.0, timeout_s=10.0) for i in range(2)]
    assert all(o.ok for o in ahead)
    early = model.verify("early", 2.0, timeout_s=10.0)
    assert early.ok and early.latency_s < 0.2
    # After that work the queue is real: two verifications at 0.8/s of capacity, 2.5 s.
    assert model.verify("after", 30.1, timeout_s=10.0).cause is FailureCause.SERVER_ERROR


def test_the_queue_drains_at_capacity() -> None:
    queue = WorkQueue(slot_s=0.05)
    queue.add(10.0, 2.0)  # two seconds of work arriving at t=10
    assert queue.wait_at(1.0) == 0.0
    assert queue.wait_at(10.5) == pytest.approx(1.5, abs=0.06)
    assert queue.wait_at(11.0) == pytest.approx(1.0, abs=0.06)
    assert queue.wait_at(13.0) == 0.0
    assert queue.wait_at(100.0) == 0.0


def test_the_queue_keeps_work_far_ahead_and_grows() -> None:
    queue = WorkQueue(slot_s=0.05)
    queue.add(500.0, 1.0)  # beyond the first 1,024 slots: the tree grows
    queue.add(500.02, 1.0)  # the same slot: two seconds queued there
    assert queue.wait_at(499.0) == 0.0
    assert queue.wait_at(500.5) == pytest.approx(1.5, abs=0.06)
    queue.add(10.0, 0.5)  # earlier work does not queue behind the later
    assert queue.wait_at(10.2) == pytest.approx(0.3, abs=0.06)
    assert queue.wait_at(500.5) == pytest.approx(1.5, abs=0.06)
    # Ten busy slots in a row, each with more work than it serves, build a queue up.
    for i in range(10):
        queue.add(1000.0 + i * 0.05, 0.1)
    assert queue.wait_at(1000.5) == pytest.approx(0.5, abs=0.06)
    assert queue.wait_at(5000.0) == 0.0  # past the tree: idle slots only serve


def test_the_model_throttles_one_greedy_kiosk() -> None:
    model = _model()
    causes = [model.verify("greedy", 1.0 + i * 0.01, timeout_s=10.0).cause for i in range(12)]
    assert FailureCause.THROTTLED in causes


def test_the_ledger_tells_avoidable_duplicates_from_lost_acknowledgements() -> None:
    model = _model()
    lost_ack = model.upload("k", 1.0, [_rec("a")], timeout_s=0.01)  # stored, but the answer is too late
    assert not lost_ack.ok and "a" in model.ledger.stored_at
    assert model.upload("k", 2.0, [_rec("a")], timeout_s=5.0).ok
    assert model.ledger.redelivered == {"a"} and model.ledger.duplicates == set()
    assert model.upload("k", 3.0, [_rec("a"), _rec("b")], timeout_s=5.0).ok
    assert model.ledger.duplicates == {"a"}
    assert set(model.ledger.stored_at) == {"a", "b"}


def test_the_cli_prints_both_policies_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    simulate.register(sub, lambda p: None)
    argv = ["simulate", "fleet", "--kiosks", "4", "--minutes", "10", "--json", "--jobs", "1"]
    argv += ["--outage-minutes", "3", "--capacity-share", "0.1", "--flap-minutes", "1", "--trust-certs", "5"]
    argv += ["--baseline", "naive", "--baseline", "commercial"]
    args = parser.parse_args(argv)
    assert args.handler(args) == 0
    data = json.loads(capsys.readouterr().out)
    for policy in ("ours", "naive", "commercial"):
        for key in (
            "upstream_requests_per_scan",
            "requests_by_kind",
            "requests_per_scan_outside_outage",
            "verdicts_within_budget",
            "p99_verdict_ms",
            "backlog_drain_s",
            "backlog_drain_after_outage_s",
            "lost_records",
            "duplicate_records",
        ):
            assert key in data[policy]
    scenario = data["scenario"]
    assert (scenario["kiosks"], scenario["trust_certs"], scenario["flap_minutes"]) == (4, 5, 1)
    assert scenario["outage_s"][1] - scenario["outage_s"][0] == 180
    assert scenario["partial_capacity"] == 0.1


def test_the_cli_refuses_a_bad_scenario() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    simulate.register(sub, lambda p: None)
    args = parser.parse_args(["simulate", "fleet", "--capacity-share", "1.5"])
    with pytest.raises(InputError, match="capacity-share"):
        args.handler(args)


def test_lost_answers_are_resent_and_stored_once() -> None:
    # A fifth of the answers to record-carrying requests never arrive although upstream stored them.
    scenario = Scenario(kiosks=12, minutes=20, seed=5, lost_ack_share=0.2)
    result = simulate_policy(scenario, OURS)
    assert result.redelivered_records > 0  # the re-send path really ran
    assert (result.lost_records, result.duplicate_records) == (0, 0)
    assert result.backlog_drain_s is not None


def test_the_loss_counter_counts_against_verdicts_shown() -> None:
    stored = {"a": 1.0, "b": 2.0}
    assert count_lost([("a", 0.5), ("b", 1.5)], stored) == 0
    # A verdict shown without a stored visit, and one whose visit upstream never stored.
    assert count_lost([("a", 0.5), (None, 1.0), ("c", 1.5)], stored) == 2


def test_outage_length_capacity_and_flapping_come_from_the_scenario() -> None:
    long = Scenario(outage_minutes=120)
    assert long.outage.length_s == 7200 and long.length_s == 240 * 60
    assert long.timeline().capacity_at(long.outage.start_s + 5000) == 0.0
    partial = Scenario(partial_capacity=0.1)
    assert partial.timeline().capacity_at(partial.partial_before.start_s + 1) == 0.1
    flap = Scenario(outage_minutes=60, flap_minutes=2)
    starts = [flap.outage.start_s + 60 * m + 1 for m in range(8)]
    assert [flap.timeline().capacity_at(t) for t in starts] == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0]
    assert Scenario().outage.length_s == 30 * 60 and Scenario().length_s == 150 * 60


def test_the_naive_policy_has_no_breaker_to_open() -> None:
    result = simulate_policy(Scenario(kiosks=2, minutes=10, seed=5), NAIVE)
    assert result.breaker_closed_at_end is None
    assert result.lost_records == 0


def test_the_suite_runs_every_target_scenario_and_summarises_them() -> None:
    cases = suite_cases(kiosks=3, large=5, minutes=10)
    assert [c.name for c in cases] == [
        "default",
        "2-hour outage",
        "10% partial capacity",
        "flapping every 2 min",
        "5% answers lost",
        "3 quiet hours",
        "morning start",
        "3,000-signer list change",
        "5 kiosks",
    ]
    assert cases[1].scenario.outage.length_s == 7200 and cases[3].scenario.flap_minutes == 2
    done = run_suite(cases[:2], jobs=1)
    table = summary_table(done)
    assert table.count("\n") >= 5 and "2-hour outage" in table and "Targets:" in table
    assert all(report.ours.scans == report.baselines["ordinary"].scans for _, report in done)
    assert "healthy" in table and "quiet" in table and "without extensions" in table


def test_the_large_fleet_case_is_held_to_the_simulations_own_wall_time_and_memory() -> None:
    large = suite_cases(kiosks=3, large=4, minutes=10)[-1]
    assert (large.wall_limit_s, large.memory_limit_mb) == (600.0, 4096.0)
    [(case, report)] = run_suite((large,), jobs=1)
    assert report.peak_rss_mb is not None and report.peak_rss_mb > 10  # this process, measured
    assert scale_misses(case, report) == []
    strict = dataclasses.replace(case, wall_limit_s=report.wall_s / 2, memory_limit_mb=1.0)
    misses = scale_misses(strict, report)
    assert [m.split()[0] for m in misses] == ["wall", "memory"]
    table = summary_table([(strict, report)])
    assert "MISSED" in table and f"{case.name}: wall" in table
