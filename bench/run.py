#!/usr/bin/env python3
"""Benchmark: generate a synthetic data set of C connectors x M months, then time what a user waits for,
each command a whole process as a user runs it (interpreter start and imports included), timed from
outside, against a floor timed the same way:

- `python build.py check` against a fresh Python that merely parses the same files with
  yaml.CSafeLoader;
- the full build, `python build.py`, against `python -m mkdocs build` alone, with the project's
  mkdocs.yml, on the very Markdown that our build generated;
- `python verify.py SITE` (the site's own data/verify.py) against a fresh Python that merely parses
  the files it reads (json.loads, csv.reader), then `python verify.py URL` once over HTTP (the site
  served by `python -m http.server`): its time and peak memory;
- the site's size, its largest page, the connectors page, and the build's peak memory;
- size per page at half the connectors, to show that size grows linearly with pages;
- bad inputs (an alias bomb, deep nesting, an oversized file): time and memory to refuse them;
- the preview's rebuild after an edit to one report of the repository's own data.

    python bench/run.py [--connectors 300] [--months 60] [--seed 1] [--runs 5] [--build-runs 3]

After a first run of each command (not timed: it writes the bytecode caches and reads the files into
the page cache), ours and its floor run in pairs, alternately first (ours then the floor, the floor
then ours, ...), so that both see the same load. Each time is the median of its runs; each ratio is
the median of the pairs' ratios; [lowest-highest] is their spread, and `cpu` the ratio of the
processes' CPU times (user and system), which a busy machine disturbs less than wall time. Builds are
rebuilds (the output folder exists), as in daily use, ours and MkDocs' alike. The processes get the
environment `make bench` runs in (with PYTHONDONTWRITEBYTECODE set, every run compiles the project's
modules afresh, as it does for a user in that environment).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from synthetic import generate  # noqa: E402

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795000000", NO_MKDOCS_2_WARNING="1")

# A fresh Python that parses the files that check reads, and does nothing else.
PARSE_FLOOR = """
import sys, yaml
from pathlib import Path
folder = Path(sys.argv[1])
for path in [folder / "agreements.yml", *sorted((folder / "reports").glob("*.yml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""

# A fresh Python that parses the files that verify reads, and does nothing else.
READ_FLOOR = """
import csv, io, json, sys
from pathlib import Path
data = Path(sys.argv[1]) / "data"
for path in [data / "manifest.json", data / "agreements.json", data / "summary.json",
             *sorted((data / "reports").glob("*.json")), *sorted((data / "years").glob("*.json"))]:
    json.loads(path.read_bytes())
for path in [data / "remittances.csv", data / "payouts.csv", data / "months.csv",
             *sorted((data / "people").glob("*.csv")), *sorted((data / "sponsors").glob("*.csv")),
             *[data / f"{table}.csv" for table in ("people", "sponsors", "connectors", "terms", "chains", "tokens",
                                                   "accounts")]]:
    list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
"""


@dataclass(frozen=True)
class Run:
    """One run of a command: wall time, CPU time (user and system), peak memory (KiB), exit status."""

    seconds: float
    cpu: float
    peak_kib: int
    code: int


# Runs a command and reports its wall time, CPU time, peak memory and exit status: a small parent of
# its own, as a process's peak memory counts the pages of the parent it was started from.
MEASURE = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as output:
    started = time.perf_counter()
    process = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
peak = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB elsewhere
print(seconds, usage.ru_utime + usage.ru_stime, peak, os.waitstatus_to_exitcode(status))
"""


def run(command: list[str], cwd: Path, log: Path | None = None) -> Run:
    """Run `command` once as a process of its own, timed from outside; its output goes to `log`."""
    out = subprocess.run([sys.executable, "-c", MEASURE, str(log or os.devnull), *command], cwd=cwd, env=ENV,
                         check=True, capture_output=True, text=True).stdout.split()
    return Run(float(out[0]), float(out[1]), int(out[2]), int(out[3]))


def succeeded(command: list[str], cwd: Path, log: Path | None = None) -> Run:
    result = run(command, cwd, log)
    if result.code != 0:
        shown = log.read_text(errors="replace")[-2000:] if log else ""
        raise SystemExit(f"exit {result.code}: {' '.join(command)}\n{shown}")
    return result


@dataclass(frozen=True)
class Paired:
    """Ours and its floor, run in alternating pairs."""

    ours: list[Run]
    floor: list[Run]

    def ratios(self, cpu: bool = False) -> list[float]:
        if cpu:
            return [a.cpu / b.cpu for a, b in zip(self.ours, self.floor)]
        return [a.seconds / b.seconds for a, b in zip(self.ours, self.floor)]

    def figures(self) -> dict:
        return {"ours": spread([r.seconds for r in self.ours]), "floor": spread([r.seconds for r in self.floor]),
                "ratio": spread(self.ratios()), "cpu_ratio": spread(self.ratios(cpu=True)),
                "peak_kib": max(r.peak_kib for r in self.ours)}


def paired(ours: list[str], floor: list[str], cwd: Path, runs: int, log: Path | None = None) -> Paired:
    """A first run of each, not timed; then `runs` pairs, ours first in every other pair."""
    succeeded(ours, cwd, log)
    succeeded(floor, cwd)
    mine, theirs = [], []
    for index in range(runs):
        if index % 2 == 0:
            mine.append(succeeded(ours, cwd, log))
            theirs.append(succeeded(floor, cwd))
        else:
            theirs.append(succeeded(floor, cwd))
            mine.append(succeeded(ours, cwd, log))
    return Paired(mine, theirs)


@contextlib.contextmanager
def served(folder: Path):
    """The address of `folder` served by Python's own web server, in a process of its own, for the test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                               str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "low": min(values), "high": max(values)}


def show(label: str, floor_label: str, pair: Paired) -> None:
    """Two lines: ours with its ratio to the floor, and the floor."""
    figures = pair.figures()
    time_, ratio, cpu = figures["ours"], figures["ratio"], figures["cpu_ratio"]
    print(f"{label:<46}{_seconds(time_):<26}{ratio['median']:5.2f}x [{ratio['low']:.2f}-{ratio['high']:.2f}] "
          f"the floor (cpu {cpu['median']:.2f}x)")
    print(f"{'  ' + floor_label:<46}{_seconds(figures['floor'])}")


def _seconds(figure: dict) -> str:
    digits = 1 if figure["median"] >= 10 else 2
    return f"{figure['median']:8.{digits}f} s [{figure['low']:.{digits}f}-{figure['high']:.{digits}f}]"


def mkdocs_alone(docs: Path, site: Path, config: Path) -> list[str]:
    """`python -m mkdocs build` alone, with the project's mkdocs.yml, on `docs`, into `site`.

    Only the folders change (and the theme's overrides are named from anywhere): the same settings,
    theme and extensions as the build's last stage.
    """
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings.update(docs_dir=str(docs), site_dir=str(site))
    theme = settings.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)]


def site_figures(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html")]
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"pages": len(pages), "bytes": sum(sizes.values()), "largest": largest.relative_to(site).as_posix(),
            "largest_bytes": largest.stat().st_size,
            "connectors_bytes": (site / "connectors" / "index.html").stat().st_size}


BAD_INPUTS = {
    "alias bomb": 'a: &a ["lol","lol"]\n' + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}]*9\n"
                                                    for i in range(20)),
    "deep nesting": "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "oversized file": "notes: |\n" + ("  " + "x" * 100 + "\n") * 200_000,
}


def bad_input(data: Path, text: str) -> Run:
    """Check the data set with one bad report added: time, peak memory, exit status."""
    bad = data.parent / "bad"
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(data, bad)
    (bad / "reports" / "2020-01.yml").write_text(text)
    return run([sys.executable, str(ROOT / "build.py"), "check", "--data", str(bad)], bad)


def preview_rebuild(repeat: int) -> float:
    """Seconds from saving one report of the repository's data to the preview's new build."""
    from transparency.serve import start
    from transparency.site import Build
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "reports", data / "reports")
        shutil.copy(ROOT / "agreements.yml", data / "agreements.yml")
        server, _, stop = start(Build(data, ROOT, Path(tmp) / "preview", Path(tmp) / "docs"), "127.0.0.1", 0,
                                quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/__preview.json"
        report = data / "reports" / "2022-04.yml"
        times = []
        try:
            for attempt in range(repeat):
                build = json.loads(urllib.request.urlopen(url).read())["build"]
                started = time.perf_counter()
                report.write_text(report.read_text() + f"# edit {attempt}\n")
                while json.loads(urllib.request.urlopen(url).read())["build"] == build:
                    time.sleep(0.02)
                times.append(time.perf_counter() - started)
        finally:
            stop.set()
            server.shutdown()
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connectors", type=int, default=300)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1, help="of the synthetic amounts (default: 1)")
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs of check and verify (default: 5)")
    parser.add_argument("--build-runs", type=int, default=3, help="pairs of runs of the build (default: 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures: dict = {"connectors": args.connectors, "months": args.months, "seed": args.seed,
                     "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        data = generate(tmp / "data", args.connectors, args.months, seed=args.seed)
        files = [data / "agreements.yml", *sorted((data / "reports").glob("*.yml"))]
        print(f"data set: {args.connectors} connectors x {args.months} months (seed {args.seed}) = "
              f"{args.connectors * args.months} remittances, {len(files)} files, "
              f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
        print(f"each a whole process timed from outside: median of {args.runs} pairs of runs "
              f"({args.build_runs} of builds) [lowest-highest]; load average {os.getloadavg()[0]:.2f} "
              f"on {os.cpu_count()} CPUs{'; PYTHONDONTWRITEBYTECODE is set' if ENV.get('PYTHONDONTWRITEBYTECODE') else ''}"
              "\n")

        build = [sys.executable, str(ROOT / "build.py")]
        check = paired([*build, "check", "--data", str(data)], [sys.executable, "-c", PARSE_FLOOR, str(data)],
                       tmp, args.runs)
        figures["check"] = check.figures()
        show("check (python build.py check)", "parse floor (python, yaml.CSafeLoader)", check)

        work = tmp / "ours"
        work.mkdir()
        log = tmp / "build.log"
        ours = [*build, "--data", str(data), "-o", "site", "--markdown", "docs", "-v"]
        # MkDocs alone builds from the Markdown that our first run (not timed) writes into docs.
        alone = mkdocs_alone(work / "docs", tmp / "mkdocs-site", tmp / "mkdocs.yml")
        whole = paired(ours, alone, work, args.build_runs, log)
        site = site_figures(work / "site")
        figures.update(build=whole.figures(), **site)
        show("build (python build.py)", "mkdocs alone (python -m mkdocs build)", whole)
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():  # the last build's stages
            print(f"    {line}")
        print(f"{'site':<46}{site['bytes'] / 1e6:8.1f} MB, {site['pages']} pages, "
              f"{site['bytes'] / site['pages'] / 1e3:.1f} KB a page")
        print(f"{'  largest page':<46}{site['largest_bytes'] / 1e3:8.1f} KB ({site['largest']})")
        print(f"{'  connectors page':<46}{site['connectors_bytes'] / 1e3:8.1f} KB")
        print(f"{'peak memory of the build':<46}{figures['build']['peak_kib'] / 1024:8.0f} MiB "
              f"(mkdocs alone: {max(r.peak_kib for r in whole.floor) / 1024:.0f} MiB)")

        verify = paired([sys.executable, str(work / "site" / "data" / "verify.py"), str(work / "site")],
                        [sys.executable, "-c", READ_FLOOR, str(work / "site")], tmp, args.runs)
        figures["verify"] = verify.figures()
        show("verify (python verify.py site)", "read floor (python, json and csv)", verify)
        with served(work / "site") as url:
            web = succeeded([sys.executable, str(work / "site" / "data" / "verify.py"), url], tmp)
        figures["verify_http"] = {"seconds": web.seconds, "peak_kib": web.peak_kib}
        print(f"{'verify over HTTP (python verify.py URL)':<46}{web.seconds:8.2f} s, peak memory "
              f"{web.peak_kib / 1024:.0f} MiB (a folder: {figures['verify']['peak_kib'] / 1024:.0f} MiB)")

        half = generate(tmp / "half", max(1, args.connectors // 2), args.months, seed=args.seed)
        work_half = tmp / "ours-half"
        work_half.mkdir()
        succeeded([*build, "--data", str(half), "-o", "site", "--markdown", "docs", "-q"], work_half)
        half_site = figures["half"] = site_figures(work_half / "site")
        print(f"{'size at half the connectors':<46}{half_site['bytes'] / 1e6:8.1f} MB, {half_site['pages']} pages, "
              f"{half_site['bytes'] / half_site['pages'] / 1e3:.1f} KB a page: pages x{site['pages'] / half_site['pages']:.2f}"
              f" give size x{site['bytes'] / half_site['bytes']:.2f} (linear)")

        print()
        for name, text in BAD_INPUTS.items():
            refused = bad_input(data, text)
            figures[f"bad: {name}"] = {"seconds": refused.seconds, "peak_kib": refused.peak_kib, "exit": refused.code}
            print(f"{'refuse ' + name:<46}{refused.seconds:8.2f} s, exit {refused.code}, peak "
                  f"{refused.peak_kib / 1024:.0f} MiB (the whole data set checked too)")

    rebuild = preview_rebuild(args.runs)
    figures["preview_rebuild"] = rebuild
    figures["load_after"] = os.getloadavg()[0]
    print(f"\n{'preview rebuild after editing one report':<46}{rebuild:8.2f} s (the repository's data), best of "
          f"{args.runs}")
    print(f"load average {figures['load_after']:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
