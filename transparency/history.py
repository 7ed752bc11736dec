"""The data as it was at a git revision. Git is asked in the small functions below; the data
it returns goes through the ordinary loading and validation."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic
from .load import AGREEMENTS, REPORTS
from .model import Dataset
from .pipeline import load_dataset

GIT_TIMEOUT = 120
USAGE = 2  # the exit status of a revision or folder that cannot be compared with


class HistoryError(Exception):
    """Git cannot give the data at a revision; `status` is the exit status to end with."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The data files at a revision and what they validate to (dataset None when invalid)."""

    rev: str  # as the user gave it
    commit: str
    files: dict[str, bytes]  # by name under the data folder: agreements.yml, reports/*.yml
    dataset: Dataset | None
    diagnostics: list[Diagnostic]


def load_at(data: Path, rev: str, name: str | None = None) -> Snapshot:
    """The data folder's files at `rev` of the repository holding it, loaded and validated.

    Messages call the revision `name` (default: `rev` as given).
    """
    top = toplevel(data)
    prefix = data_prefix(data, top)
    commit = resolve(top, rev)
    files = files_at(top, commit, prefix)
    name = name or rev
    dataset, diagnostics = load_files(files, shown_root=f"{name}:{prefix}")
    return Snapshot(name, commit, files, dataset, diagnostics)


def default_base(data: Path) -> tuple[str, str] | None:
    """(branch, commit): the default branch and where HEAD left it (their merge base), which is what a
    pull request from HEAD is checked against; None when there is no such branch, or HEAD is on it.

    The default branch is origin's (origin/HEAD), else origin/main, else main.
    """
    try:
        top = toplevel(data)
    except HistoryError:
        return None
    names = []
    remote_head = _git(top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote_head.returncode == 0:
        names.append(remote_head.stdout.decode("utf-8", "replace").strip())
    names += ["origin/main", "main"]
    for name in dict.fromkeys(names):
        ref = f"refs/heads/{name}" if name == "main" else f"refs/remotes/{name}"
        if _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
            continue
        if name == "main" and _git(top, "symbolic-ref", "--quiet", "HEAD").stdout.strip() == b"refs/heads/main":
            return None
        merge_base = _git(top, "merge-base", "HEAD", ref)
        if merge_base.returncode != 0:
            return None  # no commit yet, or histories without a common commit
        return name, merge_base.stdout.decode("ascii").strip()
    return None


def load_files(files: dict[str, bytes], shown_root: str) -> tuple[Dataset | None, list[Diagnostic]]:
    """Validate data files held in memory, as `load_dataset` does a folder.

    Months published out of order are let through: a base revision from before that rule was
    checked must still be compared with, so that a pull request can set it right.
    """
    with tempfile.TemporaryDirectory(prefix="transparency-") as folder:
        root = Path(folder)
        (root / REPORTS).mkdir()
        for name, content in files.items():
            (root / name).write_bytes(content)
        return load_dataset(root, shown_root, in_order=False)


def working_files(data: Path) -> dict[str, bytes]:
    """agreements.yml and reports/*.yml as they are on disk now (unreadable ones left out)."""
    names = [AGREEMENTS]
    folder = data / REPORTS
    if folder.is_dir():
        names += sorted(f"{REPORTS}/{entry.name}" for entry in folder.iterdir() if entry.name.endswith(".yml"))
    files = {}
    for name in names:
        try:
            files[name] = (data / name).read_bytes()
        except OSError:
            continue
    return files


def toplevel(data: Path) -> Path:
    """The top folder of the git work tree holding `data`."""
    result = _git(data, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise HistoryError(f"{data} is not inside a git repository ({_first_line(result.stderr)}); expected the "
                           "data folder in a git work tree, to compare with one of its revisions", USAGE)
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def data_prefix(data: Path, top: Path) -> str:
    """The data folder's path in the repository: '' at its top, else 'DIR/'."""
    relative = data.resolve().relative_to(top.resolve()).as_posix()
    return "" if relative == "." else relative + "/"


def resolve(top: Path, rev: str) -> str:
    """The commit a revision names; a revision git does not know is a usage error."""
    if not rev or rev.startswith("-"):
        raise HistoryError(f"revision {rev!r} is not a revision; expected a commit, branch or tag", USAGE)
    result = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if result.returncode != 0:
        raise HistoryError(f"unknown revision {rev!r} in {top}; expected a commit, branch or tag of this "
                           "repository (a base branch must be fetched first, e.g. git fetch origin main)", USAGE)
    return result.stdout.decode("ascii").strip()


def files_at(top: Path, commit: str, prefix: str) -> dict[str, bytes]:
    """agreements.yml and the files directly in reports/ at `commit`, by name under the data folder."""
    listing = _git(top, "ls-tree", "-z", commit, "--", prefix + AGREEMENTS, f"{prefix}{REPORTS}/")
    _require(listing, f"cannot list the files of {commit[:12]}")
    wanted: dict[str, str] = {}  # object id -> name
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, object_id = meta.decode("ascii").split()
        name = os.fsdecode(path)[len(prefix):]
        if kind == "blob" and mode in ("100644", "100755") and name.endswith(".yml"):
            wanted[object_id] = name
    return {wanted[object_id]: content for object_id, content in _blobs(top, list(wanted))}


def _blobs(top: Path, object_ids: list[str]) -> list[tuple[str, bytes]]:
    """The contents of blobs, read in one `git cat-file --batch`."""
    if not object_ids:
        return []
    result = _git(top, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in object_ids).encode("ascii"))
    _require(result, "cannot read the files")
    out, position, contents = result.stdout, 0, []
    for object_id in object_ids:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        contents.append((object_id, out[end + 1:end + 1 + size]))
        position = end + 1 + size + 1  # the content is followed by a newline
    return contents


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    # Literal pathspecs: a data folder named with '*' or ':' is still that folder.
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", LC_ALL="C")
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], input=stdin, capture_output=True,
                              timeout=GIT_TIMEOUT, env=env)
    except FileNotFoundError:
        raise HistoryError("git is not installed; expected the git command on the PATH")
    except subprocess.TimeoutExpired:
        raise HistoryError(f"git {args[0]} took longer than {GIT_TIMEOUT} s")


def _require(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        raise HistoryError(f"{what}: git says {_first_line(result.stderr)}")


def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else "no reason given"
