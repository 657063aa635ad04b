"""While a job runs on a thread, the cyclic collector is paused (its full passes over
the job's objects would stall the window: benchmarks/run.py, stall rows); once the
last job ends it runs again, with what the jobs left alive frozen."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.ui.tasks import run_task


def test_the_collector_pauses_while_jobs_run_and_comes_back(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    assert gc.isenabled()
    release = [threading.Event(), threading.Event()]
    seen: list[bool] = []
    done: list[object] = []

    def job(k: int):  # type: ignore[no-untyped-def]
        def work(_progress, _cancelled):  # type: ignore[no-untyped-def]
            kept = [{"n": n} for n in range(1000)]  # what the job leaves alive
            seen.append(gc.isenabled())
            release[k].wait(5)
            return kept

        return work

    frozen = gc.get_freeze_count()
    for k in range(2):
        run_task(parent, "job", job(k), done.append, done.append)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == [False, False]
    release[0].set()
    qtbot.waitUntil(lambda: len(done) == 1)
    assert not gc.isenabled()  # the other job still runs
    release[1].set()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + 2000  # both results, frozen
    gc.unfreeze()  # leave the test process as it was
