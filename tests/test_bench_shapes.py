"""The audit's data sets (bench/shapes.py) are valid data of the shapes they claim, for any seed."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from transparency.pipeline import load_dataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import shapes  # noqa: E402


@pytest.mark.parametrize("seed", [1, 7])
@pytest.mark.parametrize("shape", list(shapes.SHAPES))
def test_every_shape_is_valid_data(tmp_path, shape, seed):
    dataset, diagnostics = load_dataset(shapes.generate(tmp_path, shape, seed))
    assert dataset is not None, [str(d) for d in diagnostics[:5]]
    assert not diagnostics, [str(d) for d in diagnostics[:5]]  # not even a warning
    size = shapes.SHAPES[shape]
    assert len(dataset.reports) == size.months and len(dataset.agreements.connectors) == size.connectors


def test_each_shape_has_what_it_is_named_for(tmp_path):
    def load(shape):
        dataset, _ = load_dataset(shapes.generate(tmp_path / shape, shape))
        return dataset

    maintainer = load("maintainer")
    first = Counter(term.maintainer for c in maintainer.agreements.connectors.values() for term in c.terms[:1])
    assert first.most_common(1)[0][1] >= 40  # one person maintains 40 connectors
    names = load("names")
    everyone = [*names.agreements.people.values(), *names.agreements.sponsors.values(),
                *names.agreements.connectors.values()]
    assert all(60 <= len(x.name) <= 120 for x in everyone)
    assert any(not x.name.isascii() for x in everyone)
    assert any(len(max(x.name.split(), key=len)) >= 40 for x in everyone)  # a long stretch without a space
    payouts = load("payouts")
    assert max(Counter(p.to for r in payouts.reports for p in r.payouts).values()) >= 200
    adjustments = load("adjustments")
    assert sum(len(r.adjustments) for r in adjustments.reports) >= 20 * len(adjustments.reports)
    assert len(load("months").reports) >= 120
