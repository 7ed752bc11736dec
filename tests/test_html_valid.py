"""Every page of the built site is valid HTML: the Nu Html Checker (the W3C validator) finds no error.

The checker is vnu.jar from the npm package vnu-jar, fetched once with `npm pack`, checked against
the integrity hash pinned below and kept in .cache/vnu/ (ignored by git); it runs with Java. The
test skips only where Java is missing (Debian: default-jre-headless), and fails instead where
REQUIRE_VNU is set (.ci/run sets it).

One error is the theme's own and stays: Material's base.html gives its drawer and search toggles,
two checkboxes, autocomplete="off" (which only text-like inputs may carry), and removing it would
mean copying base.html whole into templates/theme/. Exactly those two are allowed, once each a page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import npm_package
from conftest import ROOT, skip_unless_required

pytestmark = pytest.mark.slow

PACKAGE = "vnu-jar@26.9.27"
INTEGRITY = "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA=="
CACHE = ROOT / ".cache" / "vnu" / PACKAGE
JAR = CACHE / "build" / "dist" / "vnu.jar"

# The theme's two checkboxes with autocomplete="off" (see the docstring): (message start, id).
THEME_AUTOCOMPLETE = "Attribute “autocomplete” is only allowed when the input type is"
THEME_TOGGLES = ('id="__drawer"', 'id="__search"')


def fetch_jar() -> Path:
    """vnu.jar, from the npm package fetched into CACHE the first time."""
    try:
        npm_package.fetch(PACKAGE, INTEGRITY, CACHE, "build/dist/vnu.jar", timeout=600)
    except npm_package.Unavailable as problem:  # only a missing Java skips this test
        pytest.fail(str(problem))
    return JAR


@pytest.fixture(scope="module")
def vnu():
    """check(*paths) -> the checker's error messages (JSON objects) for the HTML files under paths."""
    java = shutil.which("java")
    if java is None:
        skip_unless_required("Java is not installed (Debian: apt-get install default-jre-headless)", "REQUIRE_VNU")
    jar = fetch_jar()

    def check(*paths: Path) -> list[dict]:
        done = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json",
                               *map(str, paths)], capture_output=True, text=True, timeout=600)
        assert done.returncode in (0, 1), f"the checker did not run (exit {done.returncode}):\n{done.stderr}"
        messages = json.loads(done.stderr)["messages"]
        assert all(m["type"] == "error" for m in messages), messages
        return messages

    return check


def theirs(message: dict) -> bool:
    """The theme's autocomplete on its drawer or search checkbox."""
    return message["message"].startswith(THEME_AUTOCOMPLETE) and any(
        toggle in message.get("extract", "") for toggle in THEME_TOGGLES)


def report(messages: list[dict]) -> str:
    return "\n".join(f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                     f"\n    {m.get('extract', '').strip()[:160]}" for m in messages)


@pytest.mark.parametrize("which", ["site", "hostile_site"])
def test_every_page_is_valid_html(vnu, request, which):
    site = request.getfixturevalue(which)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10, pages
    messages = vnu(site)
    ours = [m for m in messages if not theirs(m)]
    assert ours == [], f"the Nu Html Checker on {which}:\n{report(ours)}"
    # The theme's two, and no more: once per toggle on each page at most.
    per_page: dict[str, int] = {}
    for message in messages:
        per_page[message["url"]] = per_page.get(message["url"], 0) + 1
    assert max(per_page.values(), default=0) <= len(THEME_TOGGLES), per_page


def test_the_checker_finds_errors(vnu, tmp_path):
    """The checker does run: a page with known mistakes is not passed, and the theme's allowance
    covers only the theme's two toggles."""
    page = tmp_path / "site" / "bad.html"
    page.parent.mkdir()
    page.write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>t</title></head><body>\n"
        '<label for="__toc">Contents</label>\n'  # 2: no such control
        '<input type="checkbox" id="__drawer" autocomplete="off">\n'  # 3: the theme's
        '<input type="checkbox" id="mine" autocomplete="off">\n'  # 4: not the theme's
        "<table><tr><td>1</td></tr></table><p><div>x</div></p>\n"  # 5: a div in a p
        "</body></html>\n", encoding="utf-8")
    messages = vnu(page.parent)
    lines = sorted({(m["lastLine"], theirs(m)) for m in messages})
    assert (2, False) in lines and (3, True) in lines and (4, False) in lines and (5, False) in lines, \
        report(messages)
