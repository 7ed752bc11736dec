#!/usr/bin/env python3
"""Mutation testing: do the fast tests notice when the computation, the validator or the verifier is wrong?

Runs mutmut 3.8.1 (configured under [tool.mutmut] in pyproject.toml) over transparency/ledger.py,
validate.py and verify.py: it copies the project into mutants/, makes every small change it knows
(an operator flipped, a constant moved by one, a string altered, a call dropped) and runs the
fast tests that reach the changed function against each, two at a time. A mutant is killed when a
test fails. mutmut leaves decorated functions alone (ledger.compute and check_totals, the years,
waiting figures and statements of periods.py, waiting.py and statements.py, every @property), so
HAND_MADE below are mutants of those, each run against the fast tests in a copy of the project.
Prints each module's score (killed / total) and every survivor, and fails below --min percent.

    python bench/mutation.py [--keep] [--hand-made-only] [--sample DIGITS] [--min 90]

A measurement, not a test: it is not part of `make test`, and takes a few hours on 2 cores. Each
run starts afresh (mutmut would otherwise keep earlier verdicts); --keep reuses mutants/, for
`mutmut show NAME` and `mutmut run NAME` while writing a test that kills NAME. --sample 37 runs
only the mutants whose number ends in 3 or 7: a fifth of every function's mutants, the same ones
on every run, in a fraction of the time (the score of the rest is left out, not counted as caught).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
BIN = Path(sys.executable).parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
# The tests every mutant is run against: mutmut's own selection, for the hand-made ones too.
SELECTION = CONFIG["pytest_add_cli_args_test_selection"]
CHILDREN = 2

# mutmut's verdicts by exit status (mutmut/stats.py): a test failed (1), or pytest failed (3), or
# the mutant made the tests run forever (a timeout): each means the mutant was caught.
CAUGHT = {1, 3, 36, -24, 24, 152, 255}
SURVIVED, NO_TESTS = {0}, {5, 33}

# (file, what the mutant does, the text it replaces, its replacement, test files to run first):
# operators flipped, limits moved by one, a branch or a term dropped, in functions mutmut skips.
HAND_MADE = [
    ("transparency/ledger.py", "compute: draft months included without --drafts",
     "if report.is_draft and not drafts:", "if report.is_draft and drafts:", ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "compute: a maintainer accrues the line's whole value",
     "accrued.get(line.maintainer, ZERO) + line.maintainer_part", "accrued.get(line.maintainer, ZERO) + line.value",
     ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "compute: payouts add to the balance",
     "+ accrued.get(person, ZERO) - paid.get(person, ZERO)", "+ accrued.get(person, ZERO) + paid.get(person, ZERO)",
     ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "compute: a balance carried without a line or a payout is dropped",
     "involved = set(accrued) | set(paid) | {person for person, value in balances.items() if value}",
     "involved = set(accrued) | set(paid)", ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "compute: people in alphabetical order, not the agreements' order",
     "for person in sorted(involved, key=people_order.__getitem__):", "for person in sorted(involved):",
     ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "compute: the month's totals leave out its payouts",
     "tuple(month_balances), _totals(lines, payouts)))", "tuple(month_balances), _totals(lines, ())))",
     ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "_exact: the caller's decimal context applies",
     "with localcontext(EXACT):", "with localcontext():", ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "check_totals: stops at the first report without totals",
     "        if declared is None:\n            continue", "        if declared is None:\n            break",
     ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "check_totals: a wrong totals.paid is let through",
     "if declared.paid is not None and declared.paid != computed.paid:",
     "if declared.paid is not None and declared.paid == computed.paid:", ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "check_totals: the adjustments' part counts the remittances instead",
     "adjusted = sum((line.value for line in lines if line.adjusts), ZERO)",
     "adjusted = sum((line.value for line in lines if not line.adjusts), ZERO)", ["tests/test_ledger.py"]),
    ("transparency/ledger.py", "Balance.flags: a balance of exactly 0 is an advance",
     "return (ADVANCE,) if self.balance < 0 else ()", "return (ADVANCE,) if self.balance <= 0 else ()",
     ["tests/test_ledger.py"]),
    ("transparency/periods.py", "years: a year's months grouped by month of the year",
     "by_year.setdefault(month.month[:4], []).append(month)", "by_year.setdefault(month.month[5:], []).append(month)",
     ["tests/test_periods.py"]),
    ("transparency/periods.py", "compute: the trend includes draft months",
     "published = [month for month in ledger.months if not month.is_draft]\n    return Periods(",
     "published = list(ledger.months)\n    return Periods(", ["tests/test_periods.py"]),
    ("transparency/waiting.py", "waiting: draft months count",
     "published = [month for month in ledger.months if not month.is_draft]",
     "published = list(ledger.months)", ["tests/test_periods.py"]),
    ("transparency/waiting.py", "waiting: the days over everyone leave out the first person",
     "for w in result.values() for paid in w.months", "for w in list(result.values())[1:] for paid in w.months",
     ["tests/test_periods.py"]),
    ("transparency/statements.py", "statements: a payout adds to the running balance",
     "balances.get(payout.to, ZERO) - payout.value", "balances.get(payout.to, ZERO) + payout.value",
     ["tests/test_periods.py"]),
    ("transparency/statements.py", "statements: a line without a maintainer goes to no one, the check inverted",
     "if line.maintainer is not None:\n                balance", "if line.maintainer is None:\n                balance",
     ["tests/test_periods.py"]),
]


def sample_pattern(digits: str) -> str:
    """The mutants whose number ends in one of `digits`, as a pattern of mutmut's names (fnmatch)."""
    return f"transparency.*__mutmut_*[{digits}]"


def run_mutmut(sample: str | None) -> None:
    """mutmut run, afresh, two mutants at a time; with `sample`, only the mutants it names."""
    shutil.rmtree(MUTANTS, ignore_errors=True)
    started = time.monotonic()
    names = [sample_pattern(sample)] if sample else []
    process = subprocess.run([str(BIN / "mutmut"), "run", "--max-children", str(CHILDREN), *names], cwd=ROOT)
    if process.returncode:
        sys.exit(f"mutation: mutmut run failed (exit {process.returncode})")
    print(f"\nmutmut ran in {(time.monotonic() - started) / 60:.0f} min")


def mutmut_scores(sample: str | None) -> dict[str, tuple[int, int, list[str]]]:
    """Per mutated file: (caught, total, the names of the mutants not caught, with their verdict)."""
    scores = {}
    for path in CONFIG["only_mutate"]:
        meta = MUTANTS / f"{path}.meta"
        if not meta.exists():
            sys.exit(f"mutation: {meta.relative_to(ROOT)} is missing; run without --keep")
        verdicts = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if sample:
            pattern = sample_pattern(sample)
            verdicts = {name: code for name, code in verdicts.items() if fnmatch.fnmatchcase(name, pattern)}
        missed = []
        for name, code in sorted(verdicts.items()):
            if code in CAUGHT:
                continue
            missed.append(f"{name} ({'survived' if code in SURVIVED else 'no tests' if code in NO_TESTS else code})")
        scores[path] = (len(verdicts) - len(missed), len(verdicts), missed)
    return scores


def project_copy(into: Path) -> Path:
    """A copy of the project's files in `into`/project, with ../shared beside it as beside the project."""
    copy = into / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "mutants", "site", "build", ".cache", "__pycache__", ".hypothesis", ".pytest_cache",
        ".site.*", ".build.*", "out"))
    if (ROOT.parent / "shared").is_dir():
        (into / "shared").symlink_to(ROOT.parent / "shared")
    return copy


def hand_made(index: int) -> tuple[str, str]:
    """Apply one hand-made mutant to a copy of the project and run the fast tests: (verdict, detail)."""
    path, _, before, after, first = HAND_MADE[index]
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        copy = project_copy(Path(tmp))
        source = (copy / path).read_text(encoding="utf-8")
        if source.count(before) != 1:
            return "error", f"the text to replace occurs {source.count(before)} times in {path}"
        (copy / path).write_text(source.replace(before, after), encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if not key.startswith("MUTANT")}
        module = path.removesuffix(".py").replace("/", ".")
        # The copy's package, not the installed (editable) one, is what the tests import: checked.
        where = subprocess.run([sys.executable, "-c", f"import {module}; print({module}.__file__)"], cwd=copy,
                               env=env, capture_output=True, text=True)
        if Path(where.stdout.strip()) != copy / path:
            return "error", f"the tests would import {where.stdout.strip() or where.stderr}, not the mutant"
        pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
        # The tests most likely to fail first (pytest would run them in its own order), then all of them.
        process = subprocess.run([*pytest, *first, *(arg for arg in SELECTION if arg != "tests")], cwd=copy,
                                 env=env, capture_output=True, text=True)
        if process.returncode in (0, 5):
            process = subprocess.run([*pytest, *SELECTION], cwd=copy, env=env, capture_output=True, text=True)
    if process.returncode == 1:
        failed = [line for line in process.stdout.splitlines() if line.startswith("FAILED ")]
        return "killed", failed[0].removeprefix("FAILED ").split(" - ")[0] if failed else ""
    if process.returncode == 0:
        return "survived", ""
    return "error", f"pytest exited {process.returncode}: {process.stdout[-500:]}{process.stderr[-500:]}"


def run_hand_made() -> tuple[int, int, list[str]]:
    started = time.monotonic()
    with ThreadPoolExecutor(CHILDREN) as pool:
        verdicts = list(pool.map(hand_made, range(len(HAND_MADE))))
    missed = []
    print(f"\nHand-made mutants ({(time.monotonic() - started) / 60:.0f} min):")
    for (path, what, *_), (verdict, detail) in zip(HAND_MADE, verdicts):
        print(f"  {verdict:8} {path}: {what}{f'  [{detail}]' if detail else ''}")
        if verdict != "killed":
            missed.append(f"{path}: {what} ({verdict})")
    return len(HAND_MADE) - len(missed), len(HAND_MADE), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="report on mutants/ as it is, without running mutmut")
    parser.add_argument("--hand-made-only", action="store_true", help="only the hand-made mutants")
    parser.add_argument("--sample", metavar="DIGITS", help="only the mutants whose number ends in one of DIGITS")
    parser.add_argument("--min", type=float, default=90.0, help="the lowest acceptable score, in percent")
    args = parser.parse_args(argv)
    started = time.monotonic()
    scores = {}
    if args.sample is not None and not (args.sample.isdigit() and args.sample.isascii()):
        parser.error(f"--sample takes digits, such as 37; found {args.sample!r}")
    if not args.hand_made_only:
        if not args.keep:
            run_mutmut(args.sample)
        scores = mutmut_scores(args.sample)
    scores["hand-made mutants"] = run_hand_made()
    print("\nNot caught:")
    for name, (_, _, missed) in scores.items():
        for mutant in missed:
            print(f"  {mutant}")
    print(f"\n{'':28}{'caught':>7} / {'total':<6}score")
    low = []
    for name, (caught, total, _) in scores.items():
        score = 100 * caught / total if total else 100.0
        print(f"{name:28}{caught:>7} / {total:<6}{score:.1f}%")
        if score < args.min:
            low.append(name)
    print(f"(in {(time.monotonic() - started) / 60:.0f} min)")
    if low:
        print(f"mutation: under {args.min:g}%: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
