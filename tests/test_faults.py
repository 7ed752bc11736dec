"""Faults during a build: killed at any moment, run twice at once, a full or read-only disk.
In every case the previous site stays whole, or the new one is whole; never a mixture."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, SEED_ERA, copy_data

pytestmark = pytest.mark.slow  # full builds, killed, raced, on a full disk

ENV = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)


def tree(root: Path) -> str:
    """One digest of every file's path and content under `root`."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def start(data: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--data", str(data), "-o", str(out),
                             "--markdown", str(out.parent / "docs"), "-q"],
                            env=ENV, cwd=out.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def build(data: Path, out: Path) -> subprocess.CompletedProcess:
    process = start(data, out)
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """Two data sets (the seed era's, before and after a new month) and the digests of their complete sites."""
    root = tmp_path_factory.mktemp("versions")
    old, new = root / "old", root / "new"
    for data in (old, new):
        copy_data(SEED_ERA, data)
    draft = (new / "reports" / "2022-05.yml").read_text()
    (new / "reports" / "2022-05.yml").write_text(
        draft.replace("status: draft", "status: published\npublished: 2022-06-03"))
    digests = {}
    for name, data in (("old", old), ("new", new)):
        out = root / f"reference-{name}" / "site"
        out.parent.mkdir()
        assert build(data, out).returncode == 0
        digests[name] = tree(out)
    assert digests["old"] != digests["new"]
    return old, new, digests


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".previous-" in p.name)


def test_a_build_killed_at_any_moment_leaves_a_whole_site(tmp_path, versions):
    old, new, digests = versions
    out = tmp_path / "site"
    assert build(old, out).returncode == 0
    rng = random.Random(7)
    outcomes = set()
    for _ in range(8):
        process = start(new, out)
        time.sleep(rng.uniform(0.05, 1.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = tree(out)
        assert state in (digests["old"], digests["new"]), "a killed build left a partial site"
        outcomes.add("new" if state == digests["new"] else "old")
        if state == digests["new"]:  # start again from the old site
            assert build(old, out).returncode == 0
    assert build(new, out).returncode == 0  # the next build also clears what killed builds left
    assert tree(out) == digests["new"]
    assert leftovers(tmp_path) == []


def test_two_builds_at_once_leave_one_whole_site(tmp_path, versions):
    old, new, digests = versions
    out = tmp_path / "site"
    first, second = start(old, out), start(new, out)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert tree(out) in (digests["old"], digests["new"])
    assert leftovers(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB file system of its own (needs the right to mount: root, as CI runs)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {result.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def previous_site(folder: Path) -> Path:
    site = folder / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site")
    return site


def test_a_full_disk_is_a_clear_error_and_keeps_the_previous_site(small_disk, versions):
    old, _, _ = versions
    site = previous_site(small_disk)
    result = build(old, site)
    assert result.returncode == 1
    assert "cannot write the site to" in result.stderr and "the disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_text() == "the previous site"
    assert leftovers(small_disk) == []


def test_a_read_only_disk_is_a_clear_error_and_keeps_the_previous_site(small_disk, versions):
    old, _, _ = versions
    site = previous_site(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = build(old, site)
    assert result.returncode == 1
    assert "the file system is read-only" in result.stderr and "Traceback" not in result.stderr
    assert (site / "index.html").read_text() == "the previous site"
