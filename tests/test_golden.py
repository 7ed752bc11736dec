"""Golden tests: YAML in, every generated file out, compared byte for byte with tests/golden/*/expected.

After an intended change of output, regenerate with `UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transparency.data import data_files
from transparency.ledger import compute
from transparency.pipeline import load_dataset

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir())


def generated(case: str) -> dict[str, bytes]:
    dataset, diagnostics = load_dataset(GOLDEN / case / "input")
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return data_files(dataset, compute(dataset))


@pytest.mark.parametrize("case", CASES)
def test_output_matches_golden(case):
    expected_root = GOLDEN / case / "expected"
    files = generated(case)
    if os.environ.get("UPDATE_GOLDEN"):
        import shutil
        shutil.rmtree(expected_root, ignore_errors=True)
        for name, content in files.items():
            (expected_root / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_root / name).write_bytes(content)
    expected = {str(p.relative_to(expected_root)): p.read_bytes() for p in expected_root.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected), "files generated differ from the golden list"
    for name, content in files.items():
        assert content.decode() == expected[name].decode(), name
