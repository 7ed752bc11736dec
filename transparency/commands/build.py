"""Build the site: validate, compute the ledger, render the Markdown and build the HTML.

The generated Markdown goes to build/docs and the HTML to site/ (or --output); each is swapped
into place only when the whole build has succeeded, so a failed build leaves both as they were.
"""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser, Namespace
from datetime import datetime, timezone
from pathlib import Path

import yaml

from ..console import Stages, print_diagnostics, progress_bar
from ..data import data_files
from ..html import HtmlError, build_html
from ..ledger import compute
from ..pipeline import load_dataset
from ..publish import PublishError, publish
from ..render import SiteOptions, render_site


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, default=Path("site"), metavar="DIR",
                        help="where to write the site (default: site)")
    parser.add_argument("--markdown", type=Path, default=Path("build/docs"), metavar="DIR",
                        help="where to keep the generated Markdown (default: build/docs)")
    parser.add_argument("--drafts", action="store_true",
                        help="include draft reports, visibly marked (a preview; never deploy it)")
    parser.add_argument("--data-only", action="store_true",
                        help="publish only the data files (site/data/), without the HTML pages")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args: Namespace) -> int:
    stages = Stages(quiet=args.quiet)
    with stages.stage("validate") as info:
        dataset, diagnostics = load_dataset(args.data)
        if dataset is not None:
            info["count"] = f"{len(dataset.agreements.connectors)} connectors, {len(dataset.reports)} reports"
    print_diagnostics(diagnostics)
    if dataset is None:
        return 1
    with stages.stage("compute") as info:
        ledger = compute(dataset, drafts=args.drafts)
        info["count"] = f"{len(ledger.months)} months"
    try:
        if args.data_only:
            with stages.stage("publish"):
                publish(data_files(dataset, ledger), args.output)
        else:
            options = site_options(args)
            with stages.stage("render") as info:
                files = render_site(dataset, ledger, options, args.project,
                                    progress=None if args.quiet else progress_bar("rendering pages"))
                info["count"] = f"{sum(name.endswith('.md') for name in files)} pages, {len(files)} files"
            with stages.stage("html") as info:
                publish(files, args.markdown,
                        finish=lambda docs: publish({}, args.output,
                                                    finish=lambda site: build_html(args.project / "mkdocs.yml",
                                                                                   docs, site)))
    except HtmlError as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        print("error: the HTML build failed; the previous site is unchanged", file=sys.stderr)
        return 1
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stages.done(f"built {args.output}{' (with drafts)' if args.drafts else ''}")
    return 0


def site_options(args: Namespace) -> SiteOptions:
    """What the build takes from outside the data: its month, the repository and the commit."""
    settings = _mkdocs_settings(args.project / "mkdocs.yml")
    repo_url = settings.get("repo_url")
    return SiteOptions(build_month=build_month(), drafts=args.drafts, repo_url=repo_url,
                       commit=_commit(args.data) if repo_url else None, site_url=settings.get("site_url"))


def build_month() -> str:
    """The month the build is for: SOURCE_DATE_EPOCH's when set (a reproducible build), else today's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m")


def _mkdocs_settings(path: Path) -> dict:
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return settings if isinstance(settings, dict) else {}


def _commit(folder: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None
