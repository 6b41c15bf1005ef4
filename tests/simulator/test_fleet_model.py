"""The fleet model fails where the app can: lists that change, measured local work, answers
that are not all valid, a morning start, quiet hours, a fair rival, and a ledger that
compares what upstream stored with what the screen showed."""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics

import pytest

from kiosk.commands import simulate
from kiosk.config import Config
from kiosk.simulator.fleet import COMMERCIAL, ORDINARY, OURS, WITHOUT_EXTENSIONS, run_fleet, simulate_policy
from kiosk.simulator.fleet_lists import REVOCATION_BURST, PublishedLists
from kiosk.simulator.fleet_local import COMMIT_S, Quantiles
from kiosk.simulator.fleet_report import fewer_requests
from kiosk.simulator.fleet_results import check_ledger, peak_rate
from kiosk.simulator.fleet_scenario import MORNING_S, Scenario, issue_pass_pool, scan_arrivals
from kiosk.simulator.fleet_upstream import Ledger, RequestKind
from kiosk.verify.online import OnlineResult

# 30 kiosks, 30 minutes: a 6-minute outage with 3 minutes of partial capacity either side.
SMALL = Scenario(kiosks=30, minutes=30, seed=7)


@pytest.fixture(scope="module")
def rival_report():
    return run_fleet(SMALL, baselines=(ORDINARY, COMMERCIAL))


def test_a_list_change_adds_five_and_withdraws_two_percent_with_a_new_etag() -> None:
    scenario = Scenario(kiosks=2, minutes=30, seed=3, trust_certs=100, list_change=True)
    pool = issue_pass_pool(scenario)
    lists = PublishedLists(scenario, pool)
    before, after = lists.trust_at(0.0), lists.trust_at(scenario.list_change_s)
    assert len(before.kids) == 100 and len(after.kids) == 100 + 5 - 2
    assert before.etag != after.etag
    assert before.kids[0] == after.kids[0]  # the passes' own signer stays
    # The DGCA stream after the last old signer's token brings only the new ones.
    last_old = str(before.tokens[-1])
    new = []
    token: str | None = last_old
    while (found := lists.trust_update(scenario.list_change_s, token)) is not None:
        new.append(found[0])
        token = found[2]
    assert len(new) == 5 and not set(new) & set(before.kids)
    # Before the change the list never changes: no stream past the end.
    assert lists.trust_update(0.0, last_old) is None


def test_revocations_trickle_and_burst_at_the_list_change() -> None:
    scenario = Scenario(kiosks=2, minutes=30, seed=3, list_change=True)
    pool = issue_pass_pool(scenario)
    lists = PublishedLists(scenario, pool)
    change = scenario.start_epoch + scenario.list_change_s
    hashes, until = lists.revocations(change - 1, scenario.list_change_s)
    assert len(hashes) == REVOCATION_BURST + 1 and lists.revoked_dcc_hash in hashes
    assert until == change
    every, _ = lists.revocations(None, scenario.length_s)
    assert len(every) > len(hashes)  # the trickle too
    quiet = PublishedLists(dataclasses.replace(scenario, list_change=False), pool)
    assert len(quiet.revocations(change - 1, scenario.list_change_s)[0]) == 1


def test_upstream_refuses_used_tokens_and_the_revoked_pass() -> None:
    scenario = Scenario(kiosks=50, minutes=30, seed=3)
    pool = issue_pass_pool(scenario)
    lists = PublishedLists(scenario, pool)
    texts = [text for k in range(scenario.kiosks) for _, text in scan_arrivals(scenario, k, pool)]
    tokens = [t for t in texts if t.startswith("KP1:")]
    refused = sum(lists.answer(t, 0.0) is OnlineResult.INVALID for t in tokens) / len(tokens)
    assert 0.01 < refused < 0.06  # invalid_share 3 %
    assert pool.revoked_dcc in texts
    assert lists.answer(pool.revoked_dcc, scenario.list_change_s - 1) is OnlineResult.VALID
    assert lists.answer(pool.revoked_dcc, scenario.list_change_s) is OnlineResult.REVOKED


def test_local_work_is_drawn_from_the_measured_distribution() -> None:
    rng = random.Random(1)
    draws = sorted(COMMIT_S.draw(rng) for _ in range(20_000))
    assert statistics.median(draws) == pytest.approx(0.00024, rel=0.1)
    assert draws[-1] <= 0.02395 and draws[int(0.99 * len(draws))] == pytest.approx(0.00617, rel=0.2)
    with pytest.raises(ValueError):
        Quantiles(((0.1, 0.0), (1.0, 1.0)))


def test_a_slow_disk_costs_verdicts_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # The verdict-time target can fail: commits of a disk that stalls for a second now and then.
    slow = Quantiles(((0.0, 0.001), (0.9, 0.01), (1.0, 1.5)))
    monkeypatch.setattr("kiosk.simulator.fleet_local.COMMIT_S", slow)
    result = simulate_policy(Scenario(kiosks=4, minutes=10, seed=3), OURS)
    assert result.verdicts_within_budget < 0.99
    assert result.max_verdict_ms > 1000


def test_the_fleet_engine_is_the_apps() -> None:
    result = simulate_policy(Scenario(kiosks=4, minutes=10, seed=3), OURS)
    # The app's reserve: no verdict waits longer than budget - reserve for upstream, plus local work.
    reserve = Config().verify.reserve_ms / 1000
    assert result.max_verdict_ms / 1000 < 1.0 - reserve + 0.06
    assert result.verdicts_within_budget == 1.0


def test_synced_revocations_deny_the_revoked_pass_offline() -> None:
    # The revocation is published at 37.5 min, the outage runs from 60 to 90 min: every
    # kiosk's 15-minute revocation sync has brought it by then, so offline verdicts in the
    # outage deny the pass. Only partial capacity (from 45 min) can fall back offline before
    # a kiosk's next sync: the freshness bound of a 15-minute poll.
    scenario = Scenario(kiosks=3, minutes=150, seed=5, revoked_share=0.3)
    result = simulate_policy(scenario, OURS)
    assert result.revoked_scans > 100 and result.scans_outage > 100
    assert result.revoked_admitted <= 5


def test_a_morning_start_switches_every_kiosk_on_within_ten_minutes() -> None:
    scenario = Scenario(kiosks=40, minutes=30, seed=3, morning_start=True)
    starts = [scenario.kiosk_start_s(k) for k in range(scenario.kiosks)]
    assert min(starts) >= 0 and max(starts) <= MORNING_S and len(set(starts)) == scenario.kiosks
    pool = issue_pass_pool(scenario)
    assert all(t >= starts[3] for t, _ in scan_arrivals(scenario, 3, pool))
    # Switched on after a night off, with today's protocol every kiosk syncs its lists at once.
    today = simulate_policy(scenario, WITHOUT_EXTENSIONS)
    assert today.requests["overall"][RequestKind.REVOCATIONS] >= scenario.kiosks
    assert today.requests["overall"][RequestKind.TRUST_ISSUERS] >= scenario.kiosks
    # With list news (heard the day before), the first verification's news replaces most.
    result = simulate_policy(scenario, OURS)
    assert result.requests["overall"][RequestKind.REVOCATIONS] < scenario.kiosks / 2
    assert result.requests["overall"][RequestKind.TRUST_ISSUERS] < scenario.kiosks / 2
    for run in (today, result):
        assert 0 < run.peak_arrivals_per_s <= run.capacity_per_s
    assert peak_rate({0: 3, 1: 1, 5: 6, 70: 60}, 60) == 1.0 and peak_rate({}, 60) == 0.0


def test_quiet_hours_are_their_own_window() -> None:
    scenario = Scenario(kiosks=10, minutes=20, seed=3, quiet_hours=1.0)
    assert scenario.length_s == scenario.lunch_end_s + 3600
    result = simulate_policy(scenario, OURS)
    assert result.requests_per_scan_by_window["quiet"] is not None
    per_min = result.scans_by_window["quiet"] / scenario.kiosks / 60
    assert 0.1 < per_min < 0.3
    plain = simulate_policy(dataclasses.replace(scenario, quiet_hours=0.0), OURS)
    assert plain.requests_per_scan_by_window["quiet"] is None


def test_every_scan_and_request_falls_in_one_window(rival_report) -> None:
    ours = rival_report.ours
    assert sum(ours.scans_by_window.values()) == ours.scans
    windows = ("healthy", "partial", "outage", "quiet")
    assert sum(ours.requests[w]["total"] for w in windows) == ours.requests["overall"]["total"]


def test_the_ordinary_client_backs_off_where_the_commercial_one_hammers(rival_report) -> None:
    ordinary, commercial = rival_report.baselines["ordinary"], rival_report.commercial
    uploads = RequestKind.UPLOAD
    assert ordinary.requests["outage"][uploads] < commercial.requests["outage"][uploads] / 3
    assert ordinary.upstream_requests_per_scan < commercial.upstream_requests_per_scan
    assert (ordinary.lost_records, ordinary.duplicate_records, ordinary.second_id_records) == (0, 0, 0)


def test_ours_is_below_the_fair_rival_in_every_window(rival_report) -> None:
    assert fewer_requests(rival_report, "ordinary")
    ours = rival_report.ours
    assert (ours.lost_records, ours.duplicate_records, ours.second_id_records, ours.mismatched_records) == (
        0,
        0,
        0,
        0,
    )


def test_the_ledger_finds_a_visit_under_a_second_id_and_a_record_unlike_the_verdict() -> None:
    shown = {"a": ("admit", "valid", "online"), "b": ("manual", "upstream_unavailable", "none")}
    ledger = Ledger()
    ledger.deliver([("a", shown["a"])], 1.0, ack_at=1.1, by_verify=True)
    ledger.deliver([("b", ("admit", "valid", "online"))], 2.0, ack_at=None, by_verify=True)
    assert check_ledger(shown, ledger) == (0, 1)  # b's proposal was stored, the screen showed manual
    ledger.deliver([("b", shown["b"])], 3.0, ack_at=3.1)  # the kiosk's upload is its final word
    assert check_ledger(shown, ledger) == (0, 0)
    ledger.deliver([("c", shown["b"])], 4.0, ack_at=4.1)  # visitor b again, under a new id
    assert check_ledger(shown, ledger) == (1, 0)


def test_the_cli_takes_the_new_scenarios_and_prints_the_windows(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    simulate.register(sub, lambda p: None)
    argv = ["simulate", "fleet", "--kiosks", "4", "--minutes", "10", "--json", "--jobs", "1"]
    argv += ["--trust-certs", "30", "--list-change", "--quiet-hours", "0.5", "--morning-start"]
    argv += ["--baseline", "ordinary", "--baseline", "commercial", "--baseline", "naive"]
    args = parser.parse_args(argv)
    assert args.handler(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"]["list_change"] and data["scenario"]["morning_start"]
    assert data["scenario"]["quiet_hours"] == 0.5
    for policy in ("ours", "ordinary", "commercial", "naive"):
        by_window = data[policy]["requests_per_scan_by_window"]
        assert set(by_window) == {"healthy", "partial", "outage", "quiet"}
        assert by_window["quiet"] is not None
        assert data[policy]["second_id_records"] == 0
        assert data[policy]["capacity_per_s"] > 0 and "peak_arrivals_per_s" in data[policy]
        assert set(data[policy]["requests_by_kind"]) == {str(k) for k in RequestKind}
    assert data["ours"]["requests_by_kind"][RequestKind.TRUST_DELTA] > 0  # the list did change
    argv = ["simulate", "fleet", "--kiosks", "2", "--minutes", "5", "--json", "--jobs", "1"]
    args = parser.parse_args(argv)
    assert args.handler(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert "ordinary" in data and "peak_arrivals_per_s" not in data["ours"]
    assert data["ours"]["requests_per_scan_by_window"]["quiet"] is None


NEWS_ONLY = dataclasses.replace(OURS, extensions=frozenset({"news"}))


def test_list_news_takes_the_polls_off_healthy_scans() -> None:
    scenario = Scenario(kiosks=30, minutes=60, seed=4)
    news = simulate_policy(scenario, NEWS_ONLY)
    today = simulate_policy(scenario, WITHOUT_EXTENSIONS)
    assert OURS.extensions == {"news", "delta", "health_wait", "carry"} and not WITHOUT_EXTENSIONS.extensions
    healthy_news, healthy_today = news.requests["healthy"], today.requests["healthy"]
    # What is left is each kiosk's first round (the app polls once at start) and idle kiosks.
    assert healthy_news[RequestKind.REVOCATIONS] < healthy_today[RequestKind.REVOCATIONS] / 2
    assert healthy_news[RequestKind.TRUST_STATUS] < healthy_today[RequestKind.TRUST_STATUS]
    assert news.requests_per_scan_by_window["healthy"] < today.requests_per_scan_by_window["healthy"]
    assert (news.lost_records, news.second_id_records, news.mismatched_records) == (0, 0, 0)


def test_a_list_change_is_picked_up_from_the_news_at_once() -> None:
    scenario = Scenario(kiosks=10, minutes=30, seed=4, trust_certs=40, list_change=True)
    news = simulate_policy(scenario, NEWS_ONLY)
    today = simulate_policy(scenario, WITHOUT_EXTENSIONS)
    # Every kiosk downloads the changed list (today: only those whose hourly sync fell in the run),
    # and without the delta the DGCA stream starts over: the whole list again.
    assert news.requests_by_kind[RequestKind.TRUST_UPDATE] > today.requests_by_kind[RequestKind.TRUST_UPDATE]
    assert news.requests_by_kind[RequestKind.TRUST_UPDATE] >= scenario.kiosks * 40


def test_with_the_delta_a_list_change_costs_each_kiosk_one_request() -> None:
    scenario = Scenario(kiosks=10, minutes=30, seed=4, trust_certs=200, list_change=True)
    result = simulate_policy(scenario, OURS)
    kinds = result.requests_by_kind
    assert kinds[RequestKind.TRUST_UPDATE] == 0 and kinds[RequestKind.TRUST_STATUS] == 0
    # One delta per kiosk for the change (a retry where partial capacity refused one).
    assert scenario.kiosks <= kinds[RequestKind.TRUST_DELTA] <= 2 * scenario.kiosks
    delta_only = simulate_policy(scenario, dataclasses.replace(OURS, extensions=frozenset({"delta"})))
    assert delta_only.requests_by_kind[RequestKind.TRUST_UPDATE] == 0


@pytest.mark.parametrize("policy", [OURS, WITHOUT_EXTENSIONS], ids=["news", "today"])
def test_a_revocation_reaches_every_kiosk_within_15_minutes_while_healthy(policy) -> None:
    scenario = Scenario(kiosks=20, minutes=150, seed=6)
    assert scenario.window_at(scenario.revocation_s) == "healthy"
    result = simulate_policy(scenario, policy)
    assert result.revocation_lag_s is not None and result.revocation_lag_s <= 900


@pytest.mark.parametrize("policy", [OURS, WITHOUT_EXTENSIONS], ids=["news", "today"])
def test_a_revocation_reaches_every_kiosk_within_15_minutes_of_recovery(policy) -> None:
    scenario = Scenario(kiosks=20, minutes=150, seed=6, revoke_at_s=4000.0)
    assert scenario.window_at(4000.0) == "outage" and scenario.revocation_due_s == scenario.recovery_s
    result = simulate_policy(scenario, policy)
    assert result.revocation_lag_s is not None and result.revocation_lag_s <= 900
