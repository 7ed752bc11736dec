"""The whole build as one library call: data folder in, site folder out (stages 1 to 5)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .console import Stages, count, progress_bar
from .data import data_files
from .errors import Diagnostic
from .html import HtmlError, build_html
from .ledger import compute
from .periods import compute as compute_periods
from .pipeline import load_dataset
from .publish import PublishError, publish
from .render import RenderError, SiteOptions, render_site


@dataclass
class Build:
    """What to build from where, and where to."""

    data: Path
    project: Path
    output: Path
    markdown: Path
    drafts: bool = False
    data_only: bool = False
    month: str | None = None  # the build's month; default: SOURCE_DATE_EPOCH's or today's


@dataclass
class Outcome:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems other than the data's

    @property
    def ok(self) -> bool:
        return not self.errors and not any(d.is_error for d in self.diagnostics)


def build(job: Build, stages: Stages) -> Outcome:
    """Validate, compute, render and publish; the previous output stays unless all of it succeeds."""
    outcome = Outcome()
    with stages.stage("validate") as info:
        dataset, outcome.diagnostics = load_dataset(job.data)
        if dataset is not None:
            info["count"] = (f"{count(len(dataset.agreements.connectors), 'connector')}, "
                             f"{count(len(dataset.reports), 'report')}")
    if dataset is None:
        return outcome
    with stages.stage("compute") as info:
        ledger = compute(dataset, drafts=job.drafts)
        periods = compute_periods(dataset, ledger)
        info["count"] = count(len(ledger.months), "month")
    try:
        if job.data_only:
            settings = _mkdocs_settings(job.project / "mkdocs.yml")
            with stages.stage("publish"):
                publish(data_files(dataset, ledger, periods, settings.get("site_url"), settings.get("repo_url")),
                        job.output)
            return outcome
        options = site_options(job)
        with stages.stage("render") as info:
            files = render_site(dataset, ledger, periods, options, job.project,
                                progress=None if stages.quiet else progress_bar("rendering pages"))
            info["count"] = f"{count(sum(name.endswith('.md') for name in files), 'page')}, {count(len(files), 'file')}"
        del dataset, ledger, periods  # rendered: MkDocs, which takes most of the time, runs without them

        def html(docs: Path) -> None:
            files.clear()  # written into docs, where MkDocs reads them
            publish({}, job.output, finish=lambda site: build_html(job.project / "mkdocs.yml", docs, site))

        with stages.stage("html"):
            publish(files, job.markdown, finish=html)
    except HtmlError as exc:
        outcome.errors = exc.messages + ["error: the HTML build failed; the previous site is unchanged"]
    except (PublishError, RenderError) as exc:
        outcome.errors = [f"error: {exc}"]
    return outcome


def site_options(job: Build) -> SiteOptions:
    """What the build takes from outside the data: its month, the repository and the commit."""
    settings = _mkdocs_settings(job.project / "mkdocs.yml")
    repo_url = settings.get("repo_url")
    return SiteOptions(build_month=job.month or build_month(), drafts=job.drafts, repo_url=repo_url,
                       commit=_commit(job.data) if repo_url else None, site_url=settings.get("site_url"))


def build_month() -> str:
    """The month the build is for: SOURCE_DATE_EPOCH's when set (a reproducible build), else today's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m")


def _mkdocs_settings(path: Path) -> dict:
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return settings if isinstance(settings, dict) else {}


def _commit(folder: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, encoding="utf-8",
                             timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None
