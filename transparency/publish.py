"""Stage 5: write a finished site into place atomically.

Everything is written into a fresh staging folder beside the output; only when it is complete
is it swapped with the output folder, in one atomic exchange where the system offers it. A
build that fails or is killed leaves the previous site as it was; concurrent builds take turns
at the swap.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

# Taking turns at the swap: flock on POSIX systems, msvcrt's byte lock on Windows.
try:
    import fcntl
except ImportError:
    fcntl = None
try:
    import msvcrt
except ImportError:
    msvcrt = None

STAGING = ".{name}.staging-{pid}-"


class PublishError(Exception):
    """The site could not be written (disk full, read-only, permissions)."""


def publish(files: dict[str, bytes], output: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Write `files` (relative path -> bytes), let `finish` add to the folder, then swap it in."""
    output = output.absolute()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(output)
        staging = Path(tempfile.mkdtemp(prefix=STAGING.format(name=output.name, pid=os.getpid()),
                                        dir=output.parent))
    except OSError as exc:
        raise PublishError(_explain(exc, output.parent)) from None
    try:
        write_tree(staging, files)
        if finish is not None:
            finish(staging)
        os.chmod(staging, 0o755)
        with _lock(output):
            _swap(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishError(_explain(exc, output)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write every file under `root`, creating folders as needed."""
    made: set[Path] = set()
    for relative, content in sorted(files.items()):
        path = root / relative
        folder = path.parent
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path.write_bytes(content)


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous site
        return
    previous = output.with_name(f".{output.name}.previous-{os.getpid()}")
    os.rename(output, previous)
    os.rename(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2; False where that is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _lock(output: Path) -> Iterator[None]:
    """Hold the output's lock file: one build at a time swaps its site in."""
    with open(output.with_name(f".{output.name}.lock"), "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        elif msvcrt is not None:
            _lock_windows(handle)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
            elif msvcrt is not None:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def _lock_windows(handle) -> None:
    """Lock the file's first byte, waiting as long as another build holds it."""
    while True:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # retries for about 10 s, then raises
            return
        except OSError as exc:
            if exc.errno not in (errno.EDEADLK, errno.EACCES):
                raise
            time.sleep(0.1)


def _remove_abandoned(output: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    prefix = f".{output.name}."
    for entry in output.parent.glob(prefix + "*"):
        rest = entry.name[len(prefix):]
        kind, _, tail = rest.partition("-")
        if kind not in ("staging", "previous") or not entry.is_dir():
            continue
        pid = tail.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    """Whether a process runs, asked without os.kill, which on Windows would end it."""
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists, someone else's
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _explain(exc: OSError, where: Path) -> str:
    reasons = {errno.ENOSPC: "the disk is full", getattr(errno, "EDQUOT", -1): "the disk quota is exceeded",
               errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
               errno.EPERM: "permission denied"}
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return (f"cannot write the site to {where}: {reason}; the previous site, if any, is unchanged "
            "(free some space or choose another folder with --output)")
