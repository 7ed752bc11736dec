"""Pages rendered by forked workers: the same bytes as one process renders, in the same order, and a
worker's failure leaves its pages to the parent, which raises the error itself."""

from __future__ import annotations

import os
import threading
import time

import pytest

from conftest import ROOT, computed
from test_golden import GOLDEN, OPTIONS
from transparency.pipeline import load_dataset
from transparency.render import render_site
from transparency.render import workers
from transparency.render.workers import ENOUGH, default_workers, in_background, render_all

pytestmark = pytest.mark.skipif(not workers.FORK, reason="workers are forked on Linux only")


@pytest.mark.parametrize("case", ["example", "hostile"])
def test_workers_render_the_same_site(case):
    dataset, _ = load_dataset(GOLDEN / case / "input")
    alone = render_site(dataset, *computed(dataset), OPTIONS, ROOT, workers=1)
    shared = render_site(dataset, *computed(dataset), OPTIONS, ROOT, workers=3)
    assert list(shared.items()) == list(alone.items())


def test_results_come_in_order_with_the_progress():
    seen = []
    results = render_all(list(range(10)), lambda n: str(n * n).encode(), 3, lambda done, total: seen.append(done))
    assert results == [str(n * n).encode() for n in range(10)]
    assert seen == sorted(seen) and seen[-1] == 10


def test_a_worker_that_dies_leaves_its_pages_to_the_parent():
    parent = os.getpid()

    def render(n):
        if os.getpid() != parent:
            os._exit(3)
        return bytes([n])

    assert render_all(list(range(7)), render, 2) == [bytes([n]) for n in range(7)]


def test_an_error_in_a_workers_page_is_raised_by_the_parent():
    parent = os.getpid()
    raised_in = []

    def render(n):
        if n == 5:
            raised_in.append(os.getpid())
            raise ValueError("page 5 links nowhere")
        return b""

    with pytest.raises(ValueError, match="page 5 links nowhere"):
        render_all(list(range(8)), render, 2)
    assert raised_in == [parent]  # the worker's attempt happened in its own memory


def test_one_process_where_forking_is_unsafe_or_not_worth_it():
    assert default_workers(ENOUGH - 1) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert default_workers(10 * ENOUGH) == 1  # another thread could hold a lock the worker would need
    finally:
        stop.set()
        thread.join()


def test_work_in_the_background_comes_back_or_is_done_here():
    parent = os.getpid()
    with in_background(lambda: (os.getpid(), {"a": b"1"})) as result:
        worker, value = result()
    assert worker != parent and value == {"a": b"1"}
    with in_background(lambda: os.getpid() if os.getpid() == parent else os._exit(1)) as result:
        assert result() == parent  # the worker died: this process did the work
    with in_background(os.getpid, fork=False) as result:
        assert result() == parent


def test_a_worker_no_longer_needed_is_stopped(tmp_path):
    started = tmp_path / "pid"

    def work():
        started.write_text(str(os.getpid()))
        threading.Event().wait()

    with pytest.raises(KeyError):
        with in_background(work):
            while not started.exists() or not started.read_text():
                time.sleep(0.01)
            raise KeyError("an error while the worker runs")
    with pytest.raises(ChildProcessError):
        os.waitpid(int(started.read_text()), os.WNOHANG)  # stopped and reaped: no worker left behind
