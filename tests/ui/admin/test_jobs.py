"""The admin screen's jobs: the work off the GUI thread, what it says back on it, and no crash
when the screen that started a job is gone before the job ends.

Real parts: a Job over plain work functions and real widgets offscreen.
"""

from __future__ import annotations

import gc
import threading

import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.owner_tools.progress import CancelCheck, Progress, ProgressCallback
from kiosk.ui.admin.jobs import Job


def test_the_work_runs_off_the_gui_thread_and_is_answered_on_it(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    where: dict[str, object] = {}

    def work(progress: ProgressCallback, _cancelled: CancelCheck) -> str:
        where["work"] = threading.get_ident()
        progress(Progress(1, 2, "rows"))
        return "done"

    screen = QWidget()
    qtbot.addWidget(screen)
    job = Job("probe", work, screen)
    # Lambdas, as the tabs connect them: they must run where widgets may be touched.
    job.progress.connect(lambda _d, _t: where.setdefault("progress", threading.get_ident()))
    job.succeeded.connect(lambda result: where.update(result=result, succeeded=threading.get_ident()))
    with qtbot.waitSignal(job.ended, timeout=10000):
        job.start()
    assert where["work"] != gui
    assert where["progress"] == where["succeeded"] == gui and where["result"] == "done"
    assert job.wait(5) and not job.running


def test_a_job_whose_screen_is_gone_finishes_quietly(qtbot: QtBot) -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    told: dict[str, bool] = {}

    def work(progress: ProgressCallback, cancelled: CancelCheck) -> None:
        started.set()
        release.wait(10)
        progress(Progress(1, 1, "rows"))  # nobody is left to tell: the job stops early
        told["stop"] = cancelled()
        finished.set()

    screen = QWidget()
    job = Job("orphan", work, screen)
    job.start()
    assert started.wait(10)
    # The screen goes first (the window closed mid-export): its job and every reference to
    # the job with it. Destroying a thread that still runs would abort the whole program.
    shiboken6.delete(screen)
    del job
    gc.collect()
    release.set()
    qtbot.waitUntil(finished.is_set, timeout=10000)
    assert told["stop"]
    qtbot.wait(100)  # the thread ends and is let go; the program goes on
    gc.collect()
