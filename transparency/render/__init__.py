"""Stage 4: every file of the site's source, computed in memory before anything is written.

Markdown pages come from the Jinja2 templates in `templates/`, hand-written pages from
`content/`, charts are SVG, data files JSON and CSV. The result is a mapping from paths
(relative to the MkDocs docs folder) to bytes; `publish` writes it.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

import jinja2

from .. import licenses
from ..data import cents, data_files
from ..datapackage import About, downloads, jsonld
from ..ledger import Ledger
from ..model import Dataset, percent
from ..periods import Periods, against, change, previous_year, sponsor_years
from . import charts, feed
from .markup import Md, anchor, attribute, code, explorer_link, markdown_attribute, md, notes, reference, url
from .views import Views, changes, docs_url, gather, stints
from .workers import default_workers, in_background, render_all

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FLAG_TEXT = {
    "fee_mismatch": "the amount differs from the agreed monthly fee",
    "outside_range": "the amount is outside the agreed share of the users' fees",
    "advance": "paid more than accrued so far: an advance against future fees",
    "adjustment": "corrects an earlier, published month",
}


# Tabs lead to each section; the sidebar would repeat the one section, and wide tables need the room.
FRONT_MATTER = "---\nhide:\n  - navigation\n---\n\n"


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """What a build knows beyond the data: its month, whether drafts show, where the source is."""

    build_month: str
    drafts: bool = False
    repo_url: str | None = None
    commit: str | None = None
    site_url: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to the docs folder, e.g. connectors/binance.md
    template: str
    context: dict


class RenderError(Exception):
    """A template links to a page that the site does not have."""


def render_site(dataset: Dataset, ledger: Ledger, periods: Periods, options: SiteOptions, project: Path,
                progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> dict[str, bytes]:
    """Every file of the docs folder: pages, charts, feed, data, and the hand-written content.

    The pages are rendered by `workers` processes, the data files computed in one while this one draws
    the charts; by default as many as there are cores, where that is safe and worth it (see workers.py)."""
    views = gather(dataset, ledger)
    schemas = sorted(path.name for path in (project / "schema").glob("*.json"))
    pages = list(_pages(dataset, ledger, periods, options))
    count = default_workers(len(pages)) if workers is None else workers
    known: set[str] = set()  # every file of the site: filled in once the data files are there
    # The data files in a worker while this process draws the charts and compiles the templates.
    with in_background(lambda: data_files(dataset, ledger, periods, options.site_url, options.repo_url),
                       fork=count > 1) as data:
        drawn = _charts(dataset, ledger, views) | _period_charts(ledger, periods)
        environment = _environment(project / "templates", dataset, ledger, views, options, known)
        templates = {name: environment.get_template(name) for name in environment.list_templates(extensions=["j2"])}
        files = data()
    record = {entry["month"]: entry for entry in json.loads(files["data/manifest.json"])["months"]}
    files.update(drawn)
    files["reports/feed.xml"] = feed.atom(dataset, ledger, options, record)
    for name in schemas:
        files[f"data/schema/{name}"] = (project / "schema" / name).read_bytes()
    content = project / "content"
    known.update({page.path for page in pages} | set(files) | {
        p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()})
    published = sorted(path.removeprefix("data/schema/") for path in files
                       if path.startswith("data/schema/") and path.endswith(".json.schema.json"))
    about = About.of(dataset.agreements.foundation, ledger, options.site_url, options.repo_url)
    environment.globals.update(about=about, license_title=licenses.title,
                               dataset_jsonld=Md(jsonld(about, downloads(files))))
    environment.globals.update(schemas=schemas, record=record,
                               intro=_split_title((content / "index.md").read_text("utf-8")),
                               periods=periods, change=change, against=against, sponsor_years=sponsor_years,
                               previous_year=previous_year, published_schemas=published)
    header = environment.get_template("_header.md.j2").render(page_path="index.md")
    files.update(_content(content, header))
    guide = project / "CONTRIBUTING.md"  # one guide: the repository's, also the site's page
    files["contributing.md"] = _with_banners(guide.read_text(encoding="utf-8"), header)

    def render(page: Page) -> bytes:
        markdown = boxed_tables(templates[page.template].render(page_path=page.path, **page.context))
        return (FRONT_MATTER + markdown).encode("utf-8")

    files.update(zip((page.path for page in pages), render_all(pages, render, count, progress)))
    return files


# A table of a template: an HTML block, its opening and closing tags each at the start of a line.
_BOX_OPEN = '<div class="table-scroll"><div class="table-box"><table class="figures"'
_BOX_CLOSE = "</table></div></div>"


def boxed_tables(markdown: str) -> str:
    """Each table of a generated page in its own scrolling box, marked as a table of figures.

    The box is what the theme's script would otherwise wrap the table in after the page has been
    shown, moving everything under it; its class keeps the script away (site.css styles both).
    A `<table` that opens a line (then a space or `>`), a `</table>` that is a whole line: found
    with plain string replacement, many times faster than a regular expression over a whole page."""
    if "<table" not in markdown and "</table>" not in markdown:
        return markdown
    text = "\n" + markdown + "\n"  # every line between two newlines
    text = text.replace("\n<table ", "\n" + _BOX_OPEN + " ").replace("\n<table>", "\n" + _BOX_OPEN + ">")
    while "\n</table>\n" in text:  # twice when two such lines follow each other: replacements do not overlap
        text = text.replace("\n</table>\n", "\n" + _BOX_CLOSE + "\n")
    return text[1:-1]


@functools.lru_cache(maxsize=1 << 14)  # asked again for each link: the same few thousand paths
def page_url(path: str) -> str:
    """Where MkDocs puts a docs file (use_directory_urls): a/index.md -> a/, a/b.md -> a/b/."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[: -len("index.md")]
    if path.endswith(".md"):
        return path[:-3] + "/"
    return path


def relative_url(target: str, page: str) -> str:
    """The link from the page at docs path `page` to the docs file `target`."""
    folder = page_url(page)  # pages are folders: a/index.md is a/, a/b.md is a/b/
    there = page_url(target)
    if folder and there.startswith(folder):
        return there[len(folder):] or "./"
    return "../" * folder.count("/") + there or "./"


def _content(folder: Path, header: str) -> Iterator[tuple[str, bytes]]:
    """The hand-written pages, with the banners under their title, and their assets.

    content/index.md is left out: it is the home page's text, which the home template uses.
    """
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if not path.is_file() or relative == "index.md":
            continue
        if path.suffix == ".md":
            yield relative, _with_banners(path.read_text(encoding="utf-8"), header)
        else:
            yield relative, path.read_bytes()


def _with_banners(markdown: str, header: str) -> bytes:
    """A hand-written page with the front matter, and the banners under its title."""
    page = _split_title(markdown)
    return f"{FRONT_MATTER}{page['title']}\n\n{header}{page['body']}".encode("utf-8")


def _split_title(markdown: str) -> dict[str, Md]:
    """A hand-written page's first-line `# Title` and the rest: MkDocs takes the title only from
    an H1 that opens the page, so the banners go under it."""
    first, _, rest = markdown.partition("\n")
    if not first.startswith("# "):
        return {"title": Md(""), "body": Md(markdown)}
    return {"title": Md(first), "body": Md(rest.lstrip("\n"))}


def statement_page(pid: str, year: str) -> str:
    """The page of a person's statement for one year."""
    return f"people/{pid}/statement/{year}.md"


def _pages(dataset: Dataset, ledger: Ledger, periods: Periods, options: SiteOptions) -> Iterator[Page]:
    """Every generated page; a detail page's subject is `this`."""
    agreements = dataset.agreements
    yield Page("index.md", "home.md.j2", {})
    groups: dict[str, list] = {"active": [], "upcoming": [], "ended": []}
    for connector in agreements.connectors.values():
        groups[connector.status_in(options.build_month)].append(connector)
    yield Page("connectors/index.md", "connectors.md.j2", {"groups": groups})
    for connector in agreements.connectors.values():
        yield Page(f"connectors/{connector.id}.md", "connector.md.j2", {"this": connector})
    yield Page("sponsors/index.md", "sponsors.md.j2", {})
    for sponsor in agreements.sponsors.values():
        yield Page(f"sponsors/{sponsor.id}.md", "sponsor.md.j2", {"this": sponsor})
    yield Page("maintainers/index.md", "maintainers.md.j2", {})
    for person in agreements.people.values():
        yield Page(f"people/{person.id}.md", "person.md.j2", {"this": person})
        statement = periods.statements.get(person.id)  # everyone with a figure has one, of a year or more
        if statement is None:
            continue
        yield Page(f"people/{person.id}/statement/index.md", "statements.md.j2",
                   {"this": person, "statement": statement})
        years = statement.years
        # One page a year: what a statement is, and light on a phone.
        for before, year, after in zip((None, *years), years, (*years[1:], None)):
            yield Page(statement_page(person.id, year.year), "statement.md.j2",
                       {"this": person, "year": year, "before": before, "after": after})
    yield Page("reports/index.md", "reports.md.j2", {})
    for year in periods.years.values():
        yield Page(f"reports/{year.year}.md", "year.md.j2",
                   {"this": year, "before": periods.years.get(previous_year(year.year))})
    for month in ledger.months:
        yield Page(f"reports/{month.month}.md", "report.md.j2", {"this": month})
    yield Page("data/index.md", "data.md.j2", {})
    yield Page("data/verify.md", "verify.md.j2", {})


def _charts(dataset: Dataset, ledger: Ledger, views: Views) -> dict[str, bytes]:
    currency = ledger.currency
    files = {}
    for cid, entries in views.lines.items():
        by_month: dict[str, Decimal] = {}
        for month, line in entries:
            by_month[month.month] = by_month.get(month.month, Decimal(0)) + line.value
        name = dataset.agreements.connectors[cid].name
        files[f"connectors/{cid}.svg"] = charts.bar_chart(
            f"{name}: remitted per month", f"Bar chart of what {name} remitted each month, in {currency}; "
            "the table below lists the same figures.", list(by_month.items()), currency)
    for sid, entries in views.sponsor_months.items():
        name = dataset.agreements.sponsors[sid].name
        files[f"sponsors/{sid}.svg"] = charts.bar_chart(
            f"{name}: remitted per month", f"Bar chart of what {name} remitted each month, in {currency}; "
            "the table below lists the same figures.", [(e.month, e.remitted) for e in entries], currency)
    for pid, entries in views.balances.items():
        name = dataset.agreements.people[pid].name
        files[f"people/{pid}.svg"] = charts.bar_chart(
            f"{name}: balance after each month", f"Bar chart of {name}'s balance at the end of each month, in "
            f"{currency}; below 0 is an advance. The table below lists the same figures.",
            [(month.month, balance.balance) for month, balance in entries], currency)
    return files


def _period_charts(ledger: Ledger, periods: Periods) -> dict[str, bytes]:
    """The trend of the home page and each year's months, as stacked bars of the two parts."""
    currency = ledger.currency
    files = {}
    shown = [(periods.trend, "trend.svg", "the last published months")]
    shown += [(year.months, f"reports/{year.year}.svg", year.year) for year in periods.years.values()]
    for months, path, span in shown:
        if not months:
            continue
        files[path] = charts.stacked_chart(
            f"Remitted per month, {span}", f"Stacked bar chart of what sponsors remitted each month in {currency}, "
            "split into the maintainers' part and the Foundation's part; the table below lists the same figures.",
            [m.month for m in months],
            [("To maintainers", charts.MAINTAINERS, [m.totals.maintainers for m in months]),
             ("To the Foundation", charts.FOUNDATION, [m.totals.foundation for m in months])], currency)
    return files


def _environment(templates: Path, dataset: Dataset, ledger: Ledger, views: Views, options: SiteOptions,
                 known: set[str]) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the build instead of vanishing
        autoescape=False,  # HTML autoescaping does not fit Markdown; `finalize` escapes instead
        finalize=md,  # every {{ value }} is escaped for Markdown and HTML unless it is already Md
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    agreements = dataset.agreements

    links: dict[tuple, Md] = {}  # the same link recurs on many pages: made once per text, target and base

    @jinja2.pass_context
    def a(context, text, target: str) -> Md:
        """A link from the page being rendered to another file of the site."""
        page = context["page_path"]
        folder = page_url(page)
        base = folder if page_url(target).startswith(folder) else folder.count("/")
        key = (text, target, base)
        link = links.get(key)
        if link is None:
            path, hash_, fragment = target.partition("#")
            if path not in known:
                raise RenderError(f"{page} links to {target}, which the site does not have")
            link = links[key] = anchor(text, relative_url(path, page) + hash_ + fragment)
        return link

    @jinja2.pass_context
    def chart(context, alt: str, target: str) -> Md:
        """A chart of the site as an image with its width and height, so that the browser keeps its room
        before the SVG arrives and nothing under it moves (a layout shift) when it does."""
        page = context["page_path"]
        if target not in known:
            raise RenderError(f"{page} shows {target}, which the site does not have")
        return Md(f'<img src="{attribute(url(relative_url(target, page)))}" alt="{markdown_attribute(alt)}" '
                  f'width="{charts.WIDTH}" height="{charts.HEIGHT}">')

    @jinja2.pass_context
    def person(context, pid: str | None) -> Md:
        return a(context, agreements.people[pid].name, f"people/{pid}.md") if pid else Md("")

    @jinja2.pass_context
    def connector(context, cid: str) -> Md:
        return a(context, agreements.connectors[cid].name, f"connectors/{cid}.md")

    @jinja2.pass_context
    def sponsor(context, sid: str) -> Md:
        return a(context, agreements.sponsors[sid].name, f"sponsors/{sid}.md")

    @jinja2.pass_context
    def report(context, month: str) -> Md:
        return a(context, month, f"reports/{month}.md")

    @jinja2.pass_context
    def statement_year(context, pid: str, year: str) -> Md:
        return a(context, year, statement_page(pid, year))

    def address(chain: str, value: str) -> Md:
        """An address on a chain, linked to the chain's explorer when it has one."""
        return explorer_link(value, agreements.chains[chain].link("address", value))

    def transaction(currency: str, value: str) -> Md:
        """The transaction of a line in a token, linked to its chain's explorer when it has one."""
        chain = agreements.chains[agreements.tokens[currency].chain]
        return explorer_link(value, chain.link("tx", value))

    environment.filters.update(
        money=lambda value: Md(f"{value:,.2f}") if value else Md("0.00"),
        change_cells=_change_cells, by_year=_by_year, by_month=_by_month,
        plain=lambda value: Md(format(value, "f")),
        percent=lambda value: Md(percent(value)),
        month_name=lambda month: Md(f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"),
        md=md, notes=notes, cents=cents, code=code, reference=reference,
        flags=lambda flags: Md(", ".join(f.replace("_", " ") for f in flags)),
    )
    environment.globals.update(
        a=a, chart=chart, person=person, connector=connector, sponsor=sponsor, report=report,
        statement_year=statement_year, address=address, transaction=transaction,
        chain_of=lambda currency: agreements.chains[agreements.tokens[currency].chain],
        external=lambda text, target: anchor(text, target) if target else md(text),
        agreements=agreements, foundation=agreements.foundation, ledger=ledger, views=views, options=options,
        currency=ledger.currency, flag_text=FLAG_TEXT, stints=stints, changes=changes,
        docs_url=lambda c: docs_url(c, agreements.foundation.url),
        latest=next((m for m in reversed(ledger.months) if not m.is_draft), None),
        month_flags=_month_flags,
        maintained_now=lambda pid: [cid for cid in views.maintained.get(pid, [])
                                    if _maintainer_in(agreements.connectors[cid], options.build_month) == pid],
        source_link=lambda source: _source_link(source, options),
        Md=Md, zero=Decimal(0),
    )
    return environment


def _by_year(items) -> list[tuple[str, list]]:
    """Items of a month (a computed month, or a pair that starts with one) in runs of the same year, in
    their order: a long table of months becomes a table a year, of which the browser lays out and
    paints only those near the screen (site.css: content-visibility)."""
    runs: list[tuple[str, list]] = []
    for item in items:
        year = (item[0] if isinstance(item, tuple) else item).month[:4]
        if not runs or runs[-1][0] != year:
            runs.append((year, []))
        runs[-1][1].append(item)
    return runs


def _by_month(entries) -> list[tuple[str, list]]:
    """A statement's entries by month, in the order of the months: Jinja's groupby("month.month"),
    without its attribute lookups through the template's environment."""
    month = operator.attrgetter("month.month")
    return [(key, list(group)) for key, group in itertools.groupby(sorted(entries, key=month), month)]


def _change_cells(change) -> Md:
    """Two table cells: a Change's amount and percent, signed; empty where there is nothing to compare."""
    amount = "" if change.amount is None else f"{change.amount:+,.2f}" if change.amount else "0.00"
    percent = "" if change.percent is None else f"{change.percent:+}%" if change.percent else "0.0%"
    return Md(f'<td class="num">{amount}</td><td class="num">{percent}</td>')


def _maintainer_in(connector, month: str) -> str | None:
    terms = connector.terms_in(month)
    return terms.maintainer if terms else None


def _month_flags(month) -> list[str]:
    """The flags raised anywhere in a month, in the order FLAG_TEXT explains them."""
    raised = {flag for line in month.lines for flag in line.flags}
    raised.update(flag for balance in month.balances for flag in balance.flags)
    return [flag for flag in FLAG_TEXT if flag in raised]


def _source_link(source: str, options: SiteOptions) -> str | None:
    """A link to a data file at the commit that was built, when the repository is known."""
    if not (options.repo_url and options.commit):
        return None
    return f"{options.repo_url.rstrip('/')}/blob/{options.commit}/{source}"
