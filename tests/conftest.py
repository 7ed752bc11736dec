"""Shared helpers: small data sets written to temporary folders, and the command line run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import textwrap
from pathlib import Path
from typing import NoReturn

import pytest

from transparency.cli import main

ROOT = Path(__file__).resolve().parent.parent
# ../shared is beside the project, also when mutmut runs the tests from its copy of it (mutants/, inside it).
SHARED = (ROOT.parent if ROOT.name == "mutants" else ROOT).parent / "shared"
CONFORMANCE = SHARED / "conformance"
# The frozen seed-era data: what tests that count or name connectors, months or pages build from.
SEED_ERA = Path(__file__).resolve().parent / "fixtures" / "seed-era"
# The data the tests marked `repository` check: the repository's own, or REPOSITORY_DATA's folder.
REPOSITORY = Path(os.environ.get("REPOSITORY_DATA") or ROOT).resolve()

AGREEMENTS = textwrap.dedent("""\
    foundation:
      name: Test Foundation
      currency: USD
      maintainer_share: 50%
    people:
      ana:
        name: Ana
        github: ana-gh
      ben:
        name: Ben
    sponsors:
      acme:
        name: Acme Exchange
    connectors:
      acme-spot:
        name: Acme Spot
        sponsor: acme
        developer: ana
        terms:
          - since: 2024-01
            type: fee share
            amount: 30%
            maintainer: ana
      acme-perp:
        name: Acme Perp
        sponsor: acme
        developer: ben
        terms:
          - since: 2024-01
            type: monthly fee
            amount: 750 USDT
        until: 2024-06
    """)

REPORT = textwrap.dedent("""\
    month: 2024-02
    status: published
    published: 2024-03-05
    rates:
      USDT: 1.0002
    remittances:
      - connector: acme-spot
        amount: 100.00
        user_fees: 333.33
      - connector: acme-perp
        amount: 750
        currency: USDT
    payouts:
      - to: ana
        amount: 40
        date: 2024-03-06
    """)


def write_dataset(folder: Path, agreements: str = AGREEMENTS, reports: dict[str, str | bytes] | None = None) -> Path:
    """Write agreements.yml and reports/NAME (text or bytes) under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agreements.yml").write_text(agreements, encoding="utf-8")
    (folder / "reports").mkdir(exist_ok=True)
    for name, content in (reports if reports is not None else {"2024-02.yml": REPORT}).items():
        path = folder / "reports" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_cli(*args: str) -> Result:
    """Run `python build.py ARGS` in this process, capturing its output and exit status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args), project=ROOT)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def no_license_warning():
    """Leave out the warning of a data set that declares no licence of its data (foundation.license is optional).

    The test data sets declare none, and each check of one would begin with the warning that others may not
    reuse the data: the tests of other rules leave that one warning out (see _no_license_warning)."""
    from transparency import validate
    checked = validate._AgreementsChecker._license

    def declared_only(self, node, foundation):
        return None if node is None else checked(self, node, foundation)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validate._AgreementsChecker, "_license", declared_only)
        yield


@pytest.fixture(autouse=True)
def _no_license_warning(request):
    """Every test runs without the warning of a data set without a licence, but those that request the
    `license_warning` fixture (test_warnings.py)."""
    if "license_warning" in request.fixturenames:
        yield
        return
    with no_license_warning():
        yield


@pytest.fixture
def license_warning() -> None:
    """Keep the warning of a data set without a licence (see no_license_warning)."""


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A small valid data set in a temporary folder."""
    return write_dataset(tmp_path / "data")


def load_ok(folder: Path, agreements: str = AGREEMENTS, reports: dict[str, str] | None = None):
    """The validated Dataset of a data set that must be valid."""
    from transparency.pipeline import load_dataset
    dataset, diagnostics = load_dataset(write_dataset(folder, agreements, reports))
    assert dataset is not None, "\n".join(map(str, diagnostics))
    return dataset


def computed(dataset):
    """The ledger of a Dataset and its periods (years, waiting, statements), as the build computes them."""
    from transparency.ledger import compute
    from transparency.periods import compute as compute_periods
    ledger = compute(dataset)
    return ledger, compute_periods(dataset, ledger)


def skip_unless_required(reason: str, variable: str) -> NoReturn:
    """Skip a test whose tool is missing here, or fail it where `variable` is set (.ci/run and the
    pull-request workflow set it: there the tool must run)."""
    if os.environ.get(variable, "") not in ("", "0"):
        pytest.fail(f"{reason}; {variable} is set, so this fails", pytrace=False)
    pytest.skip(reason)


EPOCH = "1795000000"  # 2026-11-18: the build month of the site fixtures


def build_site(data: Path, out: Path, *extra: str, epoch: str = EPOCH) -> Path:
    """Build the HTML site of `data` into `out` in a real process, as `make site` does."""
    import subprocess
    import sys
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    out.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.run([sys.executable, str(ROOT / "build.py"), "--data", str(data), "-o", str(out),
                              "--markdown", str(out.parent / f"{out.name}-docs"), "-q", *extra],
                             capture_output=True, text=True, env=env, cwd=out.parent, timeout=300)
    assert process.returncode == 0, process.stderr
    return out


def copy_data(source: Path, folder: Path) -> Path:
    """agreements.yml and reports/*.yml of the data folder `source`, copied into `folder`."""
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "agreements.yml", folder / "agreements.yml")
    for report in sorted((source / "reports").glob("*.yml")):
        shutil.copy(report, folder / "reports" / report.name)
    return folder


def copy_project(to: Path, data: Path = SEED_ERA) -> Path:
    """A copy of the project's sources with the data of `data` (by default the frozen seed-era data)."""
    shutil.copytree(ROOT, to, ignore=shutil.ignore_patterns(".venv", "site", "build", ".git", "tests", ".cache",
                                                            "__pycache__", ".site.*", "agreements.yml", "reports"))
    return copy_data(data, to)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site of the frozen seed-era data (tests/fixtures/seed-era), built once."""
    return build_site(SEED_ERA, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """A site whose data puts hostile strings in every field that reaches a page."""
    return build_site(Path(__file__).parent / "golden" / "hostile" / "input",
                      tmp_path_factory.mktemp("hostile") / "site")


JANUARY = textwrap.dedent("""\
    month: 2024-01
    status: published
    published: 2024-02-05
    rates:
      USDT: 1.0001
    remittances:
      - connector: acme-spot
        amount: 80.00
      - connector: acme-perp
        amount: 750
        currency: USDT
    """)

MARCH_DRAFT = textwrap.dedent("""\
    month: 2024-03
    status: draft
    rates:
      USDT: 1.0003
    remittances:
      - connector: acme-spot
        amount: 120.00
      - connector: acme-perp
        amount: 750
        currency: USDT
    """)


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test author, with no user or system configuration."""
    import subprocess
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_DATE="2024-04-01T00:00:00Z", GIT_COMMITTER_DATE="2024-04-01T00:00:00Z")
    process = subprocess.run(["git", "-c", "user.name=Treasurer", "-c", "user.email=treasurer@example.org",
                              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-C", str(repo), *args],
                             capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert process.returncode == 0, process.stderr
    return process.stdout


def git_repo(folder: Path, reports: dict[str, str] | None = None, agreements: str = AGREEMENTS) -> Path:
    """A git repository whose branch `main` holds the data set: by default 2024-01 and 2024-02
    published, 2024-03 a draft. Returns the data folder (the repository's top)."""
    reports = reports if reports is not None else {"2024-01.yml": JANUARY, "2024-02.yml": REPORT,
                                                   "2024-03.yml": MARCH_DRAFT}
    write_dataset(folder, agreements, reports)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "The data as published")
    return folder


# Fixtures that build a site or fetch and run an outside tool: the tests using them are slow.
SLOW_FIXTURES = {"site", "hostile_site", "actionlint"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# The honest site of the verifier's tests: three published months, built once a session.

MARCH = textwrap.dedent("""\
    month: 2024-03
    status: published
    published: 2024-04-05
    rates:
      USDT: 1.0003
    remittances:
      - connector: acme-spot
        amount: 120.00
      - connector: acme-perp
        amount: 750
        currency: USDT
    payouts:
      - to: ana
        amount: 200
        date: 2024-04-06
        reference: https://explorer.example/tx/0xabc
    adjustments:
      - month: 2024-01
        connector: acme-spot
        amount: -10.00
        reason: Acme restated January
    """)
REPORTS = {"2024-01.yml": JANUARY, "2024-02.yml": REPORT, "2024-03.yml": MARCH}


def build_data(data: Path, out: Path) -> Path:
    """The data files of `data`, built as `python build.py --data-only` builds them."""
    result = run_cli("build", "--data", str(data), "-o", str(out), "--data-only", "-q")
    assert result.code == 0, result
    return out


@pytest.fixture(scope="session")
def honest(tmp_path_factory) -> Path:
    """A site of three published months (an adjustment, an advance, two currencies), as built."""
    tmp = tmp_path_factory.mktemp("honest")
    return build_data(write_dataset(tmp / "data", AGREEMENTS, REPORTS), tmp / "site")


@pytest.fixture
def copy(honest, tmp_path) -> Path:
    """A copy of the honest site, to tamper with (not named `site`: that fixture builds a whole site, and is slow)."""
    return Path(shutil.copytree(honest, tmp_path / "site"))
