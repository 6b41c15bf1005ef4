"""The outage evidence report: periods from health events, counts, the JSON contract, CSV and HTML."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.decision import Health, Reason, Verdict, VerifiedBy
from kiosk.errors import InputError
from kiosk.owner_tools.outage_report import CONTRACT_KEYS, build_outage_report, render
from kiosk.owner_tools.outages import DayTimeline, Transition, outage_spans
from kiosk.owner_tools.timeline_svg import day_svg, hour_ticks
from kiosk.owner_tools.words import Words
from kiosk.store.health_log import record_health
from kiosk.timefmt import local_midnight
from tests.owner_tools.conftest import T0, locked_by_other_process, read_csv_text

SEOUL = ZoneInfo("Asia/Seoul")
NOW = T0 + 3 * 86_400


def test_spans_merge_degraded_and_offline_and_leave_an_open_one_open():
    spans = outage_spans([
        Transition(10, "degraded", "timeout"),
        Transition(20, "offline", "dns"),
        Transition(30, "online", None),
        Transition(40, "offline", "refused"),
    ])
    assert spans == [(10, 30, "timeout"), (40, None, "refused")]
    assert outage_spans([Transition(5, "online", None)]) == []


def _outage_day(db, add_visit) -> None:  # type: ignore[no-untyped-def]
    """12:00 KST online visit; failures from 12:10; breaker opens 12:11; back online 12:40."""
    add_visit(scanned_at=T0, verified_by=VerifiedBy.ONLINE, holder_masked="홍*동")
    add_visit(scanned_at=T0 + 600, verified_by=VerifiedBy.OFFLINE)  # failed call, breaker still closed
    add_visit(scanned_at=T0 + 630, decision=Verdict.MANUAL, reason=Reason.UPSTREAM_UNAVAILABLE,
              verified_by=VerifiedBy.NONE)
    record_health(db, T0 + 660, Health.DEGRADED, "timeout")
    add_visit(scanned_at=T0 + 700, verified_by=VerifiedBy.OFFLINE)
    add_visit(scanned_at=T0 + 800, decision=Verdict.ADMIT, reason=Reason.STAFF_CONFIRMED,
              verified_by=VerifiedBy.STAFF)
    add_visit(scanned_at=T0 + 900, decision=Verdict.DENY, reason=Reason.NOT_A_PASS,
              verified_by=VerifiedBy.NONE)
    record_health(db, T0 + 1200, Health.OFFLINE, "dns")
    record_health(db, T0 + 2400, Health.ONLINE, None)
    add_visit(scanned_at=T0 + 2500, verified_by=VerifiedBy.ONLINE)
    add_visit(scanned_at=T0 + 2600, verified_by=VerifiedBy.OFFLINE)  # a lone failure later: not an outage


def test_json_is_exactly_the_contract_with_the_lead_in_counted(db, db_path, add_visit):
    _outage_day(db, add_visit)
    record_health(db, T0 + 86_400, Health.DEGRADED, "5xx")  # the next day, still open
    add_visit(scanned_at=T0 + 86_400 + 60, verified_by=VerifiedBy.OFFLINE)

    report = build_outage_report(db_path, now=NOW, tz=SEOUL)
    body = json.loads(render(report, "json"))

    assert [tuple(p) for p in body] == [CONTRACT_KEYS, CONTRACT_KEYS]
    assert body[0] == {
        "start": "2026-05-28T12:11:00.000+09:00",
        "end": "2026-05-28T12:40:00.000+09:00",
        "cause": "timeout",
        "verified_offline": 2,
        "logged_manually": 1,  # the staff answer
        "unanswered": 1,  # the staff check nobody answered
    }
    assert body[1]["end"] is None and body[1]["cause"] == "5xx" and body[1]["verified_offline"] == 1
    assert datetime.fromisoformat(body[0]["start"]).timestamp() == T0 + 660


def test_range_selects_overlapping_periods_and_checks_dates(db, db_path, add_visit):
    _outage_day(db, add_visit)
    record_health(db, T0 + 2 * 86_400, Health.DEGRADED, "429")
    rows = json.loads(render(build_outage_report(
        db_path, date(2026, 5, 29), date(2026, 5, 30), now=NOW, tz=SEOUL), "json"))
    assert [r["cause"] for r in rows] == ["429"]
    assert len(json.loads(render(build_outage_report(db_path, None, date(2026, 5, 28), now=NOW, tz=SEOUL),
                                 "json"))) == 1
    with pytest.raises(InputError, match="reversed"):
        build_outage_report(db_path, date(2026, 5, 29), date(2026, 5, 28), now=NOW, tz=SEOUL)
    with pytest.raises(InputError, match="future"):
        build_outage_report(db_path, date(2026, 6, 30), None, now=NOW, tz=SEOUL)


def test_csv_and_html_carry_kiosk_id_and_the_digest_and_no_personal_data(db, db_path, add_visit):
    _outage_day(db, add_visit)
    report = build_outage_report(db_path, now=NOW, tz=SEOUL, kiosk_id="cafe-door-1")
    digest = hashlib.sha256(render(report, "json")).hexdigest()
    assert report.sha256() == digest

    csv_text = render(report, "csv").decode("utf-8-sig").splitlines()
    assert csv_text[0] == "Start,End,Cause,Checked offline,Logged manually,Staff checks unanswered,Kiosk"
    assert csv_text[1] == "2026-05-28 12:11:00,2026-05-28 12:40:00,No answer,2,1,1,cafe-door-1"

    html = render(report, "html").decode("utf-8")
    assert "@page { size: A4" in html and "break-after: page" in html
    assert html.count("<section class='page'>") == 2  # the summary + one page for 2026-05-28
    assert "<h2>2026-05-28</h2>" in html and html.count("<svg") == 1
    assert 'class="state-degraded"' in html and 'class="state-offline"' in html
    assert 'class="state-online"' in html and 'class="scans"' in html
    assert html.count(digest) == 2 and "cafe-door-1" in html
    for form in ("json", "csv", "html"):
        assert "홍" not in render(report, form).decode("utf-8-sig")


def test_csv_and_html_speak_korean_with_local_times_and_plain_causes(db, db_path, add_visit):
    _outage_day(db, add_visit)
    record_health(db, T0 + 86_400, Health.DEGRADED, "5xx")  # the next day, still open
    report = build_outage_report(db_path, now=NOW, tz=SEOUL, kiosk_id="cafe-door-1")

    csv_rows = render(report, "csv", "ko").decode("utf-8-sig").splitlines()
    assert csv_rows[0] == "시작,종료,원인,오프라인 확인,수기 기록,미처리 직원 확인,키오스크"
    assert csv_rows[1] == "2026-05-28 12:11:00,2026-05-28 12:40:00,응답 없음,2,1,1,cafe-door-1"
    assert csv_rows[2].startswith("2026-05-29 12:00:00,계속 중,서버 오류,")

    html = render(report, "html", "ko").decode("utf-8")
    assert "<html lang='ko'>" in html and "<h1>장애 보고서 — 키오스크 cafe-door-1</h1>" in html
    assert "<td>2026-05-28 12:11:00</td><td>2026-05-28 12:40:00</td><td>응답 없음</td>" in html
    assert "<th>원인</th>" in html and ">연결 불안정</text>" in html and "계속 중" in html
    # No stored code and no machine time reaches a person's page; the JSON keeps both.
    for code in ("timeout", "5xx", "+09:00", "still open", "verified online"):
        assert code not in html, code
    assert json.loads(render(report, "json", "ko"))[0]["cause"] == "timeout"


def test_every_failure_cause_has_plain_words_in_both_languages():
    from kiosk.owner_tools.words import LANGUAGES, Words
    from kiosk.verify.online import FailureCause

    for language in LANGUAGES:
        words = Words(language)
        for code in [*FailureCause, "latency", "unknown"]:
            said = words.cause(code)
            assert said and said != code, (language, code)
    assert Words("ko").cause("timeout") == "응답 없음" and Words("en").cause("timeout") == "No answer"


def test_every_text_cell_of_the_csv_is_defused(db, db_path, add_visit):
    # A cause is whatever the data file holds (a restored backup may hold anything).
    record_health(db, T0 + 60, Health.DEGRADED, "=HYPERLINK(\"http://x\",\"y\")")
    record_health(db, T0 + 120, Health.ONLINE, None)
    record_health(db, T0 + 180, Health.OFFLINE, "-2+3")
    report = build_outage_report(db_path, now=NOW, tz=SEOUL, kiosk_id="@SUM(1)")
    rows = read_csv_text(render(report, "csv"))
    assert [(r[2], r[-1]) for r in rows[1:]] == [
        ("'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"), ("'-2+3", "'@SUM(1)")
    ]
    assert rows[2][1] == Words("en").report("still_open") and rows[1][3:6] == ["0", "0", "0"]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_scans_are_binned_per_five_minutes_on_the_timeline(db, db_path, add_visit):
    _outage_day(db, add_visit)
    report = build_outage_report(db_path, date(2026, 5, 28), date(2026, 5, 28), now=NOW, tz=SEOUL)
    [day] = report.days
    noon = 12 * 12  # 12:00 is bin 144
    assert day.bins[noon] == (1, 0, 0)
    assert day.bins[noon + 2] == (0, 2, 2)  # 12:10-12:15: two offline, a manual one and a staff one
    assert day.bins[noon + 3] == (0, 0, 1)  # 12:15: not a pass
    assert sum(sum(b) for b in day.bins) == 8
    states = [s.state for s in day.segments]
    assert states == ["online", "degraded", "offline", "online"]


def test_report_reads_while_another_process_holds_the_write_lock(db, db_path, add_visit):
    _outage_day(db, add_visit)
    with locked_by_other_process(db_path):
        report = build_outage_report(db_path, now=NOW, tz=SEOUL)
    assert len(report.periods) == 1


def test_an_empty_history_is_an_empty_list(db, db_path):
    report = build_outage_report(db_path, now=NOW, tz=SEOUL)
    assert render(report, "json") == b"[]\n"
    assert re.search(r"No outage", render(report, "html").decode())


@pytest.mark.parametrize(
    ("day", "labels"),
    [
        # 23 hours: the clock skips 2:00, so after it every label is an hour later than counted.
        (date(2026, 3, 29), ["0", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24"]),
        # 25 hours: 2:00 comes twice.
        (date(2026, 10, 25), ["0", "2", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24"]),
        (date(2026, 6, 1), [str(h) for h in range(0, 25, 2)]),
    ],
)
def test_timeline_hours_follow_the_local_clock_on_a_daylight_saving_day(day: date, labels: list[str]) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    since = local_midnight(day, berlin)
    until = local_midnight(day + timedelta(days=1), berlin)
    timeline = DayTimeline(day, since, until, (), ())
    ticks = hour_ticks(timeline, berlin)
    assert len(ticks) == round((until - since) / 3600) + 1 and ticks[-1][0] == until
    assert [label for _, label in ticks if label is not None] == labels
    svg = day_svg(timeline, berlin)
    assert re.findall(r'font-size="10">(\d+)</text>', svg)[: len(labels)] == labels
