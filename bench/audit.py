#!/usr/bin/env python3
"""Lighthouse on a phone: every kind of page of a synthetic site, as a new visitor on slow 4G sees it.

Builds a synthetic data set of C connectors x M months (bench/synthetic.py), serves the site on
127.0.0.1 gzipped as GitHub Pages serves it, and runs Lighthouse 12 in its default mobile setting
(simulated slow 4G, a 4x slower CPU, a 412 px screen) on each kind of page: home, the lists, a
connector, a sponsor, a person and a year of their statement, a month, a year (where the site has
year pages) and data. Prints performance, total blocking time, accessibility and best practices per
page: the median run by performance of --runs runs. A measurement, not a test: the figures move with
the machine's load.

    python bench/audit.py [--connectors 40] [--months 48] [--runs 3] [--only month] [--details]

Lighthouse comes from npm, installed once into .cache/lighthouse (`npm i -E lighthouse@12.2.3`;
version 13 needs Node.js 22); the browser is $CHROME_PATH, by default Debian's /usr/bin/chromium.
The JSON reports are kept in bench/out/audit/ (open them in the Lighthouse viewer), and with
--trace the page loads' traces too (for Chromium's performance panel).
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

from synthetic import generate, month_name  # noqa: E402

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


def page_kinds(site: Path, months: int) -> dict[str, str]:
    """One page of each kind the site has: kind -> path under the site's root."""
    latest = month_name(months - 1)
    # A year's page, where the site has them: the latest year's folder, wherever it sits.
    years = sorted(site.glob(f"**/{latest[:4]}/index.html"), key=lambda page: len(page.parts))
    year = years[0].parent.relative_to(site).as_posix() + "/" if years else None
    kinds = {"home": "", "connectors": "connectors/", "connector": "connectors/connector-0/",
             "sponsors": "sponsors/", "sponsor": "sponsors/sponsor-0/", "maintainers": "maintainers/",
             "person": "people/person-0/", "statement": f"people/person-0/statement/{latest[:4]}/",
             "reports": "reports/", "month": f"reports/{latest}/", "year": year, "data": "data/"}
    return {kind: path for kind, path in kinds.items() if path is not None and (site / path / "index.html").is_file()}


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
    """The scores (0-100), total blocking time and main-thread time (ms) and DOM size of one report."""
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = result["audits"]
    return {**scores, "tbt": audits["total-blocking-time"]["numericValue"],
            "main": audits["mainthread-work-breakdown"]["numericValue"],
            "dom": audits["dom-size"]["numericValue"], "result": result}


def details(result: dict) -> list[str]:
    """What costs main-thread time, and every audit short of full marks outside performance."""
    audits = result["audits"]
    lines = []
    for item in audits["bootup-time"]["details"]["items"][:4]:
        lines.append(f"    bootup {item['url'].split('/', 3)[-1]:<48} total {item['total']:7.0f} ms, "
                     f"script {item['scripting']:7.0f} ms")
    for item in audits["mainthread-work-breakdown"]["details"]["items"][:5]:
        lines.append(f"    main-thread {item['groupLabel']:<40} {item['duration']:7.0f} ms")
    for name in ("accessibility", "best-practices"):
        for ref in result["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"    {name}: {ref['id']}: {audit['title']}")
    return lines


def row(kind: str, path: str, runs: list[dict], label: str = "") -> str:
    """One line of the table: the median run by performance, and the spread when there are several."""
    runs = sorted(runs, key=lambda r: r["performance"])
    shown = runs[len(runs) // 2]
    spread = "" if len(runs) == 1 else \
        f"  (perf {runs[0]['performance']}-{runs[-1]['performance']}, TBT median " \
        f"{statistics.median(r['tbt'] for r in runs):.0f})"
    return (f"{kind:<12}{'/' + path:<26}{shown['performance']:>5}{shown['tbt']:>8.0f}{shown['accessibility']:>6}"
            f"{shown['best-practices']:>5}{shown['main']:>9.0f}{shown['dom']:>7.0f}{spread}{label}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connectors", type=int, default=40)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median by performance is shown")
    parser.add_argument("--only", action="append", metavar="KIND", help="audit only this kind of page (repeatable)")
    parser.add_argument("--details", action="store_true", help="show main-thread costs and missed audits")
    parser.add_argument("--trace", action="store_true", help="keep each run's trace beside its report")
    parser.add_argument("--site", type=Path, action="append", metavar="DIR",
                        help="audit this built site (of the same data set) instead of building one; given more "
                             "than once, the sites' runs alternate, so that they meet the same machine load")
    args = parser.parse_args()

    cli = install_lighthouse()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        sites = args.site
        if not sites:
            data = generate(Path(tmp) / "data", args.connectors, args.months)
            sites = [Path(tmp) / "site"]
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--data", str(data), "-o", str(sites[0]),
                            "--markdown", str(Path(tmp) / "docs"), "-q"], check=True, cwd=tmp, env=ENV)
        kinds = page_kinds(sites[0], args.months)
        unknown = set(args.only or ()) - set(kinds)
        if unknown:
            parser.error(f"no page of kind {', '.join(sorted(unknown))}; the site has {', '.join(kinds)}")
        servers = [serve(site) for site in sites]
        try:
            print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile, {args.connectors} connectors x {args.months} months,"
                  f" median of {args.runs} run{'s' * (args.runs > 1)}")
            print(f"{'page':<12}{'path':<26}{'perf':>5}{'TBT ms':>8}{'a11y':>6}{'b-p':>5}{'main ms':>9}{'DOM':>7}")
            for kind, path in kinds.items():
                if args.only and kind not in args.only:
                    continue
                runs: list[list[dict]] = [[] for _ in sites]
                for run in range(args.runs):
                    for number, (_, origin) in enumerate(servers):
                        report = OUT / f"{kind}-{number + 1}-{run + 1}.json"
                        runs[number].append(figures(lighthouse(cli, origin + path, report, args.trace)))
                for site, site_runs in zip(sites, runs):
                    print(row(kind, path, site_runs, f"  {site}" if len(sites) > 1 else ""), flush=True)
                    if args.details:
                        ordered = sorted(site_runs, key=lambda r: r["performance"])
                        print("\n".join(details(ordered[len(ordered) // 2]["result"])), flush=True)
        finally:
            for httpd, _ in servers:
                httpd.shutdown()
                httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
