"""Background work for the window: camera + decode, verification, status polling.

Each worker is a `ThreadedWorker` (kiosk/ui/worker_thread.py): a QObject on its own
QThread whose results reach the GUI thread only through queued signals. The GUI
thread never touches the camera, the network or SQLite writes. `KioskApp.shutdown`
stops and joins them all on close.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import tzinfo

import cv2
import numpy as np
from PySide6.QtCore import QMetaObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera.decoder import QrDecoder
from kiosk.camera.feed import Capture, LatestFrame, SourceFactory
from kiosk.camera.sources import ScanLoop
from kiosk.clock import Clock
from kiosk.decision import Health
from kiosk.errors import KioskError, error_key
from kiosk.store import outbox
from kiosk.store.database import Database
from kiosk.store.issuer_store import IssuerStore
from kiosk.store.retention import DAY_S
from kiosk.store.trust_age import TrustAge, trust_lists_updated_at
from kiosk.store.trust_store import TrustStore
from kiosk.store.visits import visits_since
from kiosk.timefmt import local_day_start
from kiosk.ui.events import StatusSnapshot
from kiosk.ui.worker_thread import ThreadedWorker
from kiosk.verify.breaker import CircuitBreaker
from kiosk.verify.engine import VerificationEngine

log = logging.getLogger(__name__)


def to_qimage(frame: np.ndarray, width: int) -> QImage:
    """A scaled-down preview that owns its pixels (the numpy buffer is reused by the camera)."""
    h, w = frame.shape[:2]
    if w > width:
        frame = cv2.resize(frame, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    frame = np.ascontiguousarray(frame)
    h, w = frame.shape[:2]
    if frame.ndim == 2:
        image = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_Grayscale8)
    else:
        if frame.shape[2] == 4:
            frame = np.ascontiguousarray(frame[:, :, :3])
        image = QImage(frame.data, w, h, frame.strides[0], QImage.Format.Format_BGR888)
    return image.copy()


class _SlotSource:
    """Gives ScanLoop the newest captured frame (and remembers it for the preview)."""

    def __init__(self, slot: LatestFrame, wait_s: float) -> None:
        self._slot = slot
        self._wait_s = wait_s
        self.last: np.ndarray | None = None

    def read(self) -> np.ndarray | None:
        self.last = self._slot.take(self._wait_s)
        return self.last

    def close(self) -> None:
        pass


class CameraWorker(ThreadedWorker):
    """Capture + decode loop. Run it with `start()`; `stop()` ends it and releases the camera."""

    frame_ready = Signal(QImage)
    scanned = Signal(str, float)  # pass text (memory only, never logged) and monotonic time
    camera_lost = Signal(str)  # an error key such as "camera.unavailable": no personal data
    camera_back = Signal()

    def __init__(
        self,
        open_source: SourceFactory,
        clock: Clock,
        *,
        decoder_factory: Callable[[], QrDecoder] = QrDecoder,
        retry_s: float = 3.0,
        hold_off_s: float = 2.0,
        preview_width: int = 640,
        preview_fps: float = 20.0,
    ) -> None:
        super().__init__("camera")
        self._open_source = open_source
        self._clock = clock
        self._decoder_factory = decoder_factory
        self._retry_s = retry_s
        self._hold_off_s = hold_off_s
        self._preview_width = preview_width
        self._preview_interval = 1.0 / preview_fps
        self._stop = threading.Event()
        self.slot = LatestFrame()
        self.frames_decoded = 0
        self._thread.started.connect(self._run)

    def stop(self, timeout_ms: int = 5000) -> None:
        self._stop.set()
        self.slot.wake()
        super().stop(timeout_ms)

    @Slot()
    def _run(self) -> None:
        decoder = self._decoder_factory()
        lost = False
        while not self._stop.is_set():
            try:
                source = self._open_source()
            except (KioskError, OSError, cv2.error) as exc:
                lost = self._lose(lost, exc)
                continue
            capture = Capture(source, self.slot, self._clock)
            capture.start()
            try:
                lost = self._decode_until_failure(capture, decoder, lost)
            finally:
                capture.stop()
                source.close()
            if capture.error is not None and not self._stop.is_set():
                lost = self._lose(lost, capture.error)

    def _lose(self, lost: bool, exc: Exception) -> bool:
        key = exc.key if isinstance(exc, KioskError) else "camera.unavailable"
        if not lost:
            log.warning("camera unavailable (%s); retrying every %.0f s", key, self._retry_s)
            self.camera_lost.emit(key)
        self._stop.wait(self._retry_s)
        return True

    def _decode_until_failure(self, capture: Capture, decoder: QrDecoder, lost: bool) -> bool:
        feed = _SlotSource(self.slot, 0.1)
        loop = ScanLoop(feed, decoder, self._clock, hold_off_s=self._hold_off_s)  # type: ignore[arg-type]
        last_preview = -1e9
        while not self._stop.is_set():
            events = loop.step()
            if events is None:
                if capture.error is not None or not capture.alive:
                    return lost
                continue
            self.frames_decoded += 1
            if lost:
                lost = False
                self.camera_back.emit()
            for event in events:
                self.scanned.emit(event.text, event.at)
            now = self._clock.monotonic()
            if feed.last is not None and now - last_preview >= self._preview_interval:
                last_preview = now
                self.frame_ready.emit(to_qimage(feed.last, self._preview_width))
        return lost


class VerifyWorker(ThreadedWorker):
    """Runs `engine.verify` off the GUI thread; it may wait up to the budget for upstream."""

    evaluated = Signal(object, str)  # Evaluation, digest
    failed = Signal(str, str)  # digest, error key

    def __init__(self, engine: VerificationEngine, clock: Clock) -> None:
        super().__init__("verify")
        self._engine = engine
        self._clock = clock

    @Slot(str, str, float)
    def verify(self, text: str, digest: str, at: float) -> None:
        try:
            evaluation = self._engine.verify(text, at=self._clock.now())
        except Exception as exc:
            # The visit could not be made durable (or the program failed): never show a verdict
            # that was not saved.
            self.failed.emit(digest, error_key(exc, "verification"))
            return
        self.evaluated.emit(evaluation, digest)


class StatusReader:
    """What the status bar shows, read from the store and the breaker (no Qt; runs on the poller)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        breaker: CircuitBreaker | None,
        tz: tzinfo | None,
        warn_age_s: float,
        stale_age_s: float,
        daily_jobs: Callable[[float], None] | None = None,
        clock_skew: Callable[[], float | None] | None = None,
    ) -> None:
        """`tz`: the kiosk's zone, where "visits today" starts (None: the machine's own);
        `daily_jobs(now)`: the owner's once-a-day jobs (`owner_tools.daily.DailyJobs`), run on
        the poller's thread; `clock_skew()`: upstream's clock minus ours as its last answer
        showed (the client's)."""
        self._db = db
        self._clock = clock
        self._breaker = breaker
        self._tz = tz
        self._trust = TrustStore(db, clock)
        self._issuers = IssuerStore(db, clock)
        self._warn_age_s = warn_age_s
        self._stale_age_s = stale_age_s
        self._daily_jobs = daily_jobs
        self._clock_skew = clock_skew
        self._next_daily: float | None = None

    def snapshot(self) -> StatusSnapshot:
        now = self._clock.now()
        updated = trust_lists_updated_at(self._trust, self._issuers)
        age = TrustAge.at(updated, now, self._warn_age_s, self._stale_age_s)
        health, cause, next_probe = Health.OFFLINE, None, None
        if self._breaker is not None:
            snap = self._breaker.snapshot()
            health, cause, next_probe = snap.health, snap.last_cause, snap.next_probe_at
        skew_s = self._clock_skew() if self._clock_skew is not None else None
        refusals = self._trust.refusals()
        return StatusSnapshot(
            at=now,
            health=health,
            pending_uploads=outbox.pending_count(self._db),
            visits_today=visits_since(self._db, local_day_start(now, self._tz)).total,
            trust_updated_at=updated,
            trust_level=str(age.level),
            last_failure=cause,
            next_probe_at=next_probe,
            online_configured=self._breaker is not None,
            quarantined_uploads=outbox.quarantined_count(self._db),
            clock_skew_s=skew_s,
            list_refused_at=refusals[0].at if refusals else None,
        )

    def daily_if_due(self) -> bool:
        """The daily owner jobs (the first run at start-up). True when they ran."""
        if self._daily_jobs is None:
            return False
        now = self._clock.now()
        if self._next_daily is not None and now < self._next_daily:
            return False
        self._next_daily = now + DAY_S
        self._daily_jobs(now)
        return True


class StatusPoller(ThreadedWorker):
    """Every `interval_ms`, reads a StatusSnapshot on its own thread; runs the daily owner jobs too."""

    status = Signal(object)  # StatusSnapshot

    def __init__(self, reader: StatusReader, *, interval_ms: int = 1000) -> None:
        super().__init__("status")
        self._reader = reader
        self._interval_ms = interval_ms
        self._timer: QTimer | None = None
        self._thread.started.connect(self._begin)

    def stop(self, timeout_ms: int = 5000) -> None:
        if self._thread.isRunning():
            # The timer belongs to the poller's thread: stop and free it there.
            QMetaObject.invokeMethod(self, "_end", Qt.ConnectionType.BlockingQueuedConnection)
        super().stop(timeout_ms)

    @Slot()
    def _end(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer.setParent(None)
            self._timer = None

    @Slot()
    def _begin(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    @Slot()
    def poll(self) -> None:
        try:
            self._reader.daily_if_due()
        except Exception as exc:
            # The status bar must keep updating whatever a daily job does.
            error_key(exc, "daily owner jobs")
        try:
            self.status.emit(self._reader.snapshot())
        except Exception as exc:
            error_key(exc, "status read")
