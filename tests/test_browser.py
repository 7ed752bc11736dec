"""The built site in a real Chromium: tables, sorting, links, search, requests, CSP, hostile data, axe, screens.

The site is the frozen seed-era data's (tests/fixtures/seed-era, see conftest.py), so that its rows and
pages can be counted and named; it is served over HTTP on 127.0.0.1 and opened with Playwright. The browser is the one named by
$CHROMIUM, else Debian's /usr/bin/chromium, else `chromium` or `chromium-browser` on the PATH. Without
one the tests are skipped, unless REQUIRE_BROWSER=1, when they fail instead.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import struct
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import SEED_ERA, skip_unless_required

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the checks below say what is missing
    sync_playwright = expect = None

pytestmark = pytest.mark.browser

HOSTILE_INPUT = Path(__file__).parent / "golden" / "hostile" / "input"
ARTIFACTS = Path(__file__).parent / "artifacts"

# Chromium on a closed network: no sandbox in containers, no GPU, and none of the background
# connections (component updates, sync, field trials) that the network would refuse.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]

TIMEOUT_MS = 10_000

# Counts every securitypolicyviolation of the page in window.__csp, from before the page's own scripts run.
CSP_RECORDER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
});
"""


def chromium_executable() -> str | None:
    """The Chromium to run: $CHROMIUM, /usr/bin/chromium, or chromium / chromium-browser on the PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing(reason: str):
    """Skip, or fail where REQUIRE_BROWSER says the browser tests must run."""
    skip_unless_required(reason, "REQUIRE_BROWSER")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    if sync_playwright is None:
        missing("the Python package playwright is not installed")
    executable = chromium_executable()
    if executable is None:
        where = f"$CHROMIUM={os.environ['CHROMIUM']!r} does not exist" if os.environ.get("CHROMIUM") else \
            "no Chromium found (set $CHROMIUM, or install /usr/bin/chromium, chromium or chromium-browser)"
        missing(f"the browser is missing: {where}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield chromium
        chromium.close()


class Server:
    """A folder served over HTTP on 127.0.0.1 from a background thread."""

    def __init__(self, folder: Path):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.folder = folder
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Quiet, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def pages(self) -> list[str]:
        """The URL path of every HTML file of the site: folder/ for folder/index.html."""
        paths = []
        for file in sorted(self.folder.rglob("*.html")):
            relative = file.relative_to(self.folder).as_posix()
            paths.append(relative.removesuffix("index.html"))
        return paths

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture(scope="session")
def server(site):
    served = Server(site)
    yield served
    served.close()


@pytest.fixture(scope="session")
def hostile_server(hostile_site):
    served = Server(hostile_site)
    yield served
    served.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def heading(page) -> str:
    """The text of the page's h1 without its permalink."""
    return page.locator("article h1").first.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
        " return c.textContent.trim(); }")


def column_header(table, label: str):
    """The th of `table` whose text is exactly `label`."""
    headers = table.locator("thead th")
    texts = [text.strip() for text in headers.all_text_contents()]
    assert label in texts, texts
    return headers.nth(texts.index(label))


def column(table, index: int) -> list[str]:
    """The text of one column of the table's body, in the order shown."""
    return table.locator("tbody tr").evaluate_all(
        f"rows => rows.map(r => r.cells[{index}] ? r.cells[{index}].textContent.trim() : '')")


def number(text: str) -> float:
    return float(text.replace(",", ""))


def search(page, query: str):
    """Type `query` into Material's search, as a person would, and wait for its results."""
    box = page.locator("input[data-md-component=search-query]")
    meta = page.locator(".md-search-result__meta")
    box.click(force=True)
    expect(meta).not_to_have_text(re.compile("Initializing", re.I))
    box.press("Control+a")
    box.press("Backspace")
    box.press_sequentially(query, delay=20)
    expect(box).to_have_value(query)


def result_paths(page) -> list[str]:
    return [urlsplit(href).path for href in
            page.locator(".md-search-result__item a.md-search-result__link").evaluate_all("as => as.map(a => a.href)")]


def wait_for_result(page, server, path: str):
    """Wait until a search result links to the page at `path` (its sections and ?h= aside)."""
    link = page.locator(f".md-search-result__link[href^='{server.url(path)}']").first
    expect(link).to_be_attached()


def connectors():
    from transparency.pipeline import load_dataset
    dataset, diagnostics = load_dataset(SEED_ERA)
    assert dataset is not None, diagnostics
    return list(dataset.agreements.connectors.values())


# --- Tables ---------------------------------------------------------------------------------------

def test_connectors_table_lists_the_agreements_in_file_order(page, server):
    names = [c.name for c in connectors()]
    page.goto(server.url("connectors/"))
    table = page.locator("article table").first
    headers = [t.strip() for t in table.locator("thead th").all_text_contents()]
    assert headers == ["Connector", "Type", "Amount", "Developer", "Maintainer"]
    expect(table.locator("thead th button.sort")).to_have_count(5)  # tables.js made every header sortable
    shown = column(table, 0)
    assert len(shown) == 16
    assert shown == names
    assert shown[1] == "Binance.com" and shown[-1] == "ProBit"


def test_connector_column_sorts_alphabetically_both_ways(page, server):
    names = [c.name for c in connectors()]
    ascending = sorted(names, key=str.casefold)
    assert ascending != names, "the file order is already sorted: the test would prove nothing"
    page.goto(server.url("connectors/"))
    table = page.locator("article table").first
    header = column_header(table, "Connector")
    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert column(table, 0) == ascending
    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert column(table, 0) == ascending[::-1]
    # The other columns moved with their rows: Gate.io is still TheHolyRoger's.
    row = table.locator("tbody tr", has=page.locator("td:first-child", has_text="Gate.io"))
    assert [t.strip() for t in row.locator("td").all_text_contents()] == \
        ["Gate.io", "fee share", "20%", "TheHolyRoger", "CoinAlpha"]


@pytest.mark.parametrize("label", ["Remitted in all", "last"])
def test_numeric_column_sorts_as_numbers_and_the_total_stays_last(page, server, label):
    page.goto(server.url("sponsors/"))
    table = page.locator("article table").first
    labels = [t.strip() for t in table.locator("thead th").all_text_contents()]
    index = len(labels) - 1 if label == "last" else labels.index(label)  # the last is the latest month
    header = table.locator("thead th").nth(index)
    before = column(table, index)
    assert column(table, 0)[-1] == "All sponsors"
    figures = [number(v) for v in before[:-1]]
    assert figures != sorted(figures)
    values = before[:-1]
    # The column holds figures a text sort would misplace ("16,924.11" < "2,068.48")...
    assert sorted(values) != sorted(values, key=number)
    if label == "last":  # ... and the latest month's, figures that digit groups would (1,095.50 < 702.15,
        # as 1 < 702): what localeCompare's numeric option does.
        assert sorted(values, key=lambda v: [int(g) for g in re.findall(r"\d+", v)]) != sorted(values, key=number)

    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    shown = column(table, index)
    assert column(table, 0)[-1] == "All sponsors" and shown[-1] == before[-1]
    assert [number(v) for v in shown[:-1]] == sorted(figures)

    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    shown = column(table, index)
    assert column(table, 0)[-1] == "All sponsors" and shown[-1] == before[-1]
    assert [number(v) for v in shown[:-1]] == sorted(figures, reverse=True)


def test_a_connector_name_leads_to_its_page(page, server):
    by_name = {c.name: c for c in connectors()}
    page.goto(server.url("connectors/"))
    for name in ("AscendEx", "Binance.com", "Gate.io", "ProBit"):  # first, dotted names, last
        page.locator("article table").first.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(server.url(f"connectors/{by_name[name].id}/"))
        assert heading(page) == name
        page.go_back()
        expect(page).to_have_url(server.url("connectors/"))


@pytest.fixture(scope="session")
def years_server(tmp_path_factory):
    """The golden case that crosses a year, built and served: its year pages compare with the year before."""
    from conftest import build_site
    served = Server(build_site(Path(__file__).parent / "golden" / "years" / "input",
                               tmp_path_factory.mktemp("years") / "site"))
    yield served
    served.close()


def test_a_year_pages_tables_sort_as_numbers_and_the_total_stays_last(page, years_server):
    page.goto(years_server.url("reports/2025/"))
    table = page.locator("article table", has=page.locator("thead th", has_text="Sponsor")).first
    header = column_header(table, "Remitted")
    assert column(table, 0) == ["North Exchange", "South Markets", "East Bourse", "All sponsors"]
    assert column(table, 1) == ["2,499.50", "450.00", "10,250.00", "13,199.50"]  # a text sort: 10,250 < 2,499 < 450
    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert column(table, 1) == ["450.00", "2,499.50", "10,250.00", "13,199.50"]
    assert column(table, 0) == ["South Markets", "North Exchange", "East Bourse", "All sponsors"]
    header.locator("button.sort").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert column(table, 1) == ["10,250.00", "2,499.50", "450.00", "13,199.50"]


def test_a_change_sorts_by_its_signed_value(page, years_server):
    page.goto(years_server.url("reports/2025/"))
    table = page.locator("article table", has=page.locator("thead th", has_text="Connector")).first
    labels = [t.strip() for t in table.locator("thead th").all_text_contents()]
    index = labels.index("Change")
    assert column(table, index) == ["+399.00", "-549.75", "+10,250.00"]  # a text sort puts "+" first
    column_header(table, "Change").locator("button.sort").click()
    assert column(table, index) == ["-549.75", "+399.00", "+10,250.00"]
    assert column(table, 0) == ["South Perpetual", "North Spot", "East Spot"]
    column_header(table, "Change (%)").locator("button.sort").click()  # East Spot's is empty: new in 2025
    assert column(table, index + 1) == ["-55.0%", "", "+19.0%"]


def test_maintainers_sort_by_how_long_they_wait(page, years_server):
    page.goto(years_server.url("maintainers/"))
    table = page.locator("article table").first
    labels = [t.strip() for t in table.locator("thead th").all_text_contents()]
    owed, days = labels.index("Owed since"), labels.index("Median days to pay")
    assert column(table, 0) == ["Ida Lund", "Omar Haddad", "All maintainers"]
    assert column(table, owed) == ["2025-01", "2025-01", ""] and column(table, days) == ["47", "0", "29"]
    column_header(table, "Median days to pay").locator("button.sort").click()
    assert column(table, 0) == ["Omar Haddad", "Ida Lund", "All maintainers"]  # the total stays last
    column_header(table, "Owed since").locator("button.sort").click()
    expect(column_header(table, "Owed since")).to_have_attribute("aria-sort", "ascending")


@pytest.mark.parametrize("path", ["people/ida/statement/", "people/ida/statement/2025/"])
def test_a_statement_is_not_sortable(page, years_server, path):
    """Its running balance only reads in the order of the entries."""
    page.goto(years_server.url(path))
    expect(page.locator("article table").first).to_be_visible()
    expect(page.locator("article table button.sort")).to_have_count(0)
    expect(page.locator("article table:not([data-no-sort])")).to_have_count(0)


def test_statements_lead_from_the_person_to_each_year_and_between_years(page, years_server):
    page.goto(years_server.url("people/ida/"))
    page.locator("article").get_by_role("link", name="2024", exact=True).click()  # not the heading of 2024
    expect(page.locator("article h1")).to_contain_text("Statement 2024: Ida Lund")
    page.locator("article").get_by_role("link", name="2025", exact=True).click()
    expect(page.locator("article h1")).to_contain_text("Statement 2025: Ida Lund")
    expect(page.locator("article table tbody tr").first).to_contain_text("Balance brought forward")
    expect(page.locator("article table tbody tr").first).to_contain_text("450.25")  # the end of 2024
    page.get_by_role("link", name="every year").click()
    expect(page.locator("article h1")).to_contain_text("Statements: Ida Lund")
    assert column(page.locator("article table").first, 0) == ["2025", "2024"]


# What shows on paper: the page chrome Material and site.css leave out, and how tables break.
PRINTED = """() => {
  const shown = el => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const pick = s => document.querySelector(s);
  const tables = [...document.querySelectorAll("article table")];
  return {
    header: shown(pick(".md-header")), tabs: shown(pick(".md-tabs")), search: shown(pick(".md-search")),
    sidebar: [...document.querySelectorAll(".md-sidebar")].some(shown), footer: shown(pick(".md-footer")),
    tables: tables.filter(shown).length,
    breaks: tables.map(t => getComputedStyle(t).breakInside),
    rows: [...document.querySelectorAll("article tr")].slice(0, 5).map(r => getComputedStyle(r).breakInside),
    heads: tables.map(t => t.tHead ? getComputedStyle(t.tHead).display : ""),
  };
}"""


def test_a_statement_prints_without_navigation(page, years_server):
    page.goto(years_server.url("people/ida/statement/2025/"))
    settle(page)
    on_screen = page.evaluate(PRINTED)
    assert on_screen["header"] and on_screen["tabs"] and on_screen["search"]  # the check sees them on screen
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert not (printed["header"] or printed["tabs"] or printed["search"] or printed["sidebar"]
                or printed["footer"]), printed
    # A table a month; Ida's 2025 has January and February.
    assert printed["tables"] == on_screen["tables"] == 2
    assert set(printed["breaks"]) == {"avoid"} and set(printed["rows"]) == {"avoid"}, printed
    assert set(printed["heads"]) == {"table-header-group"}, printed  # repeated on each page a table spans
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (ARTIFACTS / "statement.pdf").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "statement.pdf").write_bytes(pdf)


def test_the_home_page_shows_the_trend_with_its_figures(page, years_server):
    page.goto(years_server.url(""))
    chart = page.locator("article img[src$='trend.svg']")
    expect(chart).to_be_visible()
    assert "split into the maintainers' and the Foundation's parts" in chart.get_attribute("alt")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG loaded
    table = page.locator("article table", has=page.locator("thead th", has_text="To the Foundation")).first
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert column(table, 0) == ["2025-02", "2025-01", "2024-12", "2024-11"]
    assert column(table, 3) == ["7,100.00", "6,099.50", "1,400.75", "1,699.50"]
    maintainers, foundation, remitted = (column(table, i) for i in (1, 2, 3))
    assert all(abs(number(m) + number(f) - number(r)) < 0.005 for m, f, r in zip(maintainers, foundation, remitted))
    expect(page.get_by_text("Maintainers are paid a median of 29 days")).to_be_visible()


# --- Search ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, path", [
    ("TheHolyRoger", "people/theholyroger/"),   # a maintainer
    ("Gate", "connectors/gate-io/"),            # a connector
    ("Himalaya Exchange", "sponsors/himalaya/"),  # a sponsor
])
def test_search_finds_people_connectors_and_sponsors(page, server, query, path):
    page.goto(server.url(""))
    search(page, query)
    wait_for_result(page, server, path)
    assert path in [p.lstrip("/") for p in result_paths(page)]
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+ matching documents?"))


# --- Requests -------------------------------------------------------------------------------------

def settle(page):
    """Wait until the page has loaded, the reader has moved the mouse (which starts the theme's script:
    assets/md-load.js) and Material's search worker has fetched its index."""
    page.wait_for_load_state("load")
    page.mouse.move(1, 1)
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing", re.I))


THEME_SCRIPT = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")


def test_the_theme_script_waits_for_the_reader_and_their_first_key_still_counts(context, server):
    """Loading a page runs none of Material's script (it was the phone's blocking time), yet the page
    is whole: the search box shows (the theme hides it when scripts do not run). The first key the reader presses starts the script and is
    played to it: "/" opens the search, focused, and the index arrives."""
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(server.url("reports/2022-03/"))
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if THEME_SCRIPT.search(u) or u.endswith("/search_index.json")], requests
    expect(page.locator("html")).to_have_class("js")
    expect(page.locator(".md-search")).to_be_visible()
    page.keyboard.press("/")
    expect(page.locator("input[data-md-component=search-query]")).to_be_focused()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing", re.I))
    assert [u for u in requests if THEME_SCRIPT.search(u)], requests
    page.keyboard.type("Gate", delay=20)
    wait_for_result(page, server, "connectors/gate-io/")


def test_a_tap_on_a_phone_starts_the_theme_script_and_search_works(browser, server):
    with device_page(browser, "mobile") as page:
        page.goto(server.url(""))
        page.wait_for_load_state("load")
        page.locator("label.md-header__button[for=__search]").tap()
        box = page.locator("input[data-md-component=search-query]")
        expect(box).to_be_visible()
        expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing", re.I))
        box.press_sequentially("Himalaya", delay=20)
        wait_for_result(page, server, "sponsors/himalaya/")


def test_a_reader_from_a_search_result_sees_the_words_highlighted_without_touching_anything(page, server):
    page.goto(server.url("connectors/gate-io/?h=gate"))
    expect(page.locator("article mark[data-md-highlight]").first).to_be_attached()


def test_no_request_leaves_the_site(context, server):
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    # Whatever might leave must not reach the network even if the test fails: it is recorded first.
    context.route(re.compile(r"^(?!" + re.escape(server.origin) + r"/)(?!data:)(?!blob:)"),
                  lambda route: route.abort())
    page = context.new_page()
    page.goto(server.url(""))
    settle(page)
    sections = page.locator(".md-tabs__link").evaluate_all("as => as.map(a => a.href)")
    assert len(sections) == 7, sections
    visited = sections + [server.url(p) for p in ("connectors/binance/", "people/theholyroger/",
                                                   "sponsors/himalaya/", "reports/2022-03/")]
    for url in visited:
        page.goto(url)
        settle(page)
    search(page, "Gate")
    wait_for_result(page, server, "connectors/gate-io/")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")
    assert sum(u.endswith("/search/search_index.json") for u in requests) >= len(visited), requests
    assert any(u.endswith("/assets/tables.js") for u in requests)
    outside = [u for u in requests if not (u.startswith(server.origin + "/") or u.startswith(("data:", "blob:")))]
    assert outside == []


# --- Content-Security-Policy ----------------------------------------------------------------------

# Scroll to the end, so that what runs on scrolling runs too, let two frames pass, read the violations.
SCROLLED_CSP = """async () => {
  window.scrollTo(0, document.body.scrollHeight);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return window.__csp;
}"""


def csp_problems(context, server, expected_pages: int) -> list[str]:
    """Open every page of the site; the CSP violations and console errors, one line each."""
    context.add_init_script(CSP_RECORDER)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: console {m.type}: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: uncaught {e}"))
    paths = server.pages()
    assert len(paths) == expected_pages, paths
    problems = []
    for path in paths:
        page.goto(server.url(path), wait_until="load")
        problems += [f"{path}: {v}" for v in page.evaluate(SCROLLED_CSP)]
    found = problems + errors
    # The recorder does see a violation: an inline style is refused on the last page.
    seen = len(page.evaluate("window.__csp"))
    page.evaluate("document.head.appendChild(Object.assign(document.createElement('style'), {textContent: 'b{}'}))")
    page.wait_for_function("n => window.__csp.length === n + 1", arg=seen)
    return found


def test_no_page_violates_the_content_security_policy(context, server):
    assert csp_problems(context, server, expected_pages=55) == []


def test_no_hostile_page_violates_the_content_security_policy(context, hostile_server):
    assert csp_problems(context, hostile_server, expected_pages=19) == []


# --- Hostile data ---------------------------------------------------------------------------------

# Everything on the page that the site did not put there itself: inline event handlers anywhere,
# javascript: links, and in the content any element that runs or embeds something, or an image
# other than the site's own SVG charts. The one script the site puts in the content is the data page's
# JSON-LD (data, never run): its first script, of type application/ld+json, holding JSON.
FOREIGN_MARKUP = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`<${el.localName} ${attr.name}=${JSON.stringify(attr.value)}>`);
    }
  }
  for (const a of document.querySelectorAll("a[href]")) {
    if (/^\\s*javascript:/i.test(a.getAttribute("href"))) found.push(a.outerHTML);
  }
  for (const content of document.querySelectorAll(".md-content, .md-search-result")) {
    for (const el of content.querySelectorAll("script, iframe, frame, object, embed, svg, math, form, base, meta, link, style")) {
      if (el.localName === "script" && el.type === "application/ld+json" && location.pathname.endsWith("/data/")
          && el === content.querySelector("script")) {
        try { JSON.parse(el.textContent); continue; } catch (error) { /* not JSON: found below */ }
      }
      found.push(el.outerHTML.slice(0, 120));
    }
    for (const img of content.querySelectorAll("img")) {
      if (!(img.src.startsWith(location.origin + "/") && img.src.endsWith(".svg"))) found.push(img.outerHTML);
    }
  }
  return found;
}"""

EXPLICIT = ("article img[src^='x'], [onerror], [onload], [onmouseover], [onclick], [onfocus], "
            "a[href^='javascript:' i]")


def hostile_person(person_id: str) -> str:
    from transparency.pipeline import load_dataset
    dataset, diagnostics = load_dataset(HOSTILE_INPUT)
    assert dataset is not None, diagnostics
    return dataset.agreements.people[person_id].name


def test_hostile_data_never_becomes_markup_or_script(context, hostile_server):
    dialogs: list[str] = []
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(re.compile(r"^(?!" + re.escape(hostile_server.origin) + r"/)(?!data:)(?!blob:)"),
                  lambda route: route.abort())
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = hostile_server.pages()
    assert len(paths) == 19
    foreign = {}
    for path in paths:
        page.goto(hostile_server.url(path), wait_until="load")
        if found := page.evaluate(FOREIGN_MARKUP):
            foreign[path] = found
        expect(page.locator(EXPLICIT)).to_have_count(0)
    results = {}
    for query in ("onerror", "alert", "pipe", "script", "img"):
        search(page, query)
        # Done when the results are this query's (their links highlight it), or there are none.
        page.wait_for_function(
            "q => [...document.querySelectorAll('.md-search-result__link')]"
            ".some(a => new URL(a.href).searchParams.get('h') === q)"
            " || /^No matching/.test(document.querySelector('.md-search-result__meta').textContent.trim())",
            arg=query)
        results[query] = result_paths(page)
        if found := page.evaluate(FOREIGN_MARKUP):
            foreign[f"search {query!r}"] = found
        expect(page.locator(EXPLICIT)).to_have_count(0)
    assert foreign == {}
    assert dialogs == []
    # The hostile names were in the results, so their rendering in the search was checked too.
    assert "/people/mallory/" in results["onerror"] and "/people/mallory/" in results["pipe"], results
    assert [u for u in requests if not u.startswith((hostile_server.origin + "/", "data:", "blob:"))] == []

    # The checks do see what they look for: markup injected on purpose is found, and a dialog is caught.
    page.evaluate("""document.querySelector('.md-content').insertAdjacentHTML('beforeend',
                     '<img src="x" onerror="alert(1)">')""")
    assert len(page.evaluate(FOREIGN_MARKUP)) == 2
    page.evaluate("() => alert('control')")
    assert dialogs == ["control"]


def test_a_hostile_name_shows_as_its_text(page, hostile_server):
    name = hostile_person("mallory")
    assert "<img src=x onerror=" in name
    page.goto(hostile_server.url("people/mallory/"))
    h1 = page.locator("article h1")
    expect(h1).to_be_visible()
    assert heading(page) == name
    assert h1.inner_text().removesuffix("¶").strip() == name  # rendered as text, nothing hidden
    expect(h1.locator("*:not(a.headerlink)")).to_have_count(0)
    expect(page).to_have_title(f"{name} - {page.title().rsplit(' - ', 1)[-1]}")


# --- Accessibility --------------------------------------------------------------------------------

# KuCoin's figures have a flag cell that mixes words and a link ("adjustment of 2022-02"). The years
# case has year pages compared with the year before, and statements over two years.
AXE_PAGES = [("server", path) for path in ("", "connectors/", "connectors/binance/", "connectors/kucoin/",
                                           "sponsors/himalaya/", "people/theholyroger/", "reports/2022-03/",
                                           "reports/", "data/")]
AXE_PAGES += [("years_server", path) for path in ("", "maintainers/", "reports/2025/", "people/ida/",
                                                  "people/ida/statement/", "people/ida/statement/2025/",
                                                  "sponsors/east/")]


@pytest.mark.parametrize("served, path", AXE_PAGES, ids=[f"{s.split('_')[0]}:{p or 'home'}" for s, p in AXE_PAGES])
def test_axe_finds_no_serious_accessibility_problem(page, request, served, path):
    from axe_playwright_python.sync_playwright import Axe
    server = request.getfixturevalue(served)
    page.goto(server.url(path))
    settle(page)
    # Axe is injected with page.evaluate, which the page's Content-Security-Policy does not restrict.
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}; e.g. "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3]) for v in serious)
    assert not serious, f"axe on /{path}:\n{report}"


# --- Screens --------------------------------------------------------------------------------------

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "mobile": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2},
}
SCREENS = {"home": "", "connectors": "connectors/", "connector": "connectors/binance/", "month": "reports/2022-03/"}


def png_pixels(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values of the image data of a PNG file."""
    import zlib
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks.append(data[at + 8:at + 8 + length])
        at += 12 + length
    return width, height, len(set(zlib.decompress(b"".join(chunks))))


@contextlib.contextmanager
def device_page(browser, device: str):
    """A page in a fresh context with the screen of `device`."""
    context = browser.new_context(**DEVICES[device])
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("device", DEVICES)
def test_screenshots_of_the_main_pages(browser, server, device):
    settings = DEVICES[device]
    scale = settings.get("device_scale_factor", 1)
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    with device_page(browser, device) as page:
        for name, path in SCREENS.items():
            page.goto(server.url(path))
            settle(page)
            file = folder / f"{device}-{name}.png"
            file.unlink(missing_ok=True)
            page.screenshot(path=file, full_page=True)
            width, height, values = png_pixels(file)
            assert width == settings["viewport"]["width"] * scale, (file, width)
            assert height >= settings["viewport"]["height"] * scale, (file, height)
            assert file.stat().st_size > 20_000 and values > 100, f"{file} looks blank"


# Where a table sits in the viewport, before and after its scrolling box is scrolled to the end.
# Two frames first: a table is laid out (site.css: content-visibility) once it has come near the screen.
TABLE_PLACE = """async t => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  const row = t.tHead.rows[0];
  const first = row.cells[0], last = row.cells[row.cells.length - 1];
  let scroller = t.parentElement;
  while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
  const before = {first: box(first), last: box(last)};
  if (scroller) scroller.scrollLeft = scroller.scrollWidth;
  const after = {first: box(first), last: box(last)};
  return {before, after, scrolls: !!scroller && scroller.scrollWidth > scroller.clientWidth,
          page: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""


@pytest.mark.parametrize("served, path, column", [
    ("server", "connectors/", "Maintainer"),
    ("server", "reports/2022-03/", "Flags"),  # the remittances, ten columns
    ("years_server", "reports/2025/", "Change (%)"),  # a year's connectors against the year before
    ("years_server", "people/ida/statement/2025/", "Balance"),
])
def test_tables_can_be_read_on_a_phone(browser, request, served, path, column):
    server = request.getfixturevalue(served)
    with device_page(browser, "mobile") as page:
        page.goto(server.url(path))
        table = page.locator("article table", has=page.locator("thead th", has_text=column)).first
        table.scroll_into_view_if_needed()
        expect(table).to_be_visible()
        expect(table.locator("tbody tr").first).to_be_visible()
        place = table.evaluate(TABLE_PLACE)
        width = place["viewport"]
        assert place["page"] <= width, f"the page itself scrolls sideways: {place}"
        left, right = place["before"]["first"]
        assert 0 <= left < right <= width, f"the first column is cut off: {place}"
        if place["before"]["last"][1] > width:  # wider than the screen: its own box must scroll to the end
            assert place["scrolls"], f"the table is clipped, not scrollable: {place}"
        left, right = place["after"]["last"]
        assert 0 <= left < right <= width, f"the last column cannot be reached: {place}"


# Every table of a page on a phone: where the first column (what a row is) and the main amount (the
# column that data-key-column names) are, before and after the table's scrolling box is scrolled to
# its end, and whether each shows at its own place (nothing over it).
KEY_COLUMNS = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.right]; };
  const shown = el => { const r = el.getBoundingClientRect();
    const at = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return !!at && (at === el || el.contains(at)); };
  const found = [];
  for (const table of document.querySelectorAll("article table")) {
    scrollBy(0, table.getBoundingClientRect().top - 120);  // its top on the screen, under the header
    await frame();  // a table is laid out once it comes near the screen
    let scroller = table.parentElement;
    while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
    if (scroller) scroller.scrollLeft = 0;
    await frame();
    const key = Number(table.dataset.keyColumn || 0);
    const row = table.tBodies[0].rows[0], head = table.tHead.rows[0];
    const cells = () => [head.cells[0], row.cells[0], ...(key ? [head.cells[key - 1], row.cells[key - 1]] : [])];
    const place = () => cells().map(cell => [...box(cell), shown(cell)]);
    const before = place();
    const wide = !!scroller && scroller.scrollWidth > scroller.clientWidth;
    if (scroller) scroller.scrollLeft = scroller.scrollWidth;
    await frame();
    found.push({header: [...head.cells].map(c => c.textContent.trim()), key, wide, before,
                firstAfter: place().slice(0, 2), right: box(table)[1]});
    if (scroller) scroller.scrollLeft = 0;
  }
  return {tables: found, page: document.documentElement.scrollWidth, viewport: innerWidth};
}"""


def phone_pages(server) -> dict[str, str]:
    """One page of each kind the site has: home, the lists, a connector, a sponsor, a person and their
    statement, a year, a month, the data and how to verify it."""
    paths = server.pages()
    first = lambda pattern: next(p for p in paths if re.fullmatch(pattern, p))  # noqa: E731
    return {"home": "", "connectors": "connectors/", "connector": first(r"connectors/[^/]+/"),
            "sponsors": "sponsors/", "sponsor": first(r"sponsors/[^/]+/"), "maintainers": "maintainers/",
            "person": first(r"people/[^/]+/"), "statements": first(r"people/[^/]+/statement/"),
            "statement": first(r"people/[^/]+/statement/\d{4}/"), "reports": "reports/",
            "year": first(r"reports/\d{4}/"), "month": first(r"reports/\d{4}-\d\d/"), "data": "data/",
            "verify": "data/verify/"}


@pytest.mark.parametrize("kind", ["home", "connectors", "connector", "sponsors", "sponsor", "maintainers",
                                  "person", "statements", "statement", "reports", "year", "month", "data",
                                  "verify"])
def test_key_columns_stay_in_view_on_a_phone(browser, server, kind):
    """At 390 px, every table shows what each row is and its main amount without sideways scrolling:
    it fits, or its first column and the column that data-key-column names stay on the screen."""
    with device_page(browser, "mobile") as page:
        page.goto(server.url(phone_pages(server)[kind]))
        settle(page)
        found = page.evaluate(KEY_COLUMNS)
    width = found["viewport"]
    assert width == 390 and found["page"] <= width, f"the page itself scrolls sideways: {found['page']} > {width}"
    assert found["tables"], "no table on the page: nothing was checked"
    for table in found["tables"]:
        where = f"{kind}: table {table['header']}"
        if not table["wide"]:
            assert table["right"] <= width, f"{where} is cut off at the right edge: {table}"
            continue
        assert table["key"], f"{where} is wider than a phone but names no main amount (data-key-column)"
        for left, right, shown in table["before"]:
            assert 0 <= left < right <= width and shown, f"{where}: a key column is not in view: {table}"
        for left, right, shown in table["firstAfter"]:
            assert 0 <= left < right <= width and shown, f"{where}: the first column scrolls away: {table}"


def test_a_months_sources_of_funds_fit_a_phone(browser, server):
    """The month's three-column "Sources of funds" needs no sideways scrolling at all at 390 px."""
    month = phone_pages(server)["month"]
    with device_page(browser, "mobile") as page:
        page.goto(server.url(month))
        settle(page)
        sources = next(t for t in page.evaluate(KEY_COLUMNS)["tables"] if t["header"][0] == "Sponsor")
    assert len(sources["header"]) == 3 and not sources["wide"] and sources["right"] <= 390, sources


# --- Layout shift on a phone (what Lighthouse's mobile audit measures, checked without timing) ---

PAGE_KINDS = ["home", "connectors", "connector", "sponsors", "sponsor", "maintainers", "person", "statements",
              "statement", "reports", "year", "month", "data", "verify"]

# Where each block of the article is, and each table's box and header cells: what moves if anything is
# inserted, resized or rewrapped once the page has been shown.
ARTICLE_PLACE = """() => {
  const half = x => Math.round(x * 2) / 2;
  const r = el => {
    const b = el.getBoundingClientRect();
    return [half(b.top), half(b.left), half(b.width), half(b.height)];
  };
  const article = document.querySelector("article");
  const blocks = [];
  for (const el of article.querySelectorAll(":scope > *, table, thead th")) {
    if (el.matches(".md-typeset__scrollwrap, .md-typeset__table")) continue;
    const name = el.tagName + (el.className ? "." + el.className : "") + " " + el.textContent.trim().slice(0, 30);
    blocks.push([name, r(el)]);
  }
  return blocks;
}"""


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_nothing_moves_when_the_scripts_start_on_a_phone(browser, server, kind):
    """The page as first shown (before any script has run), once loaded (tables.js has run) and once the
    reader has touched it (the theme's script has started and run) has every block of the article at
    the same place and size: what the scripts change cannot shift the layout (Lighthouse's cumulative
    layout shift)."""
    path = phone_pages(server)[kind]
    places = {}
    for state in ("no scripts", "loaded", "touched"):  # touched: the theme's script has started and run
        context = browser.new_context(**DEVICES["mobile"], java_script_enabled=state != "no scripts")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(server.url(path))
            page.wait_for_load_state("load")
            if state == "touched":
                settle(page)
                page.evaluate(FRAMES)
            page.evaluate("() => document.fonts.ready")
            places[state] = page.evaluate(ARTICLE_PLACE)
        finally:
            context.close()
    assert places["no scripts"], (kind, places)
    for state in ("loaded", "touched"):
        assert len(places[state]) == len(places["no scripts"]), (kind, state, places)
        moved = [(before, after) for before, after in zip(places["no scripts"], places[state]) if before != after]
        assert not moved, f"{kind}: moved once {state} (name, [top, left, width, height]): {moved[:5]}"


FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@pytest.mark.parametrize("kind", ["home", "connector", "sponsor", "person", "year"])
def test_a_chart_keeps_its_room_before_it_arrives(browser, server, years_server, kind):
    """A chart is an image with its width and height: before the SVG has arrived, the page already
    keeps the room it will take, so nothing under it moves when it does."""
    served = years_server if kind == "year" else server
    path = {**phone_pages(server), "year": "reports/2025/"}[kind]
    boxes = {}
    for arrives in (False, True):
        with device_page(browser, "mobile") as page:
            held = []  # the charts' requests, left unanswered until the page has been measured
            if not arrives:
                page.route("**/*.svg", lambda route: held.append(route))
            page.goto(served.url(path), wait_until="load" if arrives else "domcontentloaded")
            page.evaluate(FRAMES)
            chart = page.locator("article img[src$='.svg']")
            expect(chart).to_have_count(1)
            assert chart.get_attribute("width") == "720" and chart.get_attribute("height") == "240"
            assert chart.evaluate("img => img.naturalWidth > 0") == arrives, (kind, arrives)
            box = chart.bounding_box()
            after = page.locator("article p:has(img[src$='.svg']) + *").first
            boxes[arrives] = (round(box["width"]), round(box["height"]), round(after.bounding_box()["y"]))
            for route in held:
                route.abort()
    width, height, _ = boxes[True]
    assert width > 300 and abs(height - width * 240 / 720) <= 1, boxes  # scaled to the phone, in proportion
    assert boxes[False] == boxes[True], f"{kind}: the chart's room (width, height, top of what follows) " \
                                        f"before and after it arrived: {boxes}"


# What Lighthouse's "font-size" audit reads: text under 12 px, by the length of its text.
SMALL_TEXT = """() => {
  const small = {}; let total = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element.checkVisibility({visibilityProperty: true})) continue;
    total += text.length;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 12) {
      const name = `${element.tagName.toLowerCase()}.${element.className} ${size.toFixed(1)}px`;
      small[name] = (small[name] || 0) + text.length;
    }
  }
  return {total, small};
}"""


@pytest.mark.parametrize("kind", [*PAGE_KINDS, "contributing"])
def test_no_text_is_too_small_to_read_on_a_phone(browser, server, kind):
    """At a phone's width no visible text is smaller than 12 px (a chain hash in a table was 10.9 px)."""
    path = {**phone_pages(server), "contributing": "contributing/"}[kind]
    with device_page(browser, "mobile") as page:
        page.goto(server.url(path))
        settle(page)
        found = page.evaluate(SMALL_TEXT)
    assert found["total"] > 200, found  # the page has text: something was checked
    assert not found["small"], f"{kind}: text under 12 px (element, size: characters): {found['small']}"


@pytest.mark.parametrize("served, path", [("server", "reports/2022-03/"), ("years_server", "maintainers/"),
                                          ("years_server", "reports/2025/"), ("server", "connectors/")])
def test_every_target_is_large_enough_to_tap_on_a_phone(browser, request, served, path):
    """At a phone's width a wide table scrolls under its sticky first and key columns; nothing there
    may be a target that lies partly under another one (axe's target-size, WCAG 2.5.8), which the
    sort buttons were: tables are sorted on wider screens."""
    from axe_playwright_python.sync_playwright import Axe
    server = request.getfixturevalue(served)
    with device_page(browser, "mobile") as page:
        page.goto(server.url(path))
        settle(page)
        expect(page.locator("article table button.sort")).to_have_count(0)
        violations = Axe().run(page, options={"runOnly": ["target-size"]}).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
