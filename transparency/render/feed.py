"""The Atom feed of published months, each entry carrying the month's record (data/manifest.json)."""

from __future__ import annotations

import re

from ..ledger import Ledger
from ..model import Dataset
from ..data import CONTRACT_VERSION
from ..verify import RECORD_FIELDS, RECORD_NS
from .markup import attribute


def atom(dataset: Dataset, ledger: Ledger, options, record: dict[str, dict]) -> bytes:
    """One entry per published month, newest first; dates come from the data, never the clock.

    Each entry carries its month's entry of the manifest as <record:...> elements, and its chain in
    the summary too, so that every copy of the feed a reader kept pins the months it lists."""
    foundation = dataset.agreements.foundation
    base = (options.site_url or "").rstrip("/")
    published = [m for m in reversed(ledger.months) if not m.is_draft and m.report.published]
    slug = re.sub(r"[^a-z0-9]+", "-", foundation.name.lower()).strip("-") or "foundation"
    feed_id = f"{base}/reports/" if base else f"urn:x-transparency:{slug}:reports"
    updated = f"{published[0].report.published}T00:00:00Z" if published else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:record="{RECORD_NS}">',
           f"  <title>{attribute(foundation.name)}: monthly transparency reports</title>",
           f"  <id>{attribute(feed_id)}</id>",
           f"  <updated>{updated}</updated>",
           f"  <author><name>{attribute(foundation.name)}</name></author>",
           f"  <record:contract>{CONTRACT_VERSION}</record:contract>"]
    if base:
        out.append(f'  <link rel="self" href="{attribute(base)}/reports/feed.xml"/>')
        out.append(f'  <link rel="alternate" href="{attribute(base)}/reports/"/>')
    for month in published:
        entry = record[month.month]
        link = f"{base}/reports/{month.month}/" if base else f"{month.month}/"
        totals = month.totals
        summary = (f"{len(month.sponsors)} sponsors remitted {totals.remitted:,.2f} {ledger.currency}; "
                   f"{totals.maintainers:,.2f} to maintainers, {totals.foundation:,.2f} to the Foundation; "
                   f"{totals.paid:,.2f} paid out. Record chain: {entry['chain']}.")
        out += ["  <entry>",
                f"    <title>Report for {month.month}</title>",
                f"    <id>{attribute(feed_id.rstrip('/') + '/' + month.month if base else feed_id + ':' + month.month)}</id>",
                f"    <updated>{month.report.published}T00:00:00Z</updated>",
                f'    <link rel="alternate" href="{attribute(link)}"/>',
                f"    <summary>{attribute(summary)}</summary>",
                *(f"    <record:{name}>{attribute(entry[name])}</record:{name}>" for name in RECORD_FIELDS),
                "  </entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
