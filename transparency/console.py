"""What the commands print: diagnostics as text or GitHub annotations, stage timings."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterable, Iterator

from .errors import Diagnostic
from .model import Dataset


def print_diagnostics(diagnostics: Iterable[Diagnostic], style: str | None = None) -> None:
    """Problems to stderr as `FILE:LINE:COL: error: ...`, or as workflow commands to stdout."""
    diagnostics = list(diagnostics)
    if style is None:
        style = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if style == "github":
        for d in diagnostics:
            print(f"::{d.severity} file={_property(d.path)},line={d.line},col={d.col}::{_data(d.message)}")
    else:
        for d in diagnostics:
            print(d, file=sys.stderr)
            if d.source is not None:
                print(d.excerpt(), file=sys.stderr)
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    if errors:
        print(f"{count(errors, 'error')}{', ' + count(warnings, 'warning') if warnings else ''} "
              f"in {count(len({d.path for d in diagnostics}), 'file')}", file=sys.stderr)


def summary_line(dataset: Dataset) -> str:
    agreements = dataset.agreements
    drafts = sum(report.is_draft for report in dataset.reports)
    published = len(dataset.reports) - drafts
    people = len(agreements.people)
    return (f"ok: {count(len(agreements.connectors), 'connector')}, {count(len(agreements.sponsors), 'sponsor')}, "
            f"{people} {'person' if people == 1 else 'people'}; {count(published, 'published month')}"
            f"{', ' + count(drafts, 'draft') if drafts else ''}")


def count(number: int, noun: str) -> str:
    """"3 reports", "1 report"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class Stages:
    """Prints each stage of a build with its count and time, unless quiet."""

    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[dict]:
        """Time a stage; the caller may put a `count` text into the yielded dict."""
        start = time.perf_counter()
        info: dict = {}
        yield info
        if not self.quiet:
            elapsed = time.perf_counter() - start
            count = f" ({info['count']})" if "count" in info else ""
            print(f"{name:<10} {elapsed * 1000:8.0f} ms{count}", file=self.stream, flush=True)

    def done(self, message: str) -> None:
        if not self.quiet:
            total = time.perf_counter() - self.started
            print(f"{message} in {total:.2f} s", file=self.stream, flush=True)


def progress_bar(label: str, stream=None):
    """A progress callback that redraws one line, only when attached to a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            width = 30
            filled = width * done // total
            end = "\r\033[K" if done == total else ""
            print(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}", end="",
                  file=stream, flush=True)

    return show
