"""Check a published site from its published files alone: the record's hashes and chain, every figure.

TARGET is a site folder (e.g. site) or the http(s) address of a published site. Runs the very
module the build publishes as data/verify.py (transparency/verify.py, standard library only).
With --since MANIFEST (a copy of data/manifest.json or of the Atom feed kept from earlier), also
refuses any month it lists that changed or vanished. Exit status 0 when everything holds, 1 on a
discrepancy, 2 when TARGET cannot be read or on wrong usage. (--data is not used.)
"""

from __future__ import annotations

from argparse import ArgumentParser, Namespace

from .. import verify


def add_arguments(parser: ArgumentParser) -> None:
    verify.add_arguments(parser)


def run(args: Namespace) -> int:
    return verify.run(args)
