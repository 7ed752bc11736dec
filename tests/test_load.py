"""The strict loader: text scalars with positions, and nothing YAML would guess or expand."""

from __future__ import annotations

import gc

import pytest

from transparency.errors import DataError
from transparency.load import Mapping, Sequence, load_repository, parse


def root(text: str):
    return parse(text.encode("utf-8"), "f.yml").root


def test_every_scalar_stays_text_with_its_position():
    tree = root("a: no\nb: 2021-06\nc: 0.1\nd: 1e3\ne: 'quoted'\n")
    assert isinstance(tree, Mapping)
    values = {key: node for key, (_, node) in tree.items.items()}
    assert [values[k].value for k in "abcde"] == ["no", "2021-06", "0.1", "1e3", "quoted"]
    assert (values["c"].line, values["c"].col) == (3, 4)
    assert values["e"].plain is False and values["a"].plain is True


def test_null_is_only_a_plain_empty_or_null():
    tree = root("a:\nb: ~\nc: null\nd: 'null'\n")
    nulls = {key: node.is_null for key, (_, node) in tree.items.items()}
    assert nulls == {"a": True, "b": True, "c": True, "d": False}


def test_sequences_and_nesting():
    tree = root("items:\n  - x: 1\n  - [a, b]\n")
    items = tree.items["items"][1]
    assert isinstance(items, Sequence)
    assert isinstance(items.items[0], Mapping) and isinstance(items.items[1], Sequence)
    assert [s.value for s in items.items[1].items] == ["a", "b"]


def test_every_duplicate_key_is_reported():
    with pytest.raises(DataError) as caught:
        root("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
    assert [(d.line, d.col) for d in caught.value.diagnostics] == [(2, 1), (5, 3)]


def test_utf8_bom_is_accepted_and_hash_is_of_the_bytes():
    data = b"\xef\xbb\xbfa: b\n"
    doc = parse(data, "f.yml")
    assert doc.root.items["a"][1].value == "b"
    import hashlib
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_unicode_text_survives():
    tree = root("name: \"Zoë 🚀 \u202eevil\u202c مرحبا\"\n")
    assert tree.items["name"][1].value == "Zoë 🚀 \u202eevil\u202c مرحبا"


@pytest.mark.parametrize("text", ["a: [1, *x]", "a: &x 1", "!!map {a: 1}", "a: !!binary aGk=", "? [a]\n: 1"])
def test_constructs_outside_the_contract_are_refused(text):
    with pytest.raises(DataError):
        root(text)


def test_load_repository_reports_each_unreadable_file(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "agreements.yml").write_text("a: [\n", encoding="utf-8")
    (tmp_path / "reports" / "2024-01.yml").write_text("a: 1\na: 2\n", encoding="utf-8")
    (tmp_path / "reports" / "README.md").write_text("not data", encoding="utf-8")
    agreements, reports, problems = load_repository(tmp_path)
    assert agreements is None and reports == []
    assert sorted(d.path.rsplit("/", 1)[-1] for d in problems) == ["2024-01.yml", "agreements.yml"]


def test_missing_agreements_is_an_error(tmp_path):
    _, _, problems = load_repository(tmp_path)
    assert "file not found" in problems[0].message


def test_pure_python_parser_behaves_the_same(monkeypatch):
    import yaml
    from transparency import load
    monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    tree = root("a: no\nb: [x]\n")
    assert tree.items["a"][1].value == "no"
    with pytest.raises(DataError) as caught:
        root("a: &x 1\n")
    assert "anchor" in caught.value.diagnostics[0].message


def test_loading_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    """load_dataset runs without the cycle collector (it builds no cycles), then restores it, on errors too."""
    from conftest import SEED_ERA
    from transparency.pipeline import load_dataset
    assert gc.isenabled()
    assert load_dataset(SEED_ERA)[0] is not None
    assert gc.isenabled()
    assert load_dataset(tmp_path)[0] is None  # no agreements.yml: an early return
    assert gc.isenabled()
    gc.disable()
    gc.freeze()  # what someone else froze stays frozen
    try:
        assert load_dataset(SEED_ERA)[0] is not None
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
