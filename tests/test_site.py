"""The built HTML site: the seed table, safety of every page, provenance, reproducibility.

Built from the frozen seed-era data (tests/fixtures/seed-era), not from the repository's own data,
which changes with every data pull request (tests/test_repository.py checks that, as any data)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SEED_ERA, SHARED, build_site, copy_project

pytestmark = pytest.mark.slow  # every test builds a site, or reads the one built

SEED = SHARED / "seed" / "connector-maintenance-agreements.md"


class Page(HTMLParser):
    """Every element of an HTML page with its attributes, and the rows of its tables."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def read(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the project")
def test_connectors_page_reproduces_the_seed_table_row_for_row(site):
    table = read(site, "connectors/index.html").tables[0]
    assert table[0] == ["Connector", "Type", "Amount", "Developer", "Maintainer"]
    expected = []
    for line in SEED.read_text().splitlines():
        if line.startswith("| [") or (line.startswith("| ") and "fee" in line):
            cells = [re.sub(r"\[(.+?)\]\(.+?\)", r"\1", c).strip() for c in line.strip().strip("|").split("|")]
            expected.append(cells)
    assert table[1:] == expected


def test_connector_names_link_to_their_pages(site):
    page = read(site, "connectors/index.html")
    links = [a["href"] for tag, a in page.elements if tag == "a" and a.get("href", "").endswith("/")
             and not a["href"].startswith(("..", "#", "http"))]
    assert "binance/" in links and "gate-io/" in links
    assert (site / "connectors" / "gate-io" / "index.html").exists()


def test_detail_pages_are_not_listed_in_the_navigation(site):
    for path in ("index.html", "connectors/gate-io/index.html", "reports/2022-03/index.html"):
        nav = {a["href"] for tag, a in read(site, path).elements
               if tag == "a" and "md-nav__link" in a.get("class", "") and not a.get("href", "#").startswith("#")}
        assert 6 <= len(nav) <= 8, nav  # the sections only (a page's own headings are # anchors)
        assert not any(re.search(r"(gate-io|binance|2022-0\d|people/)/", href) for href in nav), nav


def test_search_indexes_names_and_prose_not_table_cells(site):
    """Tables' cells, run together by the indexer ("CoinAlpha1450.00USDT1,449.71"), stay out of search."""
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    titles = {doc["location"]: doc["title"] for doc in docs}
    assert titles["people/theholyroger/"] == "TheHolyRoger"
    assert titles["connectors/gate-io/"] == "Gate.io"
    assert titles["sponsors/himalaya/"] == "Himalaya Exchange"
    text = " ".join(doc["text"] for doc in docs)
    assert "Foundation will publish" in text  # the home page's prose
    figures = {cell for table in read(site, "reports/2022-03/index.html").tables for row in table for cell in row
               if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+\.[0-9]{2}", cell)}
    assert len(figures) > 10
    assert [figure for figure in figures if figure in text] == []


def test_every_page_is_self_contained(site):
    for path in pages(site):
        for tag, attrs in Page(path.read_text()).elements:
            for attr in ("src", "href"):
                value = attrs.get(attr) or ""
                if tag in ("script", "img", "link", "iframe", "source", "video", "audio") and attr in attrs:
                    assert not re.match(r"(https?:)?//", value), f"{path}: <{tag} {attr}={value}>"


def test_month_page_shows_its_provenance(site):
    text = (site / "reports" / "2022-03" / "index.html").read_text()
    digest = hashlib.sha256((SEED_ERA / "reports" / "2022-03.yml").read_bytes()).hexdigest()
    assert "reports/2022-03.yml" in text and digest in text


def test_source_links_at_the_commit_when_the_repository_is_configured(tmp_path):
    project = copy_project(tmp_path / "project")
    config = (project / "mkdocs.yml").read_text().replace("# repo_url: https://github.com/OWNER/REPO",
                                                          "repo_url: https://github.com/example/transparency")
    (project / "mkdocs.yml").write_text(config)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
                   cwd=project, check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True).stdout.strip()
    process = subprocess.run([sys.executable, "build.py", "-q"], cwd=project, capture_output=True, text=True)
    assert process.returncode == 0, process.stderr
    text = (project / "site" / "reports" / "2022-03" / "index.html").read_text()
    assert f'href="https://github.com/example/transparency/blob/{commit}/reports/2022-03.yml"' in text


def test_no_string_from_the_data_becomes_markup(hostile_site):
    events = re.compile(r"^on", re.I)
    for path in pages(hostile_site):
        page = Page(path.read_text())
        for tag, attrs in page.elements:
            assert tag not in ("iframe", "object", "embed", "base", "meta" if attrs.get("http-equiv") == "refresh" else ""), f"{path}: <{tag}>"
            assert not any(events.match(name) for name in attrs), f"{path}: <{tag} {attrs}>"
            if tag == "img":
                assert not attrs.get("src", "").startswith(("x", "http")), f"{path}: {attrs}"
            if tag == "a":
                assert not re.match(r"\s*(javascript|data|vbscript):", attrs.get("href", ""), re.I), path
            if tag == "script":  # the theme's, or data that is never run (the data page's JSON-LD)
                assert attrs.get("src") or attrs.get("type") in ("application/json", "application/ld+json") \
                    or not attrs, f"{path}: {attrs}"
        text = "".join(page.text)
        if "people/mallory" in str(path):
            assert "<img src=x onerror=alert('p')> | pipe" in text  # shown, as text


def test_inline_scripts_are_only_the_themes(hostile_site):
    data_blocks = 0
    for path in pages(hostile_site):
        for attributes, script in re.findall(r"<script((?![^>]*\bsrc=)[^>]*)>(.*?)</script>", path.read_text(),
                                             re.S):
            if 'type="application/ld+json"' in attributes:  # data, never run: the names are in it, inert
                assert "<" not in script and json.loads(script)["@type"] == "Dataset", path
                data_blocks += 1
                continue
            assert "alert" not in script, path
    assert data_blocks == 1  # the data page's


def test_a_closing_title_tag_in_a_name_stays_text(hostile_site):
    text = (hostile_site / "people" / "titler" / "index.html").read_text()
    title = re.search(r"<title>(.*?)</title>", text, re.S)[1]
    assert title.startswith("&lt;/title&gt;&lt;script&gt;")


def test_right_to_left_names_are_isolated(hostile_site):
    text = (hostile_site / "people" / "eve" / "index.html").read_text()
    assert "<bdi>\u202eevil RTL \u202c" in text


def test_same_commit_and_epoch_give_a_byte_identical_site(tmp_path):
    first = build_site(SEED_ERA, tmp_path / "one" / "site")
    second = build_site(SEED_ERA, tmp_path / "two" / "elsewhere")

    def tree(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    assert tree(first) == tree(second)


def test_feed_lists_the_published_months(site):
    feed = ET.parse(site / "reports" / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in feed.findall("a:entry", ns)]
    assert titles == ["Report for 2022-04", "Report for 2022-03", "Report for 2022-02", "Report for 2022-01"]


def test_drafts_show_only_when_asked_and_marked(tmp_path):
    plain = build_site(SEED_ERA, tmp_path / "plain" / "site")
    assert not (plain / "reports" / "2022-05").exists()
    preview = build_site(SEED_ERA, tmp_path / "preview" / "site", "--drafts")
    text = (preview / "reports" / "2022-05" / "index.html").read_text()
    assert "May 2022 (draft)" in text and "This month is not published" in text
    assert "Preview including draft months" in (preview / "index.html").read_text()


def test_a_warning_fails_the_build_and_keeps_the_previous_site(tmp_path):
    project = copy_project(tmp_path / "project")
    process = subprocess.run([sys.executable, "build.py", "-q"], cwd=project, capture_output=True, text=True)
    assert process.returncode == 0, process.stderr
    before = (project / "site" / "index.html").read_bytes()
    (project / "content" / "notes.md").write_text("# Notes\n\nSee [the guide](missing.md).\n")
    process = subprocess.run([sys.executable, "build.py", "-q"], cwd=project, capture_output=True, text=True)
    assert process.returncode == 1
    assert "missing.md" in process.stderr and "the previous site is unchanged" in process.stderr
    assert (project / "site" / "index.html").read_bytes() == before
    assert not list(project.glob(".site.staging-*")) and not list((project / "build").glob(".docs.staging-*"))


def test_month_pages_show_their_chain_and_link_the_record(site):
    manifest = json.loads((site / "data" / "manifest.json").read_text())
    for entry in manifest["months"]:
        page = read(site, f"reports/{entry['month']}/index.html")
        links = {a.get("href") for tag, a in page.elements if tag == "a"}
        assert entry["chain"] in "".join(page.text)
        assert {"../../data/manifest.json", "../../data/verify/"} <= links


def test_every_feed_entry_carries_its_months_record(site):
    manifest = {e["month"]: e for e in json.loads((site / "data" / "manifest.json").read_text())["months"]}
    ns = {"a": "http://www.w3.org/2005/Atom", "record": "urn:x-transparency:record"}
    entries = ET.parse(site / "reports" / "feed.xml").getroot().findall("a:entry", ns)
    assert len(entries) == len(manifest)
    for entry in entries:
        record = {name: entry.find(f"record:{name}", ns).text for name in manifest["2022-01"]}
        assert record == manifest[record["month"]]
        assert f"Record chain: {record['chain']}." in entry.find("a:summary", ns).text


def test_the_verify_page_explains_the_record_and_gives_the_commands(site):
    page = read(site, "data/verify/index.html")
    text = "".join(page.text)
    assert "python3 verify.py https://ADDRESS/" in text and "--since manifest-kept.json" in text
    assert "curl -o manifest-kept.json https://ADDRESS/data/manifest.json" in text
    links = {a.get("href") for tag, a in page.elements if tag == "a"}
    assert {"../../data/manifest.json", "../../data/verify.py", "../../reports/feed.xml"} <= links
    assert "verify/" in {a.get("href") for tag, a in read(site, "data/index.html").elements if tag == "a"}


def test_the_built_site_verifies(site):
    process = subprocess.run([sys.executable, "-I", "-S", str(site / "data" / "verify.py"), str(site)],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr
    assert process.stdout.startswith("ok: ")


def test_a_reference_that_is_an_https_address_links_to_it_and_nothing_else_does(hostile_site):
    page = read(hostile_site, "reports/2024-02/index.html")
    links = [a for tag, a in page.elements if tag == "a" and "explorer.example" in a.get("href", "")]
    assert links == [{"href": "https://explorer.example/tx/0x1?a=1&b=%22%3E%3Cscript%3Ealert%289%29%3C/script%3E",
                      "rel": "noopener nofollow"}]
    assert "javascript:alert(10)//https://x.example" in "".join(page.text)
    assert not [a for tag, a in page.elements if tag == "a" and "alert(10)" in a.get("href", "")]


@pytest.mark.parametrize("text, html", [
    ("https://explorer.example/tx/0xabc", '<a href="https://explorer.example/tx/0xabc" rel="noopener nofollow">'
                                          "https://explorer.example/tx/0xabc</a>"),
    ("https://bank.example/s?a=1&b=<x>", '<a href="https://bank.example/s?a=1&amp;b=%3Cx%3E" rel="noopener nofollow">'
                                         "https://bank.example/s?a=1&amp;b=&lt;x&gt;</a>"),
    ("http://explorer.example/tx/1", "http://explorer.example/tx/1"),
    ("wire 2026-11-02", "wire 2026-11-02"),
    ("https://", "https://"),
    ("https://x.example/a b", "https://x.example/a b"),
    ("https://[::1", "https://&#91;::1"),
    ("javascript:alert(1)//https://x", "javascript:alert(1)//https://x"),
    ("<b>0xabc</b>", "&lt;b&gt;0xabc&lt;/b&gt;"),
    (None, ""),
])
def test_only_an_https_reference_becomes_a_link(text, html):
    from transparency.render.markup import reference
    assert reference(text) == html


def test_a_page_loads_only_the_scripts_it_needs_before_the_reader_acts(site):
    """Every page's scripts, in order: the theme's helpers, the on-demand start of the theme's own script
    (named, not loaded), the sorting of tables. No palette restore: the site has no palette toggle."""
    for path in pages(site):
        scripts = [(attrs.get("src", "").rsplit("/", 1)[-1], attrs.get("data-src", "").rsplit("/", 1)[-1])
                   for tag, attrs in Page(path.read_text()).elements if tag == "script" and "src" in attrs]
        assert [src for src, _ in scripts] == ["md-scope.js", "md-load.js", "tables.js"], (path, scripts)
        assert re.fullmatch(r"bundle\.[0-9a-f]{8}\.min\.js", scripts[1][1]), (path, scripts)
        assert (site / "assets" / "javascripts" / scripts[1][1]).is_file()


@pytest.mark.parametrize("palette, restored", [(None, False), ({"primary": "teal"}, False),
                                               ([{"scheme": "default"}, {"scheme": "slate"}], True)])
def test_the_palette_is_restored_only_where_a_toggle_can_have_stored_one(palette, restored):
    import jinja2
    theme = Path(__file__).resolve().parent.parent / "templates" / "theme"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme))
    env.filters["url"] = lambda value: value
    html = env.get_template("partials/javascripts/palette.html").render(config={"theme": {"palette": palette}})
    assert ("assets/md-palette.js" in html) is restored, html
