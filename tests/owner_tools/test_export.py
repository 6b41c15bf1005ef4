"""The visit-log export: content, language, all-or-nothing files, phones, audit, busy file."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.decision import Reason, Verdict, VerifiedBy
from kiosk.errors import InputError
from kiosk.owner_tools.atomic import OutputDiskFullError, OutputError
from kiosk.owner_tools.audit_trail import flush_pending_audit, pending_journal
from kiosk.owner_tools.dates import day_range
from kiosk.owner_tools.export import ExportRequest, LocalTimes, export_visits
from kiosk.owner_tools.progress import CancelFlag, Cancelled, Progress
from kiosk.owner_tools.sinks import CsvSink, XlsxSink, defuse, sink_for
from kiosk.store.audit import audit_entries
from kiosk.store.sealing import generate_owner_keypair, record_manual_entry, seal
from tests.owner_tools.conftest import T0, bulk_visits, locked_by_other_process, read_csv_text
from tests.tiny_tmpfs import tiny_tmpfs

SEOUL = ZoneInfo("Asia/Seoul")
TODAY = date(2026, 6, 30)
NOW = T0 + 30 * 86_400


def days(first: str, last: str, tz=SEOUL):  # type: ignore[no-untyped-def]
    return day_range(date.fromisoformat(first), date.fromisoformat(last), today=TODAY, tz=tz)


def export(db_path: Path, target: Path, request: ExportRequest, **kw):  # type: ignore[no-untyped-def]
    return export_visits(db_path, target, request, now=NOW, tz=kw.pop("tz", SEOUL), **kw)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_csv_has_bom_korean_words_local_time_and_only_the_range(db_path, add_visit, tmp_path):
    add_visit(scanned_at=T0 - 86_400)  # the day before: outside
    add_visit(scanned_at=T0, holder_masked="홍*동")  # 12:00:00 KST on 2026-05-28
    add_visit(
        scanned_at=T0 + 61.7, decision=Verdict.DENY, reason=Reason.VACCINATION_TOO_RECENT,
        verified_by=VerifiedBy.ONLINE, holder_masked="M******n A.",
    )
    add_visit(scanned_at=T0 + 12 * 3600 - 1)  # 23:59:59 KST, still inside
    add_visit(scanned_at=T0 + 12 * 3600)  # 00:00 KST the next day: outside
    out = tmp_path / "visits.csv"

    result = export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "ko"))

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv_text(raw)
    assert rows[0] == ["방문 시각", "판정", "사유", "확인 방법", "방문자", "전송 상태", "키오스크"]
    first = [
        "2026-05-28 12:00:00", "입장 가능", "유효한 증명서", "오프라인 확인", "홍*동", "전송 완료", "kiosk-7"
    ]
    assert rows[1] == first
    second = ["2026-05-28 12:01:01", "입장 불가", "접종 후 기간 부족", "온라인 확인", "M******n A."]
    assert rows[2][:5] == second
    assert rows[3][0] == "2026-05-28 23:59:59"
    assert len(rows) == 4 and result.rows == 3
    assert leftovers(tmp_path) == []


def test_english_words_follow_the_owners_language(db_path, add_visit, tmp_path):
    add_visit(decision=Verdict.ADMIT, reason=Reason.STAFF_CONFIRMED, verified_by=VerifiedBy.STAFF)
    out = tmp_path / "v.csv"
    export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"))
    rows = read_csv_text(out.read_bytes())
    assert rows[0][:3] == ["Local time", "Decision", "Reason"]
    assert rows[1][1:4] == ["admitted", "checked by staff", "checked by staff"]


def test_xlsx_reads_back_with_a_real_date_cell(db_path, add_visit, tmp_path):
    add_visit(scanned_at=T0 + 5, holder_masked="이*연")
    out = tmp_path / "v.xlsx"
    export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "xlsx", "ko"))
    sheet = openpyxl.load_workbook(out, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "방문 시각"
    assert rows[1][0] == datetime(2026, 5, 28, 12, 0, 5)
    assert rows[1][1:] == ("입장 가능", "유효한 증명서", "오프라인 확인", "이*연", "전송 완료", "kiosk-7")


def test_xlsx_layout_bold_frozen_header_wide_columns_and_rows_one_after_another(db_path, add_visit, tmp_path):
    add_visit(scanned_at=T0 + 5)
    add_visit(scanned_at=T0 + 6)
    out = tmp_path / "v.xlsx"
    key = generate_owner_keypair().private_key
    export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "xlsx", owner_private_key=key))
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert all(cell.font.b for cell in sheet[1]) and not sheet["B2"].font.b
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == [
        datetime(2026, 5, 28, 12, 0, 5), datetime(2026, 5, 28, 12, 0, 6), None
    ]
    # Wide enough for a whole time and a reason in words (Excel shows a cut date as ####).
    widths = {name: round(dim.width) for name, dim in sheet.column_dimensions.items()}
    assert widths == {"A": 22, "B": 13, "C": 29, "D": 13, "E": 17, "F": 13, "G": 17}
    assert (sheet.column_dimensions["G"].min, sheet.column_dimensions["G"].max) == (7, 8)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lists open files through /proc")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cancelled_export_keeps_no_file_open(db_path, add_visit, tmp_path, fmt):
    # An open handle would keep Windows from deleting the partial file. The error is kept (as a
    # caller showing it does), so nothing is closed by the garbage collector instead.
    add_visit()
    folder = tmp_path / "out"
    folder.mkdir()
    flag = CancelFlag()
    flag.set()
    with pytest.raises(Cancelled) as caught:
        export(db_path, folder / f"v.{fmt}", ExportRequest(days("2026-05-28", "2026-05-28"), fmt, "en"),
               cancelled=flag)
    open_files = (os.path.realpath(fd) for fd in Path("/proc/self/fd").iterdir())
    held = [target for target in open_files if target.startswith(str(folder))]
    assert held == [] and list(folder.iterdir()) == [] and caught.value is not None


def test_an_empty_range_gives_a_valid_header_only_file(db_path, add_visit, tmp_path):
    add_visit()
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"empty.{fmt}"
        result = export(db_path, out, ExportRequest(days("2026-04-01", "2026-04-02"), fmt, "en"))
        assert result.rows == 0
        if fmt == "csv":
            assert len(read_csv_text(out.read_bytes())) == 1
        else:
            assert len(list(openpyxl.load_workbook(out, read_only=True).active.iter_rows())) == 1


def test_reversed_and_future_ranges_are_input_errors():
    with pytest.raises(InputError, match="reversed"):
        days("2026-05-28", "2026-05-27")
    with pytest.raises(InputError, match="future"):
        days("2026-07-01", "2026-07-02")
    assert days("2026-06-30", "2026-07-05").last == date(2026, 7, 5)  # may reach past today


HYPERLINK = '=HYPERLINK("http://x","y")'


def _hostile_visit(db, add_visit) -> bytes:  # type: ignore[no-untyped-def]
    """A visit whose every text from outside starts a formula: holder, kiosk id and phone."""
    owner = generate_owner_keypair()
    visit = add_visit(holder_masked=HYPERLINK, kiosk_id="+cmd|' /C calc'!A0", verified_by=VerifiedBy.STAFF)
    record_manual_entry(db, visit.id, seal(owner.public_key, json.dumps({"phone": "@SUM(1+1)*cmd"}).encode()))
    return owner.private_key


def test_every_text_cell_of_the_csv_is_defused(db, db_path, add_visit, tmp_path):
    key = _hostile_visit(db, add_visit)
    out = tmp_path / "v.csv"
    export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en", owner_private_key=key))
    header, row = read_csv_text(out.read_bytes())
    assert row[4] == "'" + HYPERLINK
    assert row[6:] == ["'+cmd|' /C calc'!A0", "'@SUM(1+1)*cmd"]
    assert not [cell for cell in header + row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_xlsx_text_cells_are_strings_never_formulas(db, db_path, add_visit, tmp_path):
    key = _hostile_visit(db, add_visit)
    out = tmp_path / "v.xlsx"
    export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "xlsx", "en", owner_private_key=key))
    row = next(openpyxl.load_workbook(out).active.iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in row[4:5] + row[6:]] == [
        (HYPERLINK, "s"), ("+cmd|' /C calc'!A0", "s"), ("@SUM(1+1)*cmd", "s")
    ]
    assert {c.data_type for c in row[1:]} == {"s"}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_defuse_quotes_each_formula_start(text):
    assert defuse(text) == "'" + text


@pytest.mark.parametrize("text", ["", "1+1", "홍*동", "'=1", " =1", "a=b"])
def test_defuse_leaves_other_text_alone(text):
    assert defuse(text) == text


def test_unwritable_target_is_a_clear_error_and_leaves_nothing(db_path, add_visit, tmp_path):
    add_visit()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        export(db_path, blocker / "v.csv", ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"))
    with tiny_tmpfs(tmp_path / "ro", read_only=True) as ro:
        with pytest.raises(OutputError, match="cannot write"):
            export(db_path, ro / "v.csv", ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"))
        assert list(ro.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_full_disk_leaves_no_half_file_and_keeps_the_old_one(db_path, db, tmp_path, fmt):
    bulk_visits(db_path, 20_000, T0)
    with tiny_tmpfs(tmp_path / "small", size="256k") as small:
        out = small / f"v.{fmt}"
        out.write_bytes(b"previous export")
        with pytest.raises(OutputDiskFullError, match="not enough space"):
            export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), fmt, "en"))
        assert out.read_bytes() == b"previous export"
        assert sorted(p.name for p in small.iterdir()) == [f"v.{fmt}"]


def test_cancel_removes_the_partial_file_and_progress_is_reported(db_path, db, tmp_path):
    bulk_visits(db_path, 25_000, T0)
    seen: list[Progress] = []
    flag = CancelFlag()

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.done >= 10_000:
            flag.set()

    out = tmp_path / "v.csv"
    with pytest.raises(Cancelled):
        export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"),
               progress=on_progress, cancelled=flag)
    assert not out.exists() and leftovers(tmp_path) == []
    assert seen[0] == Progress(0, 25_000, "rows") and seen[-1].done == 10_000

    seen.clear()
    result = export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"),
                    progress=seen.append)
    assert result.rows == 25_000 and seen[-1] == Progress(25_000, 25_000, "finishing")
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_phones_only_with_the_owner_key_and_a_damaged_blob_marks_its_row(db, db_path, add_visit, tmp_path):
    owner = generate_owner_keypair()
    first = add_visit(verified_by=VerifiedBy.STAFF)
    second = add_visit(verified_by=VerifiedBy.STAFF)
    third = add_visit(verified_by=VerifiedBy.STAFF)
    contact = json.dumps({"name": "김민수", "phone": "010-1234-5678"}).encode()
    record_manual_entry(db, first.id, seal(owner.public_key, contact))
    damaged = bytearray(seal(owner.public_key, json.dumps({"phone": "010-9999-0000"}).encode()))
    damaged[-3] ^= 0xFF
    record_manual_entry(db, second.id, bytes(damaged))
    record_manual_entry(db, third.id, seal(owner.public_key, "이서연 010 5555 1234".encode()))
    rng = days("2026-05-28", "2026-05-28")

    plain = tmp_path / "plain.csv"
    export(db_path, plain, ExportRequest(rng, "csv", "en"))
    assert b"010-1234-5678" not in plain.read_bytes() and "Phone" not in read_csv_text(plain.read_bytes())[0]

    out = tmp_path / "phones.csv"
    result = export(db_path, out, ExportRequest(rng, "csv", "en", owner_private_key=owner.private_key))
    rows = read_csv_text(out.read_bytes())
    assert rows[0][-1] == "Phone"
    assert rows[1][-1] == "010-1234-5678"
    assert rows[2][-1].startswith("(sealed entry unreadable")
    assert rows[3][-1] == "010 5555 1234"
    assert "김민수" not in out.read_text(encoding="utf-8-sig")  # the name never leaves the seal
    assert result.unreadable_sealed == 1 and result.rows == 3


def test_every_export_is_audited_without_personal_data(db, db_path, add_visit, tmp_path):
    add_visit(holder_masked="홍*동")
    request = ExportRequest(days("2026-05-28", "2026-05-29"), "csv", "ko")
    export(db_path, tmp_path / "v.csv", request, actor="cli")
    [entry] = [e for e in audit_entries(db) if e.action == "export"]
    assert entry.actor == "cli" and entry.at == NOW
    assert entry.detail == {
        "from": "2026-05-28", "to": "2026-05-29", "format": "csv", "rows": 1, "with_phone": False,
        "unreadable_sealed": 0,
    }
    assert "홍" not in json.dumps(entry.detail, ensure_ascii=False)


def test_export_reads_while_another_process_holds_the_write_lock(db, db_path, add_visit, tmp_path):
    add_visit()
    out = tmp_path / "v.csv"
    with locked_by_other_process(db_path):
        result = export(db_path, out, ExportRequest(days("2026-05-28", "2026-05-28"), "csv", "en"))
        assert result.rows == 1 and not result.audit_stored
        assert pending_journal(db_path).exists()
    assert len(read_csv_text(out.read_bytes())) == 2
    assert flush_pending_audit(db) == 1
    assert [e.action for e in audit_entries(db)] == ["export"]
    assert not pending_journal(db_path).exists()


@settings(max_examples=300, deadline=None)
@given(
    ts=st.floats(min_value=0, max_value=4_102_444_800, allow_nan=False),
    zone=st.sampled_from(["Asia/Seoul", "Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "UTC"]),
)
def test_local_times_match_the_standard_library(ts, zone):
    tz = ZoneInfo(zone) if zone != "UTC" else UTC
    fast = LocalTimes(tz)
    fast(ts - 3600)  # a warm cache from another minute must not leak into this one
    stamp = fast(ts)
    expected = datetime.fromtimestamp(int(ts // 1), tz)
    assert stamp.text == expected.strftime("%Y-%m-%d %H:%M:%S")
    days_since_epoch = (expected.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86_400
    assert abs(stamp.serial - days_since_epoch) < 1e-8


def test_an_xlsx_export_works_in_hidden_files_named_after_the_target_and_leaves_only_it(
    db_path, add_visit, tmp_path
):
    add_visit()
    folder = tmp_path / "out"
    folder.mkdir()
    during: list[str] = []

    def look(p: Progress) -> None:
        if p.phase == "finishing":  # the rows are written, the workbook not yet closed
            during.extend(os.listdir(folder))

    export(db_path, folder / "v.xlsx", ExportRequest(days("2026-05-28", "2026-05-28"), "xlsx", "en"),
           progress=look)
    # The partial file and the sheet's spool folder (named after the partial file).
    assert all(name.startswith(".") and ".v.xlsx." in name for name in during)
    assert sorted(name.rsplit(".", 1)[-1] for name in during) == ["part", "spool"]
    assert os.listdir(folder) == ["v.xlsx"]


@pytest.mark.parametrize("sink", [CsvSink, XlsxSink])
def test_abort_after_a_close_that_failed_raises_nothing(tmp_path, sink):
    # export_visits aborts the sink when close() raises (e.g. a full disk while the archive is
    # written): by then close() has already cleaned up, and abort must not hide the real error.
    made = sink(tmp_path / "v.out")
    made.write_header(["a"])
    made.close()
    made.abort()
    assert os.listdir(tmp_path) == ["v.out"]


def test_an_unknown_sink_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        sink_for("pdf")


def test_no_stray_files_in_the_data_folder_after_an_export(db_path, add_visit, tmp_path):
    add_visit()
    export(db_path, tmp_path / "v.csv", ExportRequest(days("2026-05-28", "2026-05-28"), "xlsx", "en"))
    assert sorted(os.listdir(db_path.parent)) == ["kiosk.db", "kiosk.db-shm", "kiosk.db-wal"]
