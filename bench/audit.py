#!/usr/bin/env python3
"""Lighthouse on a phone: every kind of page, on data sets of several shapes, against fixed targets.

Builds a data set of each shape of bench/shapes.py (one maintainer of 40 connectors, long names in
many scripts, hundreds of payouts, dozens of adjustments a month, ten years of months, and a
40 x 48 mix), serves each site on 127.0.0.1 gzipped as GitHub Pages serves it, and runs
Lighthouse 12 in its default mobile setting (simulated slow 4G, a 4x slower CPU, a 412 px screen)
on the heaviest page of each kind: home, connectors, a connector, sponsors, a sponsor,
maintainers, a person, their statements and a year of them, reports, a month, a year, data,
verify and contributing. Prints, per shape and kind of page, the median of --runs runs of
performance, accessibility, best practices, total blocking time and cumulative layout shift, and
marks with ! each figure that misses its target:

    performance >= 90, TBT < 200 ms, CLS < 0.1, accessibility = best practices = 100

The exit status is 1 when a figure misses its target. A measurement, not a test: performance and
blocking time move with the machine's load (say what it was when you quote them).

    python bench/audit.py [--shape mix] [--seed 1] [--runs 3] [--only person] [--details]
    python bench/audit.py --shape grid [--connectors 40] [--months 48]   # bench/synthetic.py's grid

Lighthouse comes from npm, installed once into .cache/lighthouse (`npm i -E lighthouse@12.2.3`;
version 13 needs Node.js 22); the browser is $CHROME_PATH, by default Debian's /usr/bin/chromium.
The JSON reports are kept in bench/out/audit/ (open them in the Lighthouse viewer), with the
table's figures in bench/out/audit/summary.json, and with --trace the page loads' traces too
(for Chromium's performance panel).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import shapes  # noqa: E402
import synthetic  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
CACHE = ROOT / ".cache" / "lighthouse"
CLI = CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
OUT = HERE / "out" / "audit"
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1795000000", NO_MKDOCS_2_WARNING="1")

# Headless Chromium on a closed network: no sandbox in containers, none of the background
# connections (component updates, sync, field trials) that would only wait for a refusal.
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--mute-audio"]

CATEGORIES = ("performance", "accessibility", "best-practices")

# What GitHub Pages compresses; everything else (images other than SVG, fonts) goes as it is.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}


def install_lighthouse() -> Path:
    """The Lighthouse command line, installed into CACHE the first time."""
    if not CLI.is_file():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("audit: npm is needed once to install Lighthouse (Debian: apt-get install npm)")
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"audit: installing {LIGHTHOUSE} into {CACHE.relative_to(ROOT)}", file=sys.stderr)
        subprocess.run([npm, "install", "--exact", "--no-audit", "--no-fund", "--prefix", str(CACHE), LIGHTHOUSE],
                       check=True, stdout=subprocess.DEVNULL)
    return CLI


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: gzipped text, a ten-minute cache lifetime."""

    gzipped: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to folder/
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSED and wants_gzip):
            return super().send_head()
        body = self.gzipped.get(path)
        if body is None:
            body = self.gzipped[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesHandler, directory=str(folder)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


# The targets every page kind meets on every shape: (figure, test, how the target reads).
TARGETS = {
    "performance": (lambda v: v >= 90, ">= 90"),
    "accessibility": (lambda v: v == 100, "= 100"),
    "best-practices": (lambda v: v == 100, "= 100"),
    "tbt": (lambda v: v < 200, "< 200 ms"),
    "cls": (lambda v: v < 0.1, "< 0.1"),
}

# Each kind of page, where it lies under the site's root: a path, or a pattern of which the
# largest page is audited (the person with the most lines, the longest month...).
KINDS = {
    "home": "", "connectors": "connectors/", "connector": "connectors/*/", "sponsors": "sponsors/",
    "sponsor": "sponsors/*/", "maintainers": "maintainers/", "person": "people/*/",
    "statements": "people/*/statement/", "statement": "people/*/statement/*/", "reports": "reports/",
    "month": "reports/[0-9][0-9][0-9][0-9]-[0-9][0-9]/", "year": "reports/[0-9][0-9][0-9][0-9]/",
    "data": "data/", "verify": "data/verify/", "contributing": "contributing/",
}

GRID = "grid"  # bench/synthetic.py's regular grid, sized by --connectors and --months


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind the site has, the largest where there are several: kind -> path."""
    kinds = {}
    for kind, pattern in KINDS.items():
        pages = [page for page in site.glob(pattern + "index.html") if page.is_file()]
        if pages:
            largest = max(pages, key=lambda page: (page.stat().st_size, page.as_posix()))
            kinds[kind] = largest.parent.relative_to(site).as_posix() + "/" if largest.parent != site else ""
    return kinds


def lighthouse(cli: Path, url: str, report: Path, trace: bool) -> dict:
    """Run Lighthouse once on `url`; its JSON report."""
    chrome = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    command = ["node", str(cli), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
               "--max-wait-for-load=60000"]
    if trace:
        command.append("--save-assets")
    subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=chrome), timeout=600)
    return json.loads(report.read_text(encoding="utf-8"))


def figures(result: dict) -> dict:
    """The scores (0-100), blocking time, layout shift, main-thread time (ms) and DOM size of one report."""
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = result["audits"]
    return {**scores, "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "main": audits["mainthread-work-breakdown"]["numericValue"],
            "dom": audits["dom-size"]["numericValue"], "result": result}


def median(runs: list[dict]) -> dict:
    """Each figure's median over the runs (the lower middle when there is an even number)."""
    middle = (len(runs) - 1) // 2
    return {name: sorted(run[name] for run in runs)[middle] for name in (*TARGETS, "main", "dom")}


def misses(shown: dict) -> list[str]:
    """The figures that miss their target."""
    return [name for name, (meets, _) in TARGETS.items() if not meets(shown[name])]


def _short(url: str) -> str:
    return url.split("/", 3)[-1] if url.startswith("http") else url


def details(result: dict) -> list[str]:
    """What Lighthouse blames: main-thread costs, long tasks, layout shifts and what caused them,
    render-blocking requests, unsized images, and every audit short of full marks outside performance."""
    audits = result["audits"]

    def items(name: str) -> list[dict]:
        return ((audits.get(name) or {}).get("details") or {}).get("items") or []

    lines = []
    for item in items("bootup-time")[:4]:
        lines.append(f"    bootup {_short(item['url']):<48} total {item['total']:7.0f} ms, "
                     f"script {item['scripting']:7.0f} ms")
    for item in items("mainthread-work-breakdown")[:5]:
        lines.append(f"    main-thread {item['groupLabel']:<40} {item['duration']:7.0f} ms")
    for item in items("long-tasks")[:5]:
        lines.append(f"    long task {_short(str(item.get('url', ''))):<46} at {item.get('startTime', 0):6.0f} ms, "
                     f"{item.get('duration', 0):5.0f} ms")
    for item in items("layout-shifts")[:5]:
        node = item.get("node") or {}
        causes = [f"{sub.get('cause', '')} {_short(str((sub.get('extra') or {}).get('value') or ''))}".strip()
                  for sub in (item.get("subItems") or {}).get("items", [])]
        lines.append(f"    layout shift {item.get('score', 0):.3f} {node.get('selector', '?')}"
                     f" ({node.get('nodeLabel', '')[:40]!r}){': ' + ', '.join(map(str, causes)) if causes else ''}")
    for item in items("render-blocking-resources"):
        lines.append(f"    render-blocking {_short(item['url']):<40} {item.get('wastedMs', 0):6.0f} ms")
    for item in items("unsized-images"):
        selector = (item.get("node") or {}).get("selector", "?")
        lines.append(f"    unsized image {selector} {_short(str(item.get('url', '')))}")
    for name in ("accessibility", "best-practices"):
        for ref in result["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"    {name}: {ref['id']}: {audit['title']}"
                             + (f" ({audit['displayValue']})" if audit.get("displayValue") else ""))
    return lines


HEADER = (f"{'shape':<12}{'page':<13}{'path':<34}{'perf':>6}{'a11y':>6}{'b-p':>6}{'TBT ms':>9}{'CLS':>8}"
          f"{'main ms':>9}{'DOM':>7}  misses")


def row(shape: str, kind: str, path: str, runs: list[dict], label: str = "") -> tuple[str, dict, list[str]]:
    """One line of the table: each figure's median over the runs, a ! after each that misses its
    target, and the range of performance and blocking time when there are several runs."""
    shown = median(runs)
    missed = misses(shown)

    shortened = path if len(path) <= 32 else path[:14] + "…" + path[-17:]
    spread = "" if len(runs) == 1 else (
        f"  (perf {min(r['performance'] for r in runs)}-{max(r['performance'] for r in runs)}, "
        f"TBT {min(r['tbt'] for r in runs):.0f}-{max(r['tbt'] for r in runs):.0f}, "
        f"CLS {min(r['cls'] for r in runs):.3f}-{max(r['cls'] for r in runs):.3f})")
    cells = "".join(f"{format(shown[name], spec)}{'!' if name in missed else ' '}" for name, spec in
                    (("performance", ">5"), ("accessibility", ">5"), ("best-practices", ">5"), ("tbt", ">8.0f"),
                     ("cls", ">7.3f")))
    line = (f"{shape:<12}{kind:<13}{'/' + shortened:<34}{cells}{shown['main']:>9.0f}{shown['dom']:>7.0f}  "
            f"{' '.join(missed) or '-'}{spread}{label}")
    return line, shown, missed


def build(shape: str, seed: int, tmp: Path, connectors: int, months: int) -> Path:
    """Generate the shape's data set, check it, build its site: the site's folder."""
    data = tmp / shape / "data"
    if shape == GRID:
        synthetic.generate(data, connectors, months)
    else:
        shapes.generate(data, shape, seed)
    site = tmp / shape / "site"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--data", str(data), "-o", str(site),
                    "--markdown", str(tmp / shape / "docs"), "-q"], check=True, cwd=tmp, env=ENV)
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", action="append", choices=[*shapes.SHAPES, GRID], metavar="SHAPE",
                        help=f"audit the data set of this shape (repeatable; default: every shape of bench/shapes.py: "
                             f"{', '.join(shapes.SHAPES)}; {GRID} is bench/synthetic.py's grid)")
    parser.add_argument("--seed", type=int, default=1,
                        help="another seed makes other names and figures of the same shapes")
    parser.add_argument("--connectors", type=int, default=40, help=f"the {GRID} shape's connectors")
    parser.add_argument("--months", type=int, default=48, help=f"the {GRID} shape's months")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; each figure's median is shown")
    parser.add_argument("--only", action="append", metavar="KIND", choices=list(KINDS),
                        help=f"audit only this kind of page (repeatable): {', '.join(KINDS)}")
    parser.add_argument("--details", action="store_true",
                        help="show what Lighthouse blames: main-thread costs, long tasks, layout shifts, missed audits")
    parser.add_argument("--trace", action="store_true", help="keep each run's trace beside its report")
    parser.add_argument("--site", type=Path, action="append", metavar="DIR",
                        help="audit this built site instead of building the shapes; given more than once (builds of "
                             "one data set), the sites' runs alternate, so that they meet the same machine load")
    args = parser.parse_args()
    if args.site and args.shape:
        parser.error("--site audits a built site; --shape builds one")

    cli = install_lighthouse()
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        load = os.getloadavg()
        load_text = f", load average {load[0]:.1f} on {os.cpu_count()} cores at the start"
    except OSError:
        load_text = ""
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile, median of {args.runs} run{'s' * (args.runs > 1)}"
          f"{load_text}; targets: " + ", ".join(f"{name} {text}" for name, (_, text) in TARGETS.items()))
    print(HEADER, flush=True)
    summary, missed_any = [], False
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        if args.site:
            groups = [("site", args.site)]
        else:
            groups = [(shape, None) for shape in (args.shape or list(shapes.SHAPES))]
        for shape, sites in groups:
            if sites is None:
                sites = [build(shape, args.seed, Path(tmp), args.connectors, args.months)]
            kinds = page_kinds(sites[0])
            servers = [serve(site) for site in sites]
            try:
                for kind, path in kinds.items():
                    if args.only and kind not in args.only:
                        continue
                    runs: list[list[dict]] = [[] for _ in sites]
                    for run in range(args.runs):
                        for number, (_, origin) in enumerate(servers):
                            report = OUT / f"{shape}-{kind}-{number + 1}-{run + 1}.json"
                            runs[number].append(figures(lighthouse(cli, origin + path, report, args.trace)))
                    for site, site_runs in zip(sites, runs):
                        line, shown, missed = row(shape, kind, path, site_runs, f"  {site}" if len(sites) > 1 else "")
                        missed_any = missed_any or bool(missed)
                        summary.append({"shape": shape, "kind": kind, "path": path, "site": str(site), **shown,
                                        "misses": missed, "runs": [{k: v for k, v in r.items() if k != "result"}
                                                                   for r in site_runs]})
                        print(line, flush=True)
                        if args.details:
                            ordered = sorted(site_runs, key=lambda r: r["performance"])
                            print("\n".join(details(ordered[len(ordered) // 2]["result"])), flush=True)
            finally:
                for httpd, _ in servers:
                    httpd.shutdown()
                    httpd.server_close()
    (OUT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    failed = [f"{entry['shape']} {entry['kind']} ({', '.join(entry['misses'])})"
              for entry in summary if entry["misses"]]
    if failed:
        print(f"missed a target: {'; '.join(failed)}")
    else:
        print("every page meets every target")
    return 1 if missed_any else 0


if __name__ == "__main__":
    sys.exit(main())
