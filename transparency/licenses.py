"""The licences the published data may be released under: SPDX identifiers of open licences.

`foundation.license` in agreements.yml names one (data contract 1.2, "The data's licence"). The list
holds the licences made for data, and the common open licences of code that a repository's data is
sometimes released under; a licence that forbids commercial use or changes (CC-BY-NC, CC-BY-ND) is not
open, and is refused. Each is published with its page at spdx.org's licence list.
"""

from __future__ import annotations

import difflib
import re

# SPDX identifier: SPDX's full name of the licence.
LICENSES = {
    # Made for data, or for any work.
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC-BY-3.0": "Creative Commons Attribution 3.0 Unported",
    "CC-BY-SA-3.0": "Creative Commons Attribution Share Alike 3.0 Unported",
    "PDDL-1.0": "Open Data Commons Public Domain Dedication & License 1.0",
    "ODC-By-1.0": "Open Data Commons Attribution License v1.0",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "CDLA-Permissive-2.0": "Community Data License Agreement Permissive 2.0",
    "CDLA-Sharing-1.0": "Community Data License Agreement Sharing 1.0",
    "OGL-UK-3.0": "Open Government Licence v3.0",
    "etalab-2.0": "Etalab Open License 2.0",
    "DL-DE-BY-2.0": "Data licence Germany - attribution - version 2.0",
    # Open licences of code, for a Foundation that releases everything under its code's licence.
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-2-Clause": 'BSD 2-Clause "Simplified" License',
    "BSD-3-Clause": 'BSD 3-Clause "New" or "Revised" License',
    "Unlicense": "The Unlicense",
}

# Parts of an identifier that mark a licence as not open: no commercial use, no derivatives.
_NOT_OPEN = ("-NC", "-ND")


def url(identifier: str) -> str:
    """The licence's page at spdx.org's licence list."""
    return f"https://spdx.org/licenses/{identifier}.html"


def title(identifier: str) -> str:
    return LICENSES[identifier]


def problem(identifier: str) -> str | None:
    """Why `identifier` cannot be the data's licence, with what was expected; None when it can."""
    if identifier in LICENSES:
        return None
    by_case = {known.lower(): known for known in LICENSES}
    if identifier.lower() in by_case:
        return f"is not written as SPDX writes it; did you mean '{by_case[identifier.lower()]}'?"
    if any(part in identifier.upper() for part in _NOT_OPEN):
        return ("forbids commercial use or changes, so the data would not be open; expected an open licence, "
                "like CC-BY-4.0 (reuse with attribution) or CC0-1.0 (no conditions)")
    prefix = identifier.lower() + "-"  # a licence without its version: the newest, listed first
    versions = [known for known in LICENSES
                if known.lower().startswith(prefix) and re.fullmatch(r"[0-9.]+", known[len(prefix):])]
    close = versions[:1] or difflib.get_close_matches(identifier, list(LICENSES), n=1, cutoff=0.8)
    if close:
        return f"is not the SPDX identifier of an open licence this site knows; did you mean '{close[0]}'?"
    return "is not the SPDX identifier of an open licence this site knows; expected one of: " + ", ".join(LICENSES)
