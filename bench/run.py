#!/usr/bin/env python3
"""Benchmark: generate a synthetic data set of C connectors x M months, then measure side by side

- `check` against the floor of merely parsing the same files with yaml.CSafeLoader;
- `verify` (the site's own data/verify.py) on the built site against the floor of merely parsing
  the files it reads (json.loads, csv.reader);
- the full build against a bare mkdocs-material build of as many plain pages (detail pages kept
  out of the navigation, as ours are), and against the same bare build of our generated Markdown;
- the site's size, its largest page, the connectors page, and the build's peak memory;
- size per page at half the connectors, to show that size grows linearly with pages;
- bad inputs (an alias bomb, deep nesting, an oversized file): time and memory to refuse them;
- the preview's rebuild after an edit to one report of the repository's own data.

    python bench/run.py [--connectors 300] [--months 60] [--repeat 3]

Times are the best of --repeat runs, each in a fresh process; builds are rebuilds (the output
folder exists), as in daily use, for ours and for the bare builds alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from synthetic import generate  # noqa: E402

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795000000", NO_MKDOCS_2_WARNING="1")

PARSE_FLOOR = """
import sys, time, yaml
from pathlib import Path
start = time.perf_counter()
folder = Path(sys.argv[1])
for path in [folder / "agreements.yml", *sorted((folder / "reports").glob("*.yml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

CHECK = """
import sys, time
sys.path.insert(0, sys.argv[2])
from transparency.pipeline import load_dataset
from pathlib import Path
start = time.perf_counter()
dataset, diagnostics = load_dataset(Path(sys.argv[1]))
assert dataset is not None, diagnostics[:3]
print(time.perf_counter() - start)
"""

# What verify reads, parsed and nothing more.
READ_FLOOR = """
import csv, io, json, sys, time
from pathlib import Path
start = time.perf_counter()
data = Path(sys.argv[1]) / "data"
for path in [data / "manifest.json", data / "agreements.json", data / "summary.json",
             *sorted((data / "reports").glob("*.json")), *sorted((data / "years").glob("*.json"))]:
    json.loads(path.read_bytes())
for path in (data / "remittances.csv", data / "payouts.csv"):
    list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))
print(time.perf_counter() - start)
"""

# The verifier as a reader runs it: the file the site publishes, imported alone.
VERIFY = """
import contextlib, io, sys, time
sys.path.insert(0, sys.argv[1] + "/data")
import verify
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    assert verify.main([sys.argv[1]]) == 0
print(time.perf_counter() - start)
"""

BARE_CONFIG = """site_name: Bare
docs_dir: docs
site_dir: site
theme:
  name: material
  font: false
plugins:
  - search
markdown_extensions:
  - tables
  - toc:
      permalink: true
nav:
  - Home: index.md
validation:
  nav:
    omitted_files: ignore
"""


def in_process(script: str, *args: str, repeat: int) -> float:
    """The best time that a fresh process reports for its own work."""
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


# Runs a command and reports its wall time and peak memory: a fresh parent, so that the peak is
# this command's alone.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def measure(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """Wall time, peak memory (KiB) and exit status of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, env=ENV, check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def timed(command: list[str], cwd: Path, repeat: int) -> tuple[float, int]:
    """Best wall time of a successful command, and its largest peak memory (KiB)."""
    runs = [measure(command, cwd) for _ in range(repeat)]
    assert all(code == 0 for _, _, code in runs), f"{command} failed"
    return min(seconds for seconds, _, _ in runs), max(peak for _, peak, _ in runs)


def site_figures(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html")]
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"pages": len(pages), "bytes": sum(sizes.values()), "largest": largest.relative_to(site).as_posix(),
            "largest_bytes": largest.stat().st_size,
            "connectors_bytes": (site / "connectors" / "index.html").stat().st_size}


def our_build(data: Path, work: Path, repeat: int) -> tuple[float, int, dict]:
    command = [sys.executable, str(ROOT / "build.py"), "--data", str(data), "-o", "site", "--markdown", "docs", "-q"]
    subprocess.run(command, check=True, cwd=work, env=ENV, capture_output=True)  # the first build: not timed
    seconds, peak = timed(command, work, repeat)
    return seconds, peak, site_figures(work / "site")


def bare_build(docs: Path, work: Path, repeat: int) -> float:
    """MkDocs with Material and its search, on `docs`, nothing of ours."""
    work.mkdir(parents=True)
    shutil.copytree(docs, work / "docs")
    (work / "mkdocs.yml").write_text(BARE_CONFIG)
    command = [sys.executable, "-m", "mkdocs", "build", "-q"]
    subprocess.run(command, check=True, cwd=work, env=ENV, capture_output=True)
    return timed(command, work, repeat)[0]


def plain_pages(like: Path, into: Path) -> None:
    """As many plain pages as `like` has, at the same paths: a title and a paragraph each."""
    for page in like.rglob("*.md"):
        target = into / page.relative_to(like)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {page.stem}\n\nA plain page.\n")


BAD_INPUTS = {
    "alias bomb": 'a: &a ["lol","lol"]\n' + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}]*9\n"
                                                    for i in range(20)),
    "deep nesting": "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "oversized file": "notes: |\n" + ("  " + "x" * 100 + "\n") * 200_000,
}


def bad_input(data: Path, text: str) -> tuple[float, int, int]:
    """Check the data set with one bad report added: time, peak memory, exit status."""
    bad = data.parent / "bad"
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(data, bad)
    (bad / "reports" / "2020-01.yml").write_text(text)
    return measure([sys.executable, str(ROOT / "build.py"), "check", "--data", str(bad)], bad)


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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures: dict = {"connectors": args.connectors, "months": args.months}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        data = generate(tmp / "data", args.connectors, args.months)
        files = [data / "agreements.yml", *sorted((data / "reports").glob("*.yml"))]
        print(f"data set: {args.connectors} connectors x {args.months} months = "
              f"{args.connectors * args.months} remittances, {len(files)} files, "
              f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB")

        floor = in_process(PARSE_FLOOR, str(data), repeat=args.repeat)
        check = in_process(CHECK, str(data), str(ROOT), repeat=args.repeat)
        figures.update(parse_floor=floor, check=check)
        print(f"\n{'check':<44}{check:8.2f} s   {check / floor:5.2f}x the parse floor ({floor:.2f} s)")

        work = tmp / "ours"
        work.mkdir()
        ours, peak, site = our_build(data, work, args.repeat)
        plain = tmp / "plain-docs"
        plain_pages(work / "docs", plain)
        bare_plain = bare_build(plain, tmp / "bare-plain", args.repeat)
        bare_same = bare_build(work / "docs", tmp / "bare-same", args.repeat)
        figures.update(build=ours, bare_plain=bare_plain, bare_same=bare_same, peak_kib=peak, **site)
        print(f"{'build (python build.py)':<44}{ours:8.2f} s")
        print(f"{'  bare build, as many plain pages':<44}{bare_plain:8.2f} s   ours: {ours / bare_plain:5.2f}x")
        print(f"{'  bare build, our Markdown':<44}{bare_same:8.2f} s   ours: {ours / bare_same:5.2f}x")
        print(f"{'site':<44}{site['bytes'] / 1e6:8.1f} MB, {site['pages']} pages, "
              f"{site['bytes'] / site['pages'] / 1e3:.1f} KB a page")
        print(f"{'  largest page':<44}{site['largest_bytes'] / 1e3:8.1f} KB ({site['largest']})")
        print(f"{'  connectors page':<44}{site['connectors_bytes'] / 1e3:8.1f} KB")
        print(f"{'peak memory of the build':<44}{peak / 1024:8.0f} MiB")

        read_floor = in_process(READ_FLOOR, str(work / "site"), repeat=args.repeat)
        verified = in_process(VERIFY, str(work / "site"), repeat=args.repeat)
        figures.update(read_floor=read_floor, verify=verified)
        print(f"{'verify (site/data/verify.py)':<44}{verified:8.2f} s   {verified / read_floor:5.2f}x the parse floor "
              f"({read_floor:.2f} s)")

        half = generate(tmp / "half", max(1, args.connectors // 2), args.months)
        work_half = tmp / "ours-half"
        work_half.mkdir()
        _, _, half_site = our_build(half, work_half, 1)
        figures["half"] = half_site
        print(f"{'size at half the connectors':<44}{half_site['bytes'] / 1e6:8.1f} MB, {half_site['pages']} pages, "
              f"{half_site['bytes'] / half_site['pages'] / 1e3:.1f} KB a page: pages x{site['pages'] / half_site['pages']:.2f}"
              f" give size x{site['bytes'] / half_site['bytes']:.2f} (linear)")

        print()
        for name, text in BAD_INPUTS.items():
            seconds, memory, code = bad_input(data, text)
            figures[f"bad: {name}"] = {"seconds": seconds, "peak_kib": memory, "exit": code}
            print(f"{'refuse ' + name:<44}{seconds:8.2f} s, exit {code}, peak {memory / 1024:.0f} MiB "
                  "(the whole data set checked too)")

    rebuild = preview_rebuild(args.repeat)
    figures["preview_rebuild"] = rebuild
    print(f"\n{'preview rebuild after editing one report':<44}{rebuild:8.2f} s (the repository's data)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
