"""Rendering on every core: forked processes share the parent's memory (data, templates), compute
their part and send it back pickled through a pipe.

Only where it is safe and worth it: on Linux (fork without exec), in a process without other threads
(the preview's watcher has some: it renders alone), with more than one core and enough pages. A worker
that fails in any way leaves its part to the parent, which computes it itself: an error is then
raised exactly as without workers, with its traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from typing import Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

ENOUGH = 100  # fewer pages than this: forking costs more than it saves
# Linux only: macOS has fork, but its system libraries are not safe in a forked child that does not exec.
FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_FAILED = object()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(count: int) -> int:
    """How many processes to render `count` pages with: 1 where forking is unsafe or not worth it."""
    if not FORK or threading.active_count() > 1 or count < ENOUGH:
        return 1
    return max(1, min(cores(), 8, count // (ENOUGH // 2)))


def render_all(items: Sequence[Item], render: Callable[[Item], bytes], workers: int,
               progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """`render` of every item, in their order, on `workers` processes (this one among them)."""
    total = len(items)
    results: list[bytes | None] = [None] * total
    with contextlib.ExitStack() as stack:
        shares = [stack.enter_context(in_background(_share(items, render, share, workers)))
                  for share in range(1, workers)]
        for done, index in enumerate(range(0, total, workers), 1):
            results[index] = render(items[index])
            if progress:
                progress(min(done * workers, total - 1), total)  # the workers keep about the same pace
        for share, rendered in enumerate(shares, 1):
            results[share::workers] = rendered()
    if progress:
        progress(total, total)
    return results


def _share(items: Sequence[Item], render: Callable[[Item], bytes], share: int, workers: int):
    return lambda: [render(item) for item in items[share::workers]]


@contextlib.contextmanager
def in_background(work: Callable[[], Result], fork: bool = True) -> Iterator[Callable[[], Result]]:
    """`work()` computed by a forked worker while this process goes on; the call this yields waits for
    its result. Without `fork`, or where the worker failed, this process computes it at that call.
    A worker still running when the block ends (an error, an interrupt) is stopped."""
    child = _fork(work) if fork and FORK else None

    def result() -> Result:
        nonlocal child
        if child is not None:
            pid, read = child
            child = None
            value = _collect(pid, read)
            if value is not _FAILED:
                return value
        return work()

    try:
        yield result
    finally:
        if child is not None:
            os.close(child[1])
            _end(child[0])


def _fork(work: Callable[[], object]) -> tuple[int, int] | None:
    """A worker computing `work()`: its pid and the read end of its pipe; None if it could not start."""
    read, write = os.pipe()
    frozen = not gc.get_freeze_count()
    if frozen:
        gc.freeze()  # the worker's collections then skip what was there: no copying of shared memory
    try:
        pid = os.fork()
    except OSError:
        pid = None
    if pid != 0 and frozen:  # this process, with or without a worker
        gc.unfreeze()
    if pid is None:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the worker: never returns to the caller's code
        status = 1
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends it; the parent handles its own
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with open(write, "wb", closefd=True) as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int):
    """What a worker sent, or _FAILED when it did not finish."""
    chunks = []
    try:
        while chunk := os.read(read, 1 << 20):
            chunks.append(chunk)
    except BaseException:
        os.close(read)
        _end(pid)
        raise
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return _FAILED
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:
        return _FAILED


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
