"""Preview the site on localhost, rebuilt and reloaded in the browser on every change.

Watches agreements.yml, reports/, templates/, content/, mkdocs.yml and schema/. While the data is
invalid the previous build stays on screen, with the problems shown over it.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from ..serve import serve
from ..site import Build


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include draft reports, visibly marked")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks one)")
    parser.add_argument("-o", "--output", type=Path, default=Path("build/preview"), metavar="DIR",
                        help="where to build the preview (default: build/preview; site/ is left alone)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")


def run(args: Namespace) -> int:
    job = Build(args.data, args.project, args.output, args.output.with_name(args.output.name + "-docs"),
                drafts=args.drafts)
    try:
        serve(job, args.host, args.port, quiet=args.quiet)
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror}; expected a free port "
              "(choose another with --port)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0
