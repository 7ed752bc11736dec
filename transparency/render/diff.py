"""The Markdown summary of what the working tree changes against a base revision: the comment
on a pull request. Pure: both sides come in loaded; every string from the data is escaped."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from ..errors import Diagnostic
from ..finality import published_reports, same_file
from ..history import Snapshot
from ..ledger import ADVANCE, FEE_MISMATCH, OUTSIDE_RANGE, ZERO, Balance, Ledger, Month, compute, fee_ratio
from ..load import AGREEMENTS
from ..model import Agreements, Connector, Dataset, Report, Terms
from ..validate import report_month
from .markup import Md, code, gfm

MARKER = "<!-- transparency-diff -->"
ARROW = "→"


def summary(base: Snapshot, current: Dataset | None, current_files: dict[str, bytes],
            problems: Iterable[Diagnostic] = ()) -> str:
    """The whole comment: agreements, reports, the figures of each month being published and the
    all-time figures that change. With invalid data (`current` None), its errors come first, then
    what the files alone can tell."""
    out = [MARKER, "## Transparency data: what this pull request changes", "",
           f"Compared with {code(base.rev)} (commit {code(base.commit[:12])}).", ""]
    old = base.dataset
    if not base.files:
        out += [f"There is no data at {code(base.rev)} to compare with.", ""]
    elif old is None:
        out += [f"The data at {code(base.rev)} does not pass `python build.py check`, so only the report files "
                "are compared.", ""]
    if current is None:
        out += _invalid(base, current_files, [d for d in problems if d.is_error])
        return "\n".join(out).rstrip("\n") + "\n"
    after = compute(current)
    currency = gfm(current.agreements.foundation.currency)
    was_published = {report_month(name) for name in published_reports(base.files)}
    sections = [("Agreements", _bullets(agreement_changes(old.agreements, current.agreements)) if old else []),
                ("Reports", _bullets(report_changes(base, current, current_files)))]
    sections += [(f"{month.month} as published ({currency})", month_figures(month, current.agreements))
                 for month in after.months if month.month not in was_published]
    sections.append((f"Published figures ({currency})",
                     figure_changes(compute(old), after, old.agreements, current.agreements) if old else []))
    sections = [(title, body) for title, body in sections if body]
    if not sections:
        out.append("No change to the agreements, the reports or the published figures." if old is not None
                   else "No change to the report files.")
    for title, body in sections:
        out += [f"### {title}", "", *body, ""]
    return "\n".join(out).rstrip("\n") + "\n"


SHOWN_PROBLEMS = 30


def _invalid(base: Snapshot, current_files: dict[str, bytes], errors: list[Diagnostic]) -> list[str]:
    """The errors of data that does not pass check, then the report files' changes."""
    shown = [f"- {code(f'{d.path}:{d.line}:{d.col}')}: {gfm(d.message)}" for d in errors[:SHOWN_PROBLEMS]]
    if len(errors) > SHOWN_PROBLEMS:
        shown.append(f"- and {len(errors) - SHOWN_PROBLEMS} more (`python build.py check` lists them all)")
    out = [f"### ⚠️ The data does not pass `python build.py check`: {len(errors)} "
           f"error{'' if len(errors) == 1 else 's'}", "", *shown, "",
           "The agreements and the figures are compared once the data passes; the report files alone say this:", ""]
    changes = _bullets(file_changes(base, current_files))
    if current_files.get(AGREEMENTS) != base.files.get(AGREEMENTS):
        changes.insert(0, f"- {AGREEMENTS} changes")
    out += ["### Reports", "", *(changes or ["No change to the report files."])]
    return out


def agreement_changes(old: Agreements, new: Agreements) -> list[str]:
    """One line per change to the Foundation, people, sponsors and connectors."""
    changes = _foundation(old, new)
    changes += _entries("person", old.people, new.people)
    changes += _entries("sponsor", old.sponsors, new.sponsors)
    for connector in new.connectors.values():
        before = old.connectors.get(connector.id)
        if before is None:
            changes.append(f"Added connector **{gfm(connector.name)}** ({code(connector.id)}) of "
                           f"{_name(new.sponsors, connector.sponsor)}: " + _history(connector, new))
        else:
            changes += _connector(before, connector, old, new)
    for connector in old.connectors.values():
        if connector.id not in new.connectors:
            changes.append(f"Removed connector **{gfm(connector.name)}** ({code(connector.id)})")
    return changes


def _foundation(old: Agreements, new: Agreements) -> list[str]:
    a, b = old.foundation, new.foundation
    changes = []
    if a.name != b.name:
        changes.append(f"Foundation renamed: {gfm(a.name)} {ARROW} {gfm(b.name)}")
    if a.currency != b.currency:
        changes.append(f"Reporting currency: {gfm(a.currency)} {ARROW} {gfm(b.currency)}")
    if a.maintainer_share != b.maintainer_share:
        changes.append(f"Default maintainer share: {gfm(a.share_text)} {ARROW} {gfm(b.share_text)} "
                       "(for every terms entry without its own maintainer_share)")
    if (a.url, a.notice) != (b.url, b.notice):
        changes.append("Foundation's link or notice changed")
    if a.license != b.license:
        changes.append(f"Licence of the published data: {gfm(a.license or 'none')} {ARROW} {gfm(b.license or 'none')}"
                       + ("" if b.license else " (others may not reuse the data)"))
    return changes


def _entries(kind: str, old: dict, new: dict) -> list[str]:
    """People or sponsors added, renamed, relinked or removed."""
    changes = []
    for key, entry in new.items():
        before = old.get(key)
        if before is None:
            changes.append(f"Added {kind} **{gfm(entry.name)}** ({code(key)})")
            continue
        if before.name != entry.name:
            changes.append(f"Renamed {kind} {code(key)}: {gfm(before.name)} {ARROW} {gfm(entry.name)}")
        if _links(before) != _links(entry):
            changes.append(f"Changed the link of {kind} {code(key)}: {_links(before)} {ARROW} {_links(entry)}")
    for key, entry in old.items():
        if key not in new:
            changes.append(f"Removed {kind} **{gfm(entry.name)}** ({code(key)})")
    return changes


def _links(entry) -> str:
    parts = [code(f"github: {entry.github}") if getattr(entry, "github", None) else None,
             code(entry.url) if entry.url else None]
    return ", ".join(part for part in parts if part) or "none"


def _connector(old: Connector, new: Connector, before: Agreements, after: Agreements) -> list[str]:
    """What changed in one connector's agreement, with the month each change takes effect."""
    title = f"**{gfm(new.name)}** ({code(new.id)})"
    changes = []
    if old.name != new.name:
        changes.append(f"{title}: renamed from {gfm(old.name)}")
    if old.sponsor != new.sponsor:
        changes.append(f"{title}: sponsor {_name(before.sponsors, old.sponsor)} {ARROW} "
                       f"{_name(after.sponsors, new.sponsor)}")
    if old.developer != new.developer:
        changes.append(f"{title}: developer {_name(before.people, old.developer)} {ARROW} "
                       f"{_name(after.people, new.developer)}")
    if old.docs != new.docs:
        changes.append(f"{title}: documentation link {_optional(old.docs)} {ARROW} {_optional(new.docs)}")
    if old.until != new.until:
        if old.until is None:
            changes.append(f"{title}: ends after {new.until} (until: {new.until})")
        elif new.until is None:
            changes.append(f"{title}: no longer ends (until: {old.until} removed)")
        else:
            changes.append(f"{title}: until {old.until} {ARROW} {new.until}")
    old_terms = {terms.since: terms for terms in old.terms}
    for terms in new.terms:
        previous = old_terms.get(terms.since)
        if previous is None:
            in_force = [entry for entry in old.terms if entry.since < terms.since]
            what = (_terms_changes(in_force[-1], terms, before, after) if in_force else None) or [_terms(terms, after)]
            changes.append(f"{title}: from {terms.since}, " + "; ".join(what))
        elif changed := _terms_changes(previous, terms, before, after):
            changes.append(f"{title}: the terms since {terms.since} change: " + "; ".join(changed))
    for since in old_terms.keys() - {terms.since for terms in new.terms}:
        changes.append(f"{title}: the terms since {since} are removed")
    return changes


def _terms_changes(a: Terms, b: Terms, before: Agreements, after: Agreements) -> list[str]:
    changes = []
    if (a.type, a.amount_text) != (b.type, b.amount_text):
        changes.append(f"{a.type} {code(a.amount_text)} {ARROW} {b.type} {code(b.amount_text)}")
    if a.maintainer != b.maintainer:
        changes.append(f"maintainer {_name(before.people, a.maintainer)} {ARROW} {_name(after.people, b.maintainer)}")
    # A change of the default share is listed once, under the Foundation.
    if (a.share_override or b.share_override) and a.maintainer_share != b.maintainer_share:
        changes.append(f"maintainer share {a.share_text} {ARROW} {b.share_text}")
    return changes


def _terms(terms: Terms, agreements: Agreements) -> str:
    who = (f"maintained by {_name(agreements.people, terms.maintainer)} ({terms.share_text})"
           if terms.maintainer else "no maintainer")
    return f"{terms.type} {code(terms.amount_text)}, {who}"


def _history(connector: Connector, agreements: Agreements) -> str:
    parts = [f"from {terms.since}, {_terms(terms, agreements)}" for terms in connector.terms]
    return "; ".join(parts) + (f"; until {connector.until}" if connector.until else "")


def _name(table: dict, key: str | None) -> Md:
    if key is None:
        return Md("none")
    entry = table.get(key)
    return gfm(entry.name) if entry is not None else code(key)


def _optional(value: str | None) -> Md:
    return code(value) if value else Md("none")


def report_changes(base: Snapshot, current: Dataset, current_files: dict[str, bytes]) -> list[str]:
    """Reports added, published, updated or removed; a warning for each published one that changed."""
    return _report_changes(base, current_files, {report.source: report for report in current.reports})


def file_changes(base: Snapshot, current_files: dict[str, bytes]) -> list[str]:
    """What `report_changes` says from the files alone, for data that does not validate."""
    published = published_reports(current_files)
    return _report_changes(base, current_files, {name: published.get(name) for name in current_files
                                                 if name != AGREEMENTS})


def _report_changes(base: Snapshot, current_files: dict[str, bytes], reports: dict) -> list[str]:
    """The changes, with `reports` by file name: a validated Report, or the published date read from
    the file (None for a draft) when the data does not validate."""
    published = published_reports(base.files)
    changes = []
    for name in sorted((base.files.keys() | current_files.keys()) - {AGREEMENTS}):
        month = report_month(name) or name
        old = base.files.get(name)
        if name in published:
            if not same_file(current_files.get(name), old):
                state = "deleted" if name not in current_files else "changed"
                changes.append(f"⚠️ **{gfm(month)} was published in {code(base.rev)} and its file is {state}**: "
                               "`python build.py check --base` refuses this; correct a published month with an "
                               "adjustment in a later month's report")
            continue
        if name not in reports:
            if old is not None and name not in current_files:
                changes.append(f"Removed the draft {gfm(month)}")
            continue
        report = reports[name]
        date = report.published if isinstance(report, Report) else report
        figures = _report_figures(report) if isinstance(report, Report) else ""
        if old is None:
            changes.append(f"Added {gfm(month)} ({'draft' if date is None else f'published {gfm(date)}'}){figures}")
        elif date is not None:
            changes.append(f"Published {gfm(month)} ({gfm(date)}), a draft in {code(base.rev)}{figures}")
        elif not same_file(current_files.get(name), old):
            changes.append(f"Updated the draft {gfm(month)}{figures}")
        else:
            continue
        if isinstance(report, Report):
            changes += [f"  - adjusts {adjustment.month}: {code(adjustment.connector)} "
                        f"{adjustment.amount:+,f} {gfm(adjustment.currency)}: {gfm(adjustment.reason)}"
                        for adjustment in report.adjustments]
    return changes


def _report_figures(report) -> str:
    counts = [(len(report.remittances), "remittance"), (len(report.payouts), "payout"),
              (len(report.adjustments), "adjustment")]
    listed = [f"{number} {noun}{'' if number == 1 else 's'}" for number, noun in counts if number]
    return f": {', '.join(listed)}" if listed else ""


def month_figures(month: Month, agreements: Agreements) -> list[str]:
    """A month's own figures: totals, each sponsor's and maintainer's, its flags, its adjustments split."""
    totals = month.totals
    out = ["| Remitted | To maintainers | To the Foundation | Paid out |", "| ---: | ---: | ---: | ---: |",
           f"| {_amount(totals.remitted)} | {_amount(totals.maintainers)} | {_amount(totals.foundation)} | "
           f"{_amount(totals.paid)} |", ""]
    if month.sponsors:
        out += ["| Sponsor | Remitted |", "| --- | ---: |"]
        out += [f"| {_name(agreements.sponsors, key)} | {_amount(value)} |" for key, value in month.sponsors.items()]
        out.append("")
    if month.balances:
        out += ["| Maintainer | Accrued | Paid | Balance after |", "| --- | ---: | ---: | ---: |"]
        out += [f"| {_name(agreements.people, entry.person)} | {_amount(entry.accrued)} | {_amount(entry.paid)} | "
                f"{_amount(entry.balance)} |" for entry in month.balances]
        out.append("")
    flags = _flags(month, agreements)
    if flags:
        out += ["Flags (shown on the site; not errors):", "", *flags, ""]
    adjustments = [line for line in month.lines if line.adjusts]
    if adjustments:
        out += ["| Adjusts | Connector | Value | Maintainer | Maintainer part | Foundation part |",
                "| --- | --- | ---: | --- | ---: | ---: |"]
        for line in adjustments:
            who = (f"{_name(agreements.people, line.maintainer)} ({line.terms.share_text})" if line.maintainer
                   else "none")
            out.append(f"| {line.adjusts} | {_name(agreements.connectors, line.connector)} | {_amount(line.value)} | "
                       f"{who} | {_amount(line.maintainer_part)} | {_amount(line.foundation_part)} |")
        out.append("")
    return out[:-1]


def _flags(month: Month, agreements: Agreements) -> list[str]:
    """One bullet per flag of the month, saying what raised it."""
    flags = []
    currency = agreements.foundation.currency
    for line in month.lines:
        source, connector = line.source, _name(agreements.connectors, line.connector)
        terms = f"{line.terms.type} {code(line.terms.amount_text)}"
        remitted = f"{source.amount:,f} {gfm(source.currency)}"
        if FEE_MISMATCH in line.flags:
            value = f" ({_amount(line.value)} {currency})" if source.currency != currency else ""
            flags.append(f"- `{FEE_MISMATCH}`: {connector} remitted {remitted}{value}, against a {terms}")
        if OUTSIDE_RANGE in line.flags:
            flags.append(f"- `{OUTSIDE_RANGE}`: {connector} remitted {remitted} for {source.user_fees:,f} "
                         f"{gfm(source.currency)} of users' fees ({fee_ratio(source) * 100:.2f}%), against a {terms}")
    for entry in month.balances:
        if ADVANCE in entry.flags:
            flags.append(f"- `{ADVANCE}`: {_name(agreements.people, entry.person)} was paid ahead: balance "
                         f"{_amount(entry.balance)} after this month")
    return flags


def figure_changes(before: Ledger, after: Ledger, old: Agreements, new: Agreements) -> list[str]:
    """Tables of the all-time figures that change: remitted per sponsor; accrued, paid, balance per person."""
    out = []
    months = [month.month for month in before.months], [month.month for month in after.months]
    if months[0] != months[1]:
        added = [month for month in months[1] if month not in months[0]]
        removed = [month for month in months[0] if month not in months[1]]
        what = [f"{', '.join(added)} added"] * bool(added) + [f"{', '.join(removed)} removed"] * bool(removed)
        out += [f"Published months: {len(months[0])} {ARROW} {len(months[1])} ({'; '.join(what)})", ""]
    sponsors = {**old.sponsors, **new.sponsors}  # named as they are now where they still exist
    changed = [key for key in dict.fromkeys([*new.sponsors, *old.sponsors])
               if before.sponsors.get(key, ZERO) != after.sponsors.get(key, ZERO)]
    if changed:
        out += ["| Sponsor | Remitted, all time |", "| --- | ---: |"]
        out += [f"| {_name(sponsors, key)} | {_change(before.sponsors.get(key, ZERO), after.sponsors.get(key, ZERO))} |"
                for key in changed]
        out.append("")
    people = {**old.people, **new.people}
    empty = Balance("", ZERO, ZERO, ZERO)
    changed = [key for key in dict.fromkeys([*new.people, *old.people])
               if _figures(before.people.get(key, empty)) != _figures(after.people.get(key, empty))]
    if changed:
        out += ["| Maintainer | Accrued | Paid | Balance |", "| --- | ---: | ---: | ---: |"]
        for key in changed:
            a, b = before.people.get(key, empty), after.people.get(key, empty)
            out.append(f"| {_name(people, key)} | {_change(a.accrued, b.accrued)} | {_change(a.paid, b.paid)} | "
                       f"{_change(a.balance, b.balance)} |")
        out.append("")
    return out


def _figures(total: Balance) -> tuple[Decimal, Decimal, Decimal]:
    return total.accrued, total.paid, total.balance


def _change(before: Decimal, after: Decimal) -> str:
    if before == after:
        return _amount(after)
    return f"{_amount(before)} {ARROW} {_amount(after)} ({after - before:+,.2f})"


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _bullets(lines: list[str]) -> list[str]:
    return [line if line.startswith("  - ") else f"- {line}" for line in lines]
