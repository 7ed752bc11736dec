#!/usr/bin/env python3
"""The command line of the transparency site: `python build.py --help`."""

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
sys.path.insert(0, str(PROJECT))

from transparency.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(project=PROJECT))
