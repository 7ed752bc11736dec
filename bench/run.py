#!/usr/bin/env python3
"""Benchmark: `check` against the floor of merely parsing the same files with yaml.CSafeLoader.

    python bench/run.py [--connectors 300] [--months 60] [--repeat 5]

Each figure is the best of --repeat runs, in a fresh process, so that imports and caches
count the same for both sides.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import generate  # noqa: E402

PARSE_FLOOR = """
import sys, time, yaml
from pathlib import Path
start = time.perf_counter()
folder = Path(sys.argv[1])
for path in [folder / "agreements.yml", *sorted((folder / "reports").glob("*.yml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

CHECK = """
import sys, time
sys.path.insert(0, sys.argv[2])
from transparency.pipeline import load_dataset
from pathlib import Path
start = time.perf_counter()
dataset, diagnostics = load_dataset(Path(sys.argv[1]))
assert dataset is not None, diagnostics[:3]
print(time.perf_counter() - start)
"""


def best(script: str, *args: str, repeat: int) -> float:
    """The best wall time that a fresh process reports for its own work."""
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


def command_time(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connectors", type=int, default=300)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        data = generate(Path(tmp) / "data", args.connectors, args.months)
        files = [data / "agreements.yml", *sorted((data / "reports").glob("*.yml"))]
        size = sum(f.stat().st_size for f in files)
        remittances = args.connectors * args.months
        print(f"data set: {args.connectors} connectors x {args.months} months = {remittances} remittances, "
              f"{len(files)} files, {size / 1e6:.1f} MB")
        floor = best(PARSE_FLOOR, str(data), repeat=args.repeat)
        check = best(CHECK, str(data), str(ROOT), repeat=args.repeat)
        whole = command_time([sys.executable, str(ROOT / "build.py"), "check", "--data", str(data)], args.repeat)
        print(f"{'parse floor (yaml.CSafeLoader)':<40} {floor:8.3f} s")
        print(f"{'check (load, validate, totals)':<40} {check:8.3f} s   {check / floor:5.2f}x the floor")
        print(f"{'python build.py check, whole process':<40} {whole:8.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
