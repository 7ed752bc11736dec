"""The documentation keeps up: every command and make target is in the README and in --help."""

from __future__ import annotations

import re

from conftest import ROOT, run_cli
from transparency.cli import COMMANDS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme():
    for name in COMMANDS:
        shown = "`python build.py`" if name == "build" else f"`python build.py {name}"
        assert shown in README, f"README.md does not document `python build.py {name}`"


def test_every_command_has_help():
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.code == 0 and "--data DIR" in result.out, name


def test_every_make_target_is_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z]+):.*?## ", makefile, re.M)
    assert {"site", "test", "check", "serve"} <= set(targets)
    for target in targets:
        assert f"`make {target}`" in README or target in ("lock", "clean"), f"make {target} is not in README.md"


def test_the_contributing_guide_is_the_sites_page(site):
    page = (site / "contributing" / "index.html").read_text()
    assert "Correct a published month" in page and "was published in main" in page
