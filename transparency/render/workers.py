"""Pages rendered on every core: forked processes share the parent's memory (data, templates), each
renders every n-th page and sends its bytes back through a pipe.

Only where it is safe and worth it: on systems with fork, in a process without other threads (the
preview's watcher has some: it renders alone), with more than one core and enough pages. A worker
that fails in any way leaves its pages to the parent, which renders them itself: an error is then
raised exactly as a sequential render raises it, with its traceback.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")

ENOUGH = 100  # fewer pages than this: forking costs more than it saves


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(count: int) -> int:
    """How many processes to render `count` pages with: 1 where forking is unsafe or not worth it."""
    if not hasattr(os, "fork") or threading.active_count() > 1 or count < ENOUGH:
        return 1
    return max(1, min(cores(), 8, count // (ENOUGH // 2)))


def render_all(items: Sequence[Item], render: Callable[[Item], bytes], workers: int,
               progress: Callable[[int, int], None] | None = None) -> list[bytes]:
    """`render` of every item, in their order, on `workers` processes (this one among them)."""
    total = len(items)
    results: list[bytes | None] = [None] * total
    children: dict[int, tuple[int, int]] = {}  # share -> (pid, read end of its pipe)
    frozen = workers > 1 and not gc.get_freeze_count()
    if frozen:
        gc.freeze()  # the workers' collections then skip what was there: no copying of shared memory
    try:
        for share in range(1, workers):
            child = _fork(items, render, share, workers)
            if child is not None:
                children[share] = child
        if frozen:
            gc.unfreeze()
            frozen = False
        for done, index in enumerate(range(0, total, workers), 1):
            results[index] = render(items[index])
            if progress:
                progress(min(done * workers, total - 1), total)  # the workers keep about the same pace
        for share in range(1, workers):
            rendered = _collect(*children.pop(share)) if share in children else None
            indices = range(share, total, workers)
            if rendered is None or len(rendered) != len(indices):
                rendered = [render(items[index]) for index in indices]
            for index, data in zip(indices, rendered):
                results[index] = data
    finally:
        if frozen:
            gc.unfreeze()
        for pid, read in children.values():  # an error or an interrupt: the workers are not needed
            os.close(read)
            _end(pid)
    if progress:
        progress(total, total)
    return results


def _fork(items: Sequence[Item], render: Callable[[Item], bytes], share: int, workers: int) -> tuple[int, int] | None:
    """A worker rendering items share, share + workers, ...: its pid and the read end of its pipe."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the worker: never returns to the caller's code
        status = 1
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends it; the parent handles its own
            data = pickle.dumps([render(items[index]) for index in range(share, len(items), workers)],
                                protocol=pickle.HIGHEST_PROTOCOL)
            with open(write, "wb", closefd=True) as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> list[bytes] | None:
    """What a worker sent, or None when it did not finish."""
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
        return None
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:
        return None


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
