"""The screens as widgets (pytest-qt, offscreen): verdicts, status bar, wedge, kiosk mode."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from kiosk.camera.hints import Hint
from kiosk.clock import ManualClock, SystemClock
from kiosk.decision import Decision, Health, PassKind, Reason, Verdict, VerifiedBy
from kiosk.simulator.server import Simulator
from kiosk.store.opening import open_database
from kiosk.ui.controller import Controller
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.entrance.preview import FrameCanvas
from kiosk.ui.entrance.verdict import VerdictView
from kiosk.ui.events import StatusSnapshot, VerdictReady
from kiosk.ui.model import NEW_VISIT, Screen, ScreenState, Shown, UiSettings
from kiosk.ui.resources import texts
from kiosk.ui.resources.theme import Theme
from kiosk.ui.wedge_input import WedgeNotice
from kiosk.ui.workers import StatusReader
from kiosk.upstream.client import UpstreamClient
from tests.ui.conftest import speak

ADMIT = Shown(Verdict.ADMIT, Reason.VALID, VerifiedBy.ONLINE, "홍*동", "v1")
DENY = Shown(Verdict.DENY, Reason.VACCINATION_TOO_RECENT, VerifiedBy.OFFLINE, "M******n G.", "v2")
CHECK = Shown(Verdict.MANUAL, Reason.UPSTREAM_UNAVAILABLE, VerifiedBy.NONE, None, "v3")


def window(qtbot: QtBot, theme: Theme | None = None, clock: ManualClock | None = None) -> MainWindow:
    w = MainWindow(clock or ManualClock(), theme)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def grey(widget) -> np.ndarray:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return data.reshape(h, image.bytesPerLine())[:, :w].copy()


def test_every_reason_has_plain_words() -> None:
    assert set(texts.REASON_TEXTS) == set(Reason)
    assert all(texts.reason_text(r) for r in Reason)
    # No fixed number of days: [rules] vaccination_min_days decides it.
    assert texts.reason_text(Reason.VACCINATION_TOO_RECENT) == "Vaccinated too recently"


@pytest.mark.parametrize(
    ("shown", "title", "reason_visible"),
    [(ADMIT, "Admitted", False), (DENY, "Not admitted", True), (CHECK, "Staff check", True)],
)
def test_each_verdict_screen_says_it_in_words(
    qtbot: QtBot, shown: Shown, title: str, reason_visible: bool
) -> None:
    w = window(qtbot)
    w.render(ScreenState(screen=Screen.VERDICT, shown=shown))
    view = w.verdict
    assert w.shown_page() is view
    assert view.property("verdict") == str(shown.verdict)
    assert view.title.text() == title
    assert view.reason.isVisible() is reason_visible
    if reason_visible:
        assert view.reason.text() == texts.reason_text(shown.reason)
    assert view.holder.text() == (shown.holder_masked or "")
    assert view.source.text().startswith(texts.verified_by_text(shown.verified_by))
    # No waiting check behind these verdicts (not logged): nothing to answer on them.
    assert view.admit_button.isHidden() and view.deny_button.isHidden()


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("ko", "인증 서비스 연결 불가: 직원이 증명서를 직접 확인하세요",
         "The verification service cannot be reached: staff, check the pass by eye"),
        ("en", "The verification service cannot be reached: staff, check the pass by eye",
         "인증 서비스 연결 불가: 직원이 증명서를 직접 확인하세요"),
    ],
)
def test_the_reason_is_said_in_both_languages_like_the_title(
    qapp, qtbot: QtBot, english_after, lang: str, first: str, second: str
) -> None:
    w = window(qtbot)
    speak(qapp, lang)
    w.render(ScreenState(screen=Screen.VERDICT, shown=CHECK))
    view = w.verdict
    assert (view.reason.text(), view.reason_secondary.text()) == (first, second)
    assert view.reason_secondary.isVisible()
    # The language's line large, the other below it, smaller.
    assert view.reason_secondary.font().pixelSize() < view.reason.font().pixelSize()
    assert view.reason_secondary.geometry().top() > view.reason.geometry().top()
    w.render(ScreenState(screen=Screen.VERDICT, shown=ADMIT))  # a plain admit explains nothing
    assert not view.reason.isVisible() and not view.reason_secondary.isVisible()


@pytest.mark.parametrize(
    ("lang", "first", "second"), [("ko", "확인 중…", "Checking…"), ("en", "Checking…", "확인 중…")]
)
def test_checking_is_said_in_both_languages(qapp, qtbot: QtBot, english_after, lang, first, second) -> None:
    w = window(qtbot)
    speak(qapp, lang)
    w.render(ScreenState(screen=Screen.VERIFYING))
    assert (w.preview.prompt.text(), w.preview.prompt_secondary.text()) == (first, second)
    assert w.preview.prompt_secondary.isVisible()


def test_the_three_verdicts_differ_in_greyscale(qtbot: QtBot) -> None:
    # Colour-blind visitors and monochrome screens: the verdicts must differ without colour.
    view = VerdictView(Theme())
    view.setStyleSheet(Theme().stylesheet())
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    images = {}
    for shown in (ADMIT, DENY, CHECK):
        view.render(shown)
        # The glyph's part of the screen (words aside) must already tell them apart.
        g = view.glyph.geometry()
        images[shown.verdict] = grey(view)[g.top() : g.bottom(), g.left() : g.right()].astype(np.int16)
    verdicts = list(images)
    for i, a in enumerate(verdicts):
        for b in verdicts[i + 1 :]:
            differing = np.mean(np.abs(images[a] - images[b]) > 64)
            assert differing > 0.02, f"{a} and {b} glyphs look alike in grey ({differing:.3f})"


def test_clearing_leaves_nothing_personal_in_the_widget(qtbot: QtBot) -> None:
    w = window(qtbot)
    w.render(ScreenState(screen=Screen.VERDICT, shown=ADMIT))
    w.render(ScreenState())
    assert w.shown_page() is w.preview
    assert w.verdict.holder.text() == "" and w.verdict.title.text() == ""


def test_the_first_painted_frame_is_logged_once(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    # benchmarks/bundle_start.py times a start-up by this line.
    canvas = FrameCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 360)
    frame = QImage(64, 36, QImage.Format.Format_Grayscale8)
    frame.fill(128)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.entrance.preview"):
        canvas.grab()  # the guide alone: no frame painted yet
        assert caplog.messages == []
        canvas.set_image(frame)
        canvas.grab()
        canvas.grab()
    assert caplog.messages == ["first preview frame painted"]


def status(health: Health, *, age_h: float = 1, configured: bool = True) -> StatusSnapshot:
    now = 1_790_000_000.0
    level = "fresh" if age_h < 24 else "aging" if age_h < 72 else "stale"
    return StatusSnapshot(
        at=now,
        health=health,
        pending_uploads=7,
        visits_today=42,
        trust_updated_at=now - age_h * 3600,
        trust_level=level,
        last_failure="timeout" if health is not Health.ONLINE else None,
        next_probe_at=now + 30 if health is not Health.ONLINE else None,
        online_configured=configured,
    )


@pytest.mark.parametrize(
    ("health", "word"),
    [(Health.ONLINE, "ONLINE"), (Health.DEGRADED, "DEGRADED"), (Health.OFFLINE, "OFFLINE")],
)
def test_status_bar_shows_each_health_as_word_icon_and_colour(
    qtbot: QtBot, health: Health, word: str
) -> None:
    w = window(qtbot)
    w.render(ScreenState(status=status(health)))
    bar = w.status_bar
    assert bar.health.text() == word
    assert bar.health.property("health") == str(health)
    assert bar.icon._health == str(health)
    assert "7" in bar.pending.text() and "42" in bar.visits.text()
    assert bar.isVisible()


def test_status_bar_stays_visible_on_every_screen(qtbot: QtBot) -> None:
    w = window(qtbot)
    for screen, shown in ((Screen.VERDICT, DENY), (Screen.MANUAL_LOG, None), (Screen.PIN, None)):
        w.render(ScreenState(screen=screen, shown=shown, status=status(Health.ONLINE)))
        assert w.status_bar.isVisible()


@pytest.mark.parametrize(("age_h", "level"), [(2, "fresh"), (30, "aging"), (100, "stale")])
def test_trust_age_colour_levels(qtbot: QtBot, age_h: float, level: str) -> None:
    w = window(qtbot)
    w.render(ScreenState(status=status(Health.ONLINE, age_h=age_h)))
    assert w.status_bar.trust.property("level") == level


def test_no_upstream_configured_reads_offline(qtbot: QtBot) -> None:
    w = window(qtbot)
    w.render(ScreenState(status=status(Health.ONLINE, configured=False)))
    assert w.status_bar.health.text() == "OFFLINE"


def test_tapping_the_status_bar_shows_the_detail(qtbot: QtBot) -> None:
    w = window(qtbot)
    w.render(ScreenState(status=status(Health.DEGRADED)))
    bar = w.status_bar
    assert not bar.detail.isVisible()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    assert bar.detail.isVisible()
    assert "No answer" in bar.detail.text() and "Next try" in bar.detail.text()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    assert not bar.detail.isVisible()


def test_the_detail_warns_of_a_clock_10_minutes_off_upstreams(qtbot: QtBot, tmp_path: Path) -> None:
    # The whole way: the simulator's Date, the client, the status reader, the bar.
    with Simulator(date_offset_s=600.0) as sim, open_database(tmp_path / "kiosk.db") as db, UpstreamClient(
        sim.url, "demo-key", clock=SystemClock()
    ) as client:
        reader = StatusReader(
            db,
            SystemClock(),
            breaker=None,
            tz=None,
            warn_age_s=3600,
            stale_age_s=7200,
            clock_skew=client.clock_skew,
        )
        assert reader.snapshot().clock_skew_s is None
        client.health(timeout_s=2.0)
        snapshot = reader.snapshot()
    w = window(qtbot)
    w.render(ScreenState(status=snapshot))
    assert "The clock is 10 min off the verification service's" in w.status_bar.detail.text()


def test_the_detail_says_nothing_of_a_clock_within_5_minutes(qtbot: QtBot) -> None:
    w = window(qtbot)
    for skew in (None, 290.0, -290.0):
        w.render(ScreenState(status=dataclasses.replace(status(Health.ONLINE), clock_skew_s=skew)))
        assert "clock" not in w.status_bar.detail.text()
    w.render(ScreenState(status=dataclasses.replace(status(Health.ONLINE), clock_skew_s=-1800.0)))
    assert "The clock is 30 min off" in w.status_bar.detail.text()


def test_the_detail_says_when_a_trust_list_was_refused(qtbot: QtBot) -> None:
    w = window(qtbot)
    refused = dataclasses.replace(status(Health.ONLINE), list_refused_at=1_790_000_000.0)
    w.render(ScreenState(status=refused))
    assert "failed its signature check" in w.status_bar.detail.text()
    assert "previous one is kept" in w.status_bar.detail.text()


def test_keyboard_wedge_scan_ends_with_enter(qtbot: QtBot) -> None:
    w = window(qtbot)
    with qtbot.waitSignal(w.scan_entered) as blocker:
        qtbot.keyClicks(w, "KP1:abc-DEF_123")
        qtbot.keyClick(w, Qt.Key.Key_Return)
    assert blocker.args == ["KP1:abc-DEF_123"]
    with qtbot.assertNotEmitted(w.scan_entered):
        qtbot.keyClick(w, Qt.Key.Key_Enter)  # an Enter alone is not a scan


def test_the_wedge_times_its_keys_by_the_windows_clock(qtbot: QtBot) -> None:
    clock = ManualClock()
    w = window(qtbot, clock=clock)
    # A person's stray keys, then a pause longer than a scanner ever makes: they are dropped.
    qtbot.keyClicks(w, "xq")
    clock.advance(0.6)
    with qtbot.waitSignal(w.scan_entered) as blocker:
        qtbot.keyClicks(w, "KP1:abcdefgh")
        qtbot.keyClick(w, Qt.Key.Key_Return)
    assert blocker.args == ["KP1:abcdefgh"]
    # A slow machine stalling mid-scan in real time is no pause by the clock: one scan.
    qtbot.keyClicks(w, "KP1:")
    qtbot.wait(700)
    clock.advance(0.1)
    with qtbot.waitSignal(w.scan_entered) as blocker:
        qtbot.keyClicks(w, "defghijk")
        qtbot.keyClick(w, Qt.Key.Key_Return)
    assert blocker.args == ["KP1:defghijk"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ko", "스캐너가 한글/대문자 모드입니다 / Scanner is in Korean or Caps mode"),
        ("en", "Scanner is in Korean or Caps mode / 스캐너가 한글/대문자 모드입니다"),
    ],
)
def test_the_scanners_wrong_mode_is_told_to_staff_in_both_languages(
    qapp, qtbot: QtBot, english_after, lang: str, expected: str
) -> None:
    w = window(qtbot)
    speak(qapp, lang)
    w.preview.render_card(None, WedgeNotice.WRONG_MODE)
    assert w.preview.card_notice.isVisible() and w.preview.card_notice.text() == expected
    w.preview.render_card(None, WedgeNotice.GARBAGE)
    assert "스캐너에서 알 수 없는 입력이 계속 들어옵니다" in w.preview.card_notice.text()
    w.preview.render_card(None, None)
    assert not w.preview.card_notice.isVisible()


def test_camera_lost_shows_no_camera_with_the_hint(qtbot: QtBot) -> None:
    w = window(qtbot)
    w.render(ScreenState(camera_ok=False, camera_problem="camera.unavailable"))
    assert w.preview.notice.isVisible() and "No camera" in w.preview.notice.text()
    assert "plugged in" in w.preview.hint.text()
    w.render(ScreenState())
    assert not w.preview.notice.isVisible()


def test_framing_guide_covers_at_least_300_px_of_a_720p_frame(qtbot: QtBot) -> None:
    w = window(qtbot)
    frame = QImage(1280, 720, QImage.Format.Format_Grayscale8)
    frame.fill(128)
    w.show_frame(frame)
    canvas = w.preview.canvas
    shown_height = canvas.image_rect().height()
    guide_in_frame_px = canvas.guide_rect().width() * 720 / shown_height
    assert guide_in_frame_px >= 300


@pytest.mark.parametrize("mirrored", [True, False])
def test_the_preview_is_painted_as_a_mirror_but_the_frame_is_left_as_it_came(
    qtbot: QtBot, mirrored: bool
) -> None:
    w = window(qtbot)
    w.preview.set_mirrored(mirrored)
    frame = QImage(1280, 720, QImage.Format.Format_RGB32)
    frame.fill(QColor("#0000ff"))
    painter = QPainter(frame)  # the camera's left half red, its right half blue
    painter.fillRect(0, 0, 640, 720, QColor("#ff0000"))
    painter.end()
    frame_bytes = bytes(frame.constBits())
    w.show_frame(frame)
    canvas = w.preview.canvas
    shown = canvas.grab().toImage()
    target = canvas.image_rect()
    left = shown.pixelColor(int(target.left() + target.width() * 0.1), int(target.top() + 8))
    right = shown.pixelColor(int(target.right() - target.width() * 0.1), int(target.top() + 8))
    # Mirrored, the camera's left half is painted on the screen's right: what a mirror shows.
    assert (left.red() > 200, right.red() > 200) == ((False, True) if mirrored else (True, False))
    assert bytes(frame.constBits()) == frame_bytes  # the frame the decoder reads is untouched


def test_kiosk_mode_ignores_close_and_escape_and_leaves_on_a_long_press(qtbot: QtBot) -> None:
    w = window(qtbot)
    w.enter_kiosk_mode(hold_ms=1000, cursor_idle_ms=100)
    qtbot.waitExposed(w)
    qtbot.wait(50)  # going full screen restyles every page once (the scale steps): let it settle first
    assert w.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not w.close()  # the window manager's close / Alt+F4
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert w.isVisible()
    corner = w.corner
    assert corner is not None and corner.geometry().right() == w.width() - 1
    with qtbot.assertNotEmitted(w.leave_requested, wait=1100):
        qtbot.mousePress(corner, Qt.MouseButton.LeftButton)
        qtbot.wait(100)
        qtbot.mouseRelease(corner, Qt.MouseButton.LeftButton)  # let go too early
    with qtbot.waitSignal(w.leave_requested, timeout=15000):
        qtbot.mousePress(corner, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(corner, Qt.MouseButton.LeftButton)
    w.allow_close()
    assert w.close()


def test_verdict_auto_clears_through_the_controller(qtbot: QtBot) -> None:
    clock = ManualClock()
    w = window(qtbot, clock=clock)
    played: list[Verdict] = []

    class Sound:
        def play(self, verdict: Verdict) -> None:
            played.append(verdict)

    c = Controller(w, clock, settings=UiSettings(4.0, 5.0), language="en", sound=Sound(), tick_ms=20)
    with qtbot.waitSignal(c.verify_requested) as started:
        c.on_keyboard_scan("HC1:pass")
    text, digest, _ = started.args
    assert text == "HC1:pass"
    decision = Decision(Verdict.DENY, Reason.EXPIRED, VerifiedBy.OFFLINE, PassKind.DCC, visit_id="v")
    c.dispatch(VerdictReady(decision, digest, clock.monotonic()))
    assert w.shown_page() is w.verdict and played == [Verdict.DENY]
    clock.advance(3.9)
    qtbot.wait(60)
    assert w.shown_page() is w.verdict
    clock.advance(0.2)
    qtbot.waitUntil(lambda: w.shown_page() is w.preview, timeout=15000)
    assert w.verdict.title.text() == ""
    c.stop()


def test_the_no_pass_answers_wait_while_the_last_one_is_stored(qtbot: QtBot) -> None:
    """A second visitor with no pass, tapped while the first is being stored, would be taken for a
    double tap and dropped: the buttons say so by waiting, then take the next visitor."""
    w = window(qtbot)
    state = ScreenState(staff_open=True)
    w.render(state)
    strip = w.staff_strip
    assert strip.no_pass_admit.isVisible() and strip.no_pass_admit.isEnabled()
    w.render(dataclasses.replace(state, checks=state.checks.begin(NEW_VISIT)))
    assert strip.no_pass_admit.isVisible()
    assert not strip.no_pass_admit.isEnabled() and not strip.no_pass_deny.isEnabled()
    w.render(state)
    assert strip.no_pass_admit.isEnabled() and strip.no_pass_deny.isEnabled()


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [("ko", "화면을 기울여 반사를 피해주세요", "Tilt away from the light"),
     ("en", "Tilt away from the light", "화면을 기울여 반사를 피해주세요")],
)
def test_the_visitors_hint_is_said_in_both_languages_over_the_guide(
    qapp, qtbot: QtBot, english_after, lang: str, first: str, second: str
) -> None:
    w = window(qtbot)
    speak(qapp, lang)
    canvas = w.preview.canvas
    w.render(ScreenState(hint=Hint.GLARE))
    assert (canvas.hint_text.text(), canvas.hint_secondary.text()) == (first, second)
    assert canvas.hint.isVisible() and canvas.hint_secondary.isVisible()
    assert canvas.hint_secondary.font().pixelSize() < canvas.hint_text.font().pixelSize()
    # Inside the frame, and clear of the guide's middle, where the visitor's code is.
    hint = QRectF(canvas.hint.geometry())
    assert canvas.image_rect().contains(hint)
    assert hint.bottom() < canvas.guide_rect().center().y()
    w.render(ScreenState(screen=Screen.VERIFYING, hint=Hint.GLARE))
    assert not canvas.hint.isVisible()
