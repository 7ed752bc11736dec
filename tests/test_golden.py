"""Golden tests: YAML in, every generated file out (Markdown pages, charts, feed, JSON, CSV),
compared byte for byte with tests/golden/*/expected.

After an intended change of output, regenerate with `UPDATE_GOLDEN=1 make test` and review the
diff: it shows exactly what readers of the site will see change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, computed
from transparency.pipeline import load_dataset
from transparency.render import SiteOptions, render_site

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir())
OPTIONS = SiteOptions(build_month="2024-06", repo_url="https://github.com/example/transparency",
                      commit="0123456789abcdef0123456789abcdef01234567", site_url="https://example.org/t/")


def generated(case: str) -> dict[str, bytes]:
    """What the build generates for a case, without the hand-written pages and assets of content/, the
    schemas, and the verifier (data/verify.py is transparency/verify.py itself: see test_verify.py)."""
    dataset, diagnostics = load_dataset(GOLDEN / case / "input")
    assert dataset is not None, "\n".join(map(str, diagnostics))
    files = render_site(dataset, *computed(dataset), OPTIONS, ROOT)
    hand_written = {p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*")}
    return {name: content for name, content in files.items()
            if name not in hand_written and not name.startswith("data/schema/") and name != "data/verify.py"}


@pytest.mark.parametrize("case", CASES)
def test_output_matches_golden(case):
    expected_root = GOLDEN / case / "expected"
    files = generated(case)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_root, ignore_errors=True)
        for name, content in files.items():
            (expected_root / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_root / name).write_bytes(content)
    expected = {p.relative_to(expected_root).as_posix(): p.read_bytes()
                for p in expected_root.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected), "the set of generated files differs from the golden one"
    for name, content in files.items():
        assert content.decode() == expected[name].decode(), name
