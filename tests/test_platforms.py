"""Windows and macOS: what differs from Linux, tried here. The pull-request workflow also runs check, diff
and the fast tests on windows-latest and macos-latest."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

from conftest import REPORT, ROOT, git, git_repo, run_cli, write_dataset
from transparency import publish


def run_without(module: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a Python where `module` cannot be imported, as on a system without it."""
    code = (f"import sys; sys.modules[{module!r}] = None; sys.argv = ['build.py', *sys.argv[1:]]; "
            f"sys.path.insert(0, {str(ROOT)!r}); from transparency.cli import main; "
            f"sys.exit(main(project=__import__('pathlib').Path({str(ROOT)!r})))")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=120,
                          env={**os.environ, **env})


def test_every_command_works_without_fcntl(tmp_path):
    """fcntl is POSIX-only: importing it at the top made every command fail on Windows."""
    data = write_dataset(tmp_path / "data")
    checked = run_without("fcntl", "check", "--data", str(data))
    assert checked.returncode == 0, checked.stderr.decode()
    built = run_without("fcntl", "build", "--data", str(data), "-o", str(tmp_path / "site"), "--data-only", "-q")
    assert built.returncode == 0, built.stderr.decode()
    assert (tmp_path / "site" / "data" / "summary.json").is_file()


class FakeMsvcrt:
    """msvcrt's byte-range lock, as Windows behaves: LK_LOCK gives up with EDEADLK after ten tries."""
    LK_LOCK, LK_UNLCK = 1, 0

    def __init__(self, busy: int):
        self.busy = busy
        self.calls: list[str] = []

    def locking(self, fd, mode, nbytes):
        assert nbytes == 1 and os.lseek(fd, 0, os.SEEK_CUR) == 0  # the first byte of the lock file
        if mode == self.LK_LOCK and self.busy:
            self.busy -= 1
            self.calls.append("busy")
            raise OSError(errno.EDEADLK, "Resource deadlock avoided")
        self.calls.append("lock" if mode == self.LK_LOCK else "unlock")


def test_on_windows_the_swap_waits_for_the_lock_and_releases_it(tmp_path, monkeypatch):
    fake = FakeMsvcrt(busy=2)
    monkeypatch.setattr(publish, "fcntl", None)
    monkeypatch.setattr(publish, "msvcrt", fake)
    monkeypatch.setattr(publish.time, "sleep", lambda seconds: None)
    publish.publish({"index.html": b"new"}, tmp_path / "site")
    assert fake.calls == ["busy", "busy", "lock", "unlock"]
    assert (tmp_path / "site" / "index.html").read_bytes() == b"new"


def test_output_is_utf8_whatever_the_locale(tmp_path):
    """On Windows, output to a file or a pipe is in the ANSI code page unless told otherwise: no '→' there."""
    repo = git_repo(tmp_path / "repo")
    git(repo, "rm", "-q", "reports/2024-01.yml")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    process = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "main", "--data", str(repo)],
                             capture_output=True, timeout=120, env=env)
    assert process.returncode == 0, process.stderr
    text = process.stdout.decode("utf-8")
    assert "⚠️ **2024-01 was published in <code>main</code> and its file is deleted**" in text


def test_a_published_report_checked_out_with_windows_line_endings_is_unchanged(tmp_path):
    repo = git_repo(tmp_path / "repo")
    report = repo / "reports" / "2024-02.yml"
    report.write_bytes(report.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    result = run_cli("check", "--data", str(repo), "--base", "main")
    assert result.code == 0, result
    report.write_bytes(REPORT.replace("amount: 40", "amount: 45").replace("\n", "\r\n").encode())
    assert run_cli("check", "--data", str(repo), "--base", "main").code == 1
