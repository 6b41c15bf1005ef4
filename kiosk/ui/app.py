"""The window's composition root (like kiosk/wiring.py for the CLI): config -> parts -> window.

Sounds (`SoundPlayer`), the bundled font (`load_fonts`) and the language
(`install_language`) are set up by `kiosk run` before any widget exists; the owner's
parts (manual-log panel, PIN pad and owner menu, first run) are installed by
`OwnerFlow`, with their slow work on `OwnerWorker`. The admin screen is a page of the
window (`AdminPage`), reached through the owner menu's "Admin".
"""

from __future__ import annotations

import logging
import random
import socket
import sys
import threading
import types
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.camera.devices import camera_numbers
from kiosk.camera.feed import SourceFactory, camera_factory
from kiosk.camera.serial_scanner import SerialScanner
from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, load_config
from kiosk.config_layers import machine_settings, user_config_path
from kiosk.context import Context
from kiosk.owner.wiring import build_owner_services
from kiosk.owner_tools.daily import DailyJobs
from kiosk.owner_tools.dates import system_timezone
from kiosk.store.health_log import record_health
from kiosk.ui.admin.page import ADMIN_IDLE_S, AdminPage
from kiosk.ui.admin.services import AdminServices, build_admin_services
from kiosk.ui.controller import Controller, SoundSink
from kiosk.ui.desktop.awake import ScreenAwake
from kiosk.ui.desktop.systemd_notify import SystemdWatchdog
from kiosk.ui.entrance.main_window import MainWindow
from kiosk.ui.model import UiSettings
from kiosk.ui.owner.first_run import FirstRunFlow
from kiosk.ui.owner.flow import OwnerFlow
from kiosk.ui.owner.worker import OwnerWorker
from kiosk.ui.resources import fonts
from kiosk.ui.resources.i18n import install_language
from kiosk.ui.resources.sounds import SoundPlayer
from kiosk.ui.resources.theme import Theme
from kiosk.ui.setup.checks import SetupChecks
from kiosk.ui.setup.steps import NO_CAMERA, camera_choices
from kiosk.ui.setup.wizard import SetupWizard
from kiosk.ui.wedge import WedgeTiming
from kiosk.ui.worker_thread import stop_all
from kiosk.ui.workers import CameraWorker, ScannerWorker, StatusPoller, StatusReader, VerifyWorker
from kiosk.upstream.maintenance import Maintenance
from kiosk.upstream.maintenance_thread import MaintenanceThread
from kiosk.upstream.maintenance_values import MaintenanceSettings
from kiosk.upstream.uploader import Uploader, UploaderThread
from kiosk.wiring import build_engine, build_online, kiosk_identity, uploader_settings

log = logging.getLogger(__name__)


def load_fonts() -> None:
    """The bundled Hangul font as the application font: call before any widget is made."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        font = app.font()
        font.setFamily(fonts.load_fonts())
        app.setFont(font)


def sound_player(volume: int) -> SoundSink:
    """The verdict sounds at `volume` (0-100); silent, never failing, without an audio device."""
    return SoundPlayer(volume)


def install_excepthook() -> None:
    """Unexpected errors are logged by type only (messages may hold personal data); never shown."""

    def hook(kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None) -> None:
        log.error(
            "unexpected error in the window (%s); the kiosk keeps running",
            kind.__name__,
            exc_info=(kind, exc, tb),
        )

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread else "?"
        log.error("unexpected error in thread %s (%s)", name, args.exc_type.__name__)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def _who_calls_upstream(config: Config) -> tuple[str, str, str]:
    """What the upstream client was built with that the wizard may change."""
    return config.upstream.url, config.upstream.api_key, config.kiosk.id


class KioskApp:
    """Builds and owns every part of the running window; `shutdown()` stops and joins them all."""

    def __init__(
        self,
        ctx: Context,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        camera: SourceFactory | None = None,
        fullscreen: bool = False,
        sound: SoundSink | None = None,
        status_interval_ms: int = 1000,
        camera_retry_s: float = 3.0,
        decoder_factory: Callable[[], Any] | None = None,
        local_tz: tzinfo | None = None,
        i18n_dir: Path | None = None,
        config_path: Path | None = None,
        admin_idle_s: float = ADMIN_IDLE_S,
        restart: Callable[[], None] | None = None,
    ) -> None:
        """`i18n_dir`: where the `.qm` files are (default: the bundled ones); `config_path`: the
        file the set-up wizard and the admin screen's settings tab write (default: the per-user
        config file, over the machine-wide one); `local_tz`: the kiosk's zone, where "today"
        starts (default: the machine's); `restart`: called when the set-up wizard changed the
        upstream settings, which only a new start puts in force (without it, the next start)."""
        self.ctx = ctx
        self._i18n_dir = i18n_dir
        cfg = ctx.config
        self.clock = clock or SystemClock()
        self._local_tz = local_tz or system_timezone()
        self.rng = rng or random.Random()
        self.db = ctx.db()
        self.client = self.breaker = None
        if cfg.upstream.url:
            self.client, self.breaker = build_online(ctx, clock=self.clock, rng=self.rng)
            db = self.db
            self.breaker.on_transition.append(lambda old, new, cause, at: record_health(db, at, new, cause))
        parts = (self.client, self.breaker) if self.client and self.breaker else None
        self.engine = build_engine(ctx, clock=self.clock, rng=self.rng, online_parts=parts)
        self.uploader: UploaderThread | None = None
        self.maintenance: MaintenanceThread | None = None
        self._maintenance_service: Maintenance | None = None
        if self.client is not None and self.breaker is not None:
            up = Uploader(
                self.db, self.client, self.clock, self.rng, uploader_settings(cfg), breaker=self.breaker
            )
            self.uploader = UploaderThread(up, self.clock)
            main = Maintenance(
                self.db,
                self.client,
                self.clock,
                self.rng,
                MaintenanceSettings.from_config(cfg),
                breaker=self.breaker,
            )
            self._maintenance_service = main
            # Verifications ask for list news: lists synced on change, revocations at once.
            self.client.news = main
            self.maintenance = MaintenanceThread(main, self.clock)
            self.maintenance.wake_on_recovery(self.breaker)
            # Back online: the outage's upload backoffs are void, so the backlog goes at once.
            self.uploader.wake_on_recovery(self.breaker)

        self.theme = Theme(cfg.ui.theme, cfg.ui.large_text)
        title = cfg.kiosk.venue_name or ""
        self.window = MainWindow(self.clock, self.theme, title=title, wedge=WedgeTiming.from_config(cfg.ui))
        self.window.preview.set_mirrored(cfg.ui.mirror_preview)
        self.controller = Controller(
            self.window,
            self.clock,
            settings=UiSettings.from_config(cfg.ui),
            language=cfg.kiosk.language,
            sound=sound,
        )
        self._camera_source = camera
        self._camera_options: dict[str, Any] = {"retry_s": camera_retry_s}
        if decoder_factory:
            self._camera_options["decoder_factory"] = decoder_factory
        self.camera = self._camera_worker(cfg.ui.camera)
        self.scanner: ScannerWorker | None = None
        if cfg.ui.serial_scanner:
            port, baud = cfg.ui.serial_scanner, cfg.ui.serial_baud
            self.scanner = ScannerWorker(
                lambda: SerialScanner(port, self.clock, baud=baud), self.clock, retry_s=camera_retry_s
            )
        self.verifier = VerifyWorker(self.engine, self.clock)
        reader = StatusReader(
            self.db,
            self.clock,
            breaker=self.breaker,
            tz=self._local_tz,
            warn_age_s=cfg.trust.warn_age_hours * 3600.0,
            stale_age_s=cfg.trust.stale_age_hours * 3600.0,
            daily_jobs=DailyJobs(self.db, cfg, self._local_tz),
            clock_skew=self.client.clock_skew if self.client is not None else None,
        )
        self.poller = StatusPoller(reader, interval_ms=status_interval_ms)
        self.fullscreen = fullscreen or cfg.ui.kiosk
        services = build_owner_services(
            self.db, cfg, clock=self.clock, rng=self.rng, kiosk_id=kiosk_identity(cfg)
        )
        self.owner_account = services.account
        self.owner_worker = OwnerWorker(services, self.db, self.clock)
        self._config_path = config_path or user_config_path()
        self._explicit_config = config_path
        self._restart = restart
        self.setup_checks: SetupChecks | None = None
        # Two reads of one row at start-up, before the window shows: which screen comes first.
        set_up = services.account.is_set_up()
        self.owner = OwnerFlow(
            self.window,
            self.controller,
            self.owner_worker,
            set_up=set_up,
            can_seal=services.account.sealing_key() is not None,
            kiosk_mode=lambda: self.window.kiosk_mode,
            retention_days=cfg.privacy.retention_days,
            setup=None if set_up else self._setup_wizard,
        )
        set_volume = getattr(sound, "set_volume", None)
        self.admin = AdminPage(
            self.window, self.controller, self._admin_services, set_volume=set_volume, idle_s=admin_idle_s
        )
        self.owner.connect_admin(self.admin.open)
        self._wire()
        self.awake = ScreenAwake()
        # Under its systemd unit: READY once the window is up, then fed while the GUI thread runs.
        self.watchdog = SystemdWatchdog()
        self._stopped = False

    def _wire_camera(self, c: Controller, w: MainWindow) -> None:
        self.camera.frame_ready.connect(w.show_frame)
        self.camera.scanned.connect(c.on_scanned)
        self.camera.camera_lost.connect(c.on_camera_lost)
        self.camera.camera_back.connect(c.on_camera_back)
        self.camera.hint_changed.connect(c.on_hint)

    def _wire(self) -> None:
        c, w = self.controller, self.window
        self._wire_camera(c, w)
        if self.scanner is not None:
            self.scanner.scanned.connect(c.on_scanned)
        c.verify_requested.connect(self.verifier.verify)
        self.verifier.evaluated.connect(c.on_evaluated)
        self.verifier.failed.connect(c.on_verify_failed)
        self.poller.status.connect(c.on_status)
        w.wedge_flooded.connect(self.owner_worker.record_wedge_flood)
        c.leave_confirmed.connect(self._leave)
        c.language_requested.connect(self._language)

    def _camera_worker(self, spec: str) -> CameraWorker:
        """The camera worker for a `[ui] camera` value (a test's or `--camera`'s source wins)."""
        open_source = self._camera_source or camera_factory(spec, self.clock)
        return CameraWorker(open_source, self.clock, **self._camera_options)

    @staticmethod
    def _camera_wanted(spec: str) -> bool:
        return spec != NO_CAMERA

    def _setup_wizard(self, first_run: FirstRunFlow) -> SetupWizard:
        self.setup_checks = checks = SetupChecks(self.ctx, self.clock, self.rng, self._config_path)
        explicit = self._explicit_config
        # A source given to the app (`--camera`) is the one camera to offer.
        found = camera_choices(camera_numbers(), self.ctx.config.ui.camera)
        wizard = SetupWizard(
            first_run,
            config=self.ctx.config,
            machine={} if explicit else machine_settings(),
            config_path=self._config_path,
            reload=lambda: load_config(explicit),
            checks=checks,
            preview=self._camera_worker,
            cameras=[""] if self._camera_source else found,
            hostname=socket.gethostname(),
        )
        wizard.language_chosen.connect(self.controller.set_language)
        wizard.done.connect(self._setup_done)
        return wizard

    def _setup_done(self) -> None:
        """The wizard's answers in force: the name, the camera now; the upstream at a new start."""
        wizard, old = self.owner.setup, self.ctx.config
        assert wizard is not None
        new = wizard.config
        self.window.setWindowTitle(new.kiosk.venue_name or self.window.windowTitle())
        if new.ui.camera != old.ui.camera:
            self._replace_camera(new.ui.camera)
        if self._camera_wanted(new.ui.camera):
            self.camera.start()
        if _who_calls_upstream(new) != _who_calls_upstream(old):
            log.info("set-up changed the upstream settings: they take effect at the next start")
            if self._restart is not None:
                self._restart()

    def _replace_camera(self, spec: str) -> None:
        c, w = self.controller, self.window
        self.camera = self._camera_worker(spec)
        self._wire_camera(c, w)

    def _admin_services(self) -> AdminServices:
        """Built on the owner's first "Admin": the app's own data file, account and background threads."""
        return build_admin_services(
            self.db,
            self.ctx.db_path,
            self.ctx.config,
            self._config_path,
            clock=self.clock,
            account=self.owner_account,
            maintenance=self._maintenance_service,
            maintenance_thread=self.maintenance,
            uploader_thread=self.uploader,
            tz=self._local_tz,
        )

    def _language(self, language: str) -> None:
        self.admin.language_changed()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_language(app, language, folder=self._i18n_dir)

    def _leave(self) -> None:
        self.window.allow_close()
        self.window.close()

    def start(self) -> None:
        workers = [self.verifier, self.owner_worker, self.poller, self.scanner, self.setup_checks]
        # While the set-up wizard runs, its camera step owns the camera (and may change it).
        if self.owner.setup is None and self._camera_wanted(self.ctx.config.ui.camera):
            workers.append(self.camera)
        for worker in workers:
            if worker is not None:
                worker.start()
        if self.uploader is not None:
            self.uploader.start()
        if self.maintenance is not None:
            self.maintenance.start()
        if self.fullscreen:
            self.window.enter_kiosk_mode()
            self.awake.inhibit()
        else:
            self.window.install_owner_corner()  # the owner's way to the PIN, the menu and Admin
            # The screen's usable area (without the desktop's panels): the size the kiosk is made for.
            self.window.resize(self.window.screen().availableGeometry().size())
            self.window.show()
        self.window.setFocus(Qt.FocusReason.OtherFocusReason)
        self.watchdog.start()

    def shutdown(self) -> None:
        """Stop every worker (camera released, threads joined), then close the data file."""
        if self._stopped:
            return
        self._stopped = True
        self.watchdog.stop()
        self.controller.stop()
        self.admin.shutdown()  # its jobs (an export, a read) end before the data file closes
        stops: list[Callable[[], None]] = [
            self.camera.stop,
            *((self.owner.setup.stop,) if self.owner.setup is not None else ()),
            *((self.setup_checks.stop,) if self.setup_checks is not None else ()),
            self.poller.stop,
            self.verifier.stop,
            self.owner_worker.stop,
        ]
        if self.scanner is not None:
            stops.append(self.scanner.stop)
        if self.uploader is not None:
            stops.append(lambda: self.uploader.stop(3.0) if self.uploader else None)
        if self.maintenance is not None:
            stops.append(lambda: self.maintenance.stop(3.0) if self.maintenance else None)
        stop_all(*stops)
        self.awake.release()
        self.window.allow_close()
        self.window.close()
        if self.client is not None:
            self.client.close()
        busy = [t for t in (self.uploader, self.maintenance) if t is not None and t.alive]
        if busy:
            # A request to a hung upstream outlived the join: leave the file open for it
            # (every commit is already durable) rather than fail its last write.
            log.warning("a background task is still finishing; the data file closes at exit")
            return
        self.ctx.close()
