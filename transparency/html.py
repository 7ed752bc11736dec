"""Markdown to HTML with MkDocs and the Material theme, strictly: any warning fails the build.

MkDocs runs on a finished folder of plain Markdown, without plugins or hooks of ours, so
any builder that reads a standard mkdocs.yml can take its place.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path


class HtmlError(Exception):
    """MkDocs reported problems; the messages say which."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: mkdocs: {record.getMessage()}")


def build_html(config_file: Path, docs: Path, site: Path) -> None:
    """Build `site` from the Markdown in `docs` with the settings of `config_file`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collector = _Collector()
    # Counted here rather than trusted to MkDocs' exit status: with -q it hides warnings (issue 4126).
    previous_level, previous_propagate = logger.level, logger.propagate
    logger.addHandler(collector)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    # What the process holds already (modules, templates, whatever the caller keeps) is left out of
    # the cycle collections that MkDocs' many objects set off; it goes back to the collector after.
    frozen = not gc.get_freeze_count()
    if frozen:
        gc.freeze()
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise HtmlError(collector.messages + [f"error: mkdocs: {exc}"]) from None
    finally:
        if frozen:
            gc.unfreeze()
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
        logger.propagate = previous_propagate
    if collector.messages:
        raise HtmlError(collector.messages)
