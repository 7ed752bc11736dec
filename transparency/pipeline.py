"""The stages joined: from a data folder to a validated Dataset, and on to its Ledger."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import Diagnostic
from .ledger import check_totals
from .load import Document, load_repository
from .model import Dataset
from .validate import publication_order, validate


def load_dataset(data: Path, shown_root: str | None = None, in_order: bool = True
                 ) -> tuple[Dataset | None, list[Diagnostic]]:
    """Load and validate everything under `data`; the Dataset is None when there is an error.

    `shown_root` replaces the folder in the paths that messages show (see `load_repository`).
    `in_order=False` leaves out the rule that months are published in order (see `publication_order`).
    """
    with acyclic():
        agreements, reports, problems = load_repository(data, shown_root)
        return validated(agreements, reports, problems, in_order)


def validated(agreements: Document | None, reports: list[Document], problems: list[Diagnostic],
              in_order: bool = True) -> tuple[Dataset | None, list[Diagnostic]]:
    """Validate loaded files (`problems`: those that could not be read) as `load_dataset` does."""
    problems = list(problems)
    if agreements is None:
        return None, sorted(problems)
    with acyclic():
        dataset, diagnostics = validate(agreements, reports)
        diagnostics.extend(problems)
        if in_order:
            diagnostics.extend(publication_order(reports, [problem.path for problem in problems]))
        if dataset is not None:
            diagnostics.extend(check_totals(dataset))
    if any(d.is_error for d in diagnostics):
        dataset = None
    return dataset, sorted(diagnostics)


@contextmanager
def acyclic() -> Iterator[None]:
    """Run without the cycle collector, for work that builds a great many objects and no cycles.

    The trees of the files and the typed data hold no reference cycles: reference counting frees
    whatever is dropped. The collector would find nothing, yet walk the growing trees again and
    again as they are built (about a third of the time loading and validating took).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            # What was built goes straight to the oldest generation, which the collector walks
            # least often, instead of being walked once more as young objects.
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
