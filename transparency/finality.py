"""Published months are final: what `check --base` refuses, found by comparing the data at a
base revision with the working tree. Pure: the files come from `history`."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import DataError, Diagnostic
from .history import Snapshot
from .ledger import ZERO, Line, Month, compute
from .load import AGREEMENTS, Mapping, Node, Sequence, parse
from .model import PUBLISHED, Dataset, next_month
from .validate import report_month

CORRECTION = "correct a published month with an adjustment in a later month's report"
SHOWN = 3  # differences named per month; the rest are counted


@dataclass(frozen=True, slots=True)
class Difference:
    """One figure of a published month that comes out differently now."""

    text: str
    cause: tuple = ()  # ("terms", connector, index), ("share",), ("sponsor", connector) or () when unknown


def published_changes(base: Snapshot, current_files: dict[str, bytes], current: Dataset | None,
                      shown_root: str) -> list[Diagnostic]:
    """Every change the working tree makes to what was published in `base`."""
    published = published_reports(base.files)
    problems = edited_reports(base, published, current_files, shown_root)
    if current is None or not published:
        return problems  # invalid data has been reported already; its figures cannot be computed
    if base.dataset is None:
        first = next(d for d in base.diagnostics if d.is_error)
        problems.append(Diagnostic(shown_root + AGREEMENTS, 1, 1,
            f"the data at {base.rev} is not valid ({first}), so the figures of its published months cannot be "
            "compared; expected a base revision whose data passes check"))
        return problems
    edited = {report_month(name) for name in published if not same_file(current_files.get(name), base.files[name])}
    return problems + altered_months(base, current, current_files, shown_root, edited)


def published_reports(files: dict[str, bytes]) -> dict[str, str]:
    """The report files whose status is published, with their published date ('' when missing)."""
    result = {}
    for name, content in sorted(files.items()):
        if name == AGREEMENTS:
            continue
        root = _root(content, name)
        status = _node(root, "status")
        if status is not None and getattr(status, "value", None) == PUBLISHED:
            result[name] = getattr(_node(root, "published"), "value", "") or ""
    return result


def edited_reports(base: Snapshot, published: dict[str, str], current_files: dict[str, bytes],
                   shown_root: str) -> list[Diagnostic]:
    """A diagnostic for each report published in `base` whose file is now different or gone."""
    problems = []
    for name, date in published.items():
        when = f"{base.rev} ({date})" if date else base.rev
        content = current_files.get(name)
        if content is None:
            problems.append(Diagnostic(shown_root + name, 1, 1,
                f"{name} was published in {when} and cannot be deleted; expected the file exactly as "
                f"published ({CORRECTION})"))
        elif not same_file(content, base.files[name]):
            line, col = first_difference(base.files[name], content)
            problems.append(Diagnostic(shown_root + name, line, col,
                f"{name} was published in {when} and cannot change; expected the file exactly as "
                f"published ({CORRECTION})"))
    return problems


def same_file(current: bytes | None, published: bytes) -> bool:
    """Whether a report is still the one published. Line endings aside: git checks text out with the
    platform's (CRLF on Windows) unless .gitattributes says otherwise, and stores it with LF."""
    return current is not None and current.replace(b"\r\n", b"\n") == published.replace(b"\r\n", b"\n")


def first_difference(old: bytes, new: bytes) -> tuple[int, int]:
    """Line and column in `new` where it first differs from `old`."""
    old_lines = old.decode("utf-8", "replace").splitlines(keepends=True)
    new_lines = new.decode("utf-8", "replace").splitlines(keepends=True)
    for number, (before, after) in enumerate(zip(old_lines, new_lines), start=1):
        if before != after:
            same = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
            return number, same + 1
    return min(len(old_lines), len(new_lines)) + 1, 1


def altered_months(base: Snapshot, current: Dataset, current_files: dict[str, bytes], shown_root: str,
                   edited: set[str]) -> list[Diagnostic]:
    """A diagnostic for each month published in `base` whose figures would now come out differently.

    Months whose own file changed are left to `edited_reports`. A balance carried over from an
    earlier altered month is not reported again.
    """
    before, after = compute(base.dataset), compute(current)
    agreements = _root(current_files.get(AGREEMENTS, b""), AGREEMENTS)
    resume = next_month(before.months[-1].month)
    if before.currency != after.currency:
        node = _node(agreements, "foundation", "currency")
        return [_at(shown_root + AGREEMENTS, node,
                    f"the reporting currency changes from {before.currency} to {after.currency}, which alters "
                    f"every published month; expected foundation.currency: {before.currency}")]
    now = {month.month: month for month in after.months}
    problems = []
    carried_over = False
    for old in before.months:
        new = now.get(old.month)
        if old.month in edited or new is None:
            carried_over = True
            continue
        own = line_differences(old, new, current) + total_differences(old, new)
        carried = balance_differences(old, new)
        if not own and (carried_over or not carried):
            continue
        carried_over = True
        listed = ", ".join(d.text for d in (own + carried)[:SHOWN])
        more = len(own + carried) - SHOWN
        figures = f"{listed}{f' and {more} more' if more > 0 else ''}"
        published = f"{base.rev} ({old.report.published})"
        if own:
            cause = next((d.cause for d in own if d.cause), ())
            node, expected = _cause_node(agreements, cause, resume)
            problems.append(_at(shown_root + AGREEMENTS, node,
                f"this change alters {old.month}, which is published in {published}: {figures}; {expected}"))
        else:
            problems.append(_inserted(current, before, old.month, published, figures, current_files, shown_root))
    return problems


def line_differences(old: Month, new: Month, current: Dataset) -> list[Difference]:
    """What changed in the lines of a month whose report is unchanged (so its lines pair up in order)."""
    result = []
    for a, b in zip(old.lines, new.lines):
        label = f"{b.connector}'s adjustment of {b.adjusts}" if b.adjusts else b.connector
        cause = _line_cause(a, b, current)
        if a.sponsor != b.sponsor:
            result.append(Difference(f"{label}'s sponsor {a.sponsor} -> {b.sponsor}", cause))
        if a.maintainer != b.maintainer:
            result.append(Difference(f"{label}'s maintainer {a.maintainer or 'none'} -> {b.maintainer or 'none'}",
                                     cause))
        if a.value != b.value:
            result.append(Difference(f"{label}'s value {a.value:.2f} -> {b.value:.2f}", cause))
        if a.maintainer_part != b.maintainer_part:
            result.append(Difference(f"{label}'s maintainer part {a.maintainer_part:.2f} -> "
                                     f"{b.maintainer_part:.2f}", cause))
        elif a.foundation_part != b.foundation_part:  # otherwise it follows from the maintainer part
            result.append(Difference(f"{label}'s foundation part {a.foundation_part:.2f} -> "
                                     f"{b.foundation_part:.2f}", cause))
        for flag in sorted(set(b.flags) - set(a.flags)):
            result.append(Difference(f"{label} now flagged {flag}", cause))
        for flag in sorted(set(a.flags) - set(b.flags)):
            result.append(Difference(f"{label} no longer flagged {flag}", cause))
    return result


def total_differences(old: Month, new: Month) -> list[Difference]:
    """Changes in the month's sponsor totals and in what each person accrued and was paid in it."""
    result = []
    for sponsor in dict.fromkeys([*old.sponsors, *new.sponsors]):
        a, b = old.sponsors.get(sponsor, ZERO), new.sponsors.get(sponsor, ZERO)
        if a != b:
            result.append(Difference(f"{sponsor}'s remitted {a:.2f} -> {b:.2f}"))
    return result + person_differences(old, new, ("accrued", "paid"))


def balance_differences(old: Month, new: Month) -> list[Difference]:
    """Changes in the balances after the month."""
    return person_differences(old, new, ("balance",))


def person_differences(old: Month, new: Month, fields: tuple[str, ...]) -> list[Difference]:
    """Changes in these fields of each person's figures for the month."""
    olds, news = ({entry.person: entry for entry in month.balances} for month in (old, new))
    result = []
    for person in dict.fromkeys([*olds, *news]):
        for field in fields:
            a, b = (getattr(side.get(person), field, ZERO) for side in (olds, news))
            if a != b:
                result.append(Difference(f"{person}'s {field} {a:.2f} -> {b:.2f}"))
    return result


def _line_cause(a: Line, b: Line, current: Dataset) -> tuple:
    """What in agreements.yml makes a line come out differently."""
    if a.sponsor != b.sponsor:
        return ("sponsor", b.connector)
    old, new = a.terms, b.terms
    if (not old.share_override and not new.share_override and old.maintainer_share != new.maintainer_share
            and replace(old, maintainer_share=ZERO, line=0) == replace(new, maintainer_share=ZERO, line=0)):
        return ("share",)
    return ("terms", b.connector, current.agreements.connectors[b.connector].terms.index(new))


def _cause_node(agreements: Node | None, cause: tuple, resume: str) -> tuple[Node | None, str]:
    """Where a cause is in agreements.yml, and what was expected there."""
    if cause[:1] == ("terms",):
        return (_node(agreements, "connectors", cause[1], "terms", cause[2]),
                f"expected terms changes to start after the last published month (a new terms entry with "
                f"since: {resume} or later)")
    if cause == ("share",):
        return (_node(agreements, "foundation", "maintainer_share"),
                f"expected the default maintainer_share unchanged while published months use it (to change a "
                f"share from {resume} on, give new terms entries their own maintainer_share)")
    if cause[:1] == ("sponsor",):
        return (_node(agreements, "connectors", cause[1], "sponsor"),
                "expected the sponsor of a connector with published months unchanged (for a new sponsor, end "
                "this agreement with until and add a new connector)")
    return None, f"expected the figures of published months unchanged ({CORRECTION})"


def _inserted(current: Dataset, before, month: str, published: str, figures: str,
              current_files: dict[str, bytes], shown_root: str) -> Diagnostic:
    """A month whose balances change because a month before it is published now."""
    was = {m.month for m in before.months}
    earlier = [r for r in current.reports if not r.is_draft and r.month < month and r.month not in was]
    if not earlier:
        return Diagnostic(shown_root + AGREEMENTS, 1, 1, f"this change alters {month}, which is published in "
                          f"{published}: {figures}; expected the figures of published months unchanged ({CORRECTION})")
    report = earlier[-1]
    node = _node(_root(current_files.get(report.source, b""), report.source), "status")
    return _at(shown_root + report.source, node,
               f"publishing {report.month} alters {month}, which is published in {published}: {figures}; "
               f"expected months published in order ({report.month} comes before a published month: book what it "
               "holds in a later month's report)")


def _at(path: str, node: Node | None, message: str) -> Diagnostic:
    return Diagnostic(path, node.line, node.col, message) if node is not None else Diagnostic(path, 1, 1, message)


def _root(content: bytes, name: str) -> Node | None:
    try:
        return parse(content, name, name).root
    except DataError:
        return None


def _node(node: Node | None, *keys) -> Node | None:
    """The node at a path of mapping keys and list indexes, or None."""
    for key in keys:
        if isinstance(node, Mapping) and isinstance(key, str) and key in node.items:
            node = node.items[key][1]
        elif isinstance(node, Sequence) and isinstance(key, int) and key < len(node.items):
            node = node.items[key]
        else:
            return None
    return node
