"""The command line: exit statuses, messages without tracebacks, drafts, atomic output."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import REPORT, ROOT, SEED_ERA, run_cli, write_dataset
from transparency.cli import COMMANDS


def test_check_valid_data_exits_0(dataset):
    result = run_cli("check", "--data", str(dataset))
    assert result.code == 0, result
    assert result.out == "ok: 2 connectors, 1 sponsor, 2 people; 1 published month\n"


def test_check_invalid_data_exits_1_with_every_problem(tmp_path):
    data = write_dataset(tmp_path, reports={"2024-02.yml": REPORT.replace("amount: 40", "amount: -40")
                                            .replace("connector: acme-spot", "connector: nope")})
    result = run_cli("check", "--data", str(data))
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 2
    assert result.err.splitlines()[-1] == "2 errors in 1 file"


@pytest.mark.parametrize("args", [["--no-such-option"], ["check", "--format", "xml"], ["chekc"]])
def test_wrong_usage_exits_2(args):
    result = run_cli(*args)
    assert result.code == 2


def test_misspelt_command_gets_a_suggestion():
    assert "did you mean 'check'?" in run_cli("chekc").err


def test_check_imports_neither_the_renderer_nor_mkdocs(tmp_path):
    """`check` runs as a user runs it, in a fresh process: it loads no template engine, Markdown or MkDocs."""
    process = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "build.py"), "check",
                              "--data", str(SEED_ERA)],
                             capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=60)
    assert process.returncode == 0, process.stderr[-2000:]
    imported = {line.rpartition("|")[2].strip() for line in process.stderr.splitlines()
                if line.startswith("import time:")}
    assert "transparency.validate" in imported  # -X importtime did list the imports
    assert {name.split(".")[0] for name in imported} & {"jinja2", "markdown_it", "mkdocs"} == set()
    assert not any(name.startswith("transparency.render") for name in imported)


def test_help_lists_every_command_with_its_description():
    from transparency.cli import command
    result = run_cli("--help")
    assert result.code == 0
    shown = " ".join(result.out.split())  # argparse wraps the lines to the terminal's width
    for name in COMMANDS:
        assert f" {name} {command(name).__doc__.strip().splitlines()[0]}" in shown, name


def test_bad_data_in_a_real_process_prints_no_traceback(tmp_path):
    data = write_dataset(tmp_path, reports={"2024-02.yml": b"month: !!python/object/apply:os.system ['touch pwned']\n"})
    for command in (["check"], ["build", "-o", str(tmp_path / "site")]):
        process = subprocess.run([sys.executable, str(ROOT / "build.py"), *command, "--data", str(data)],
                                 capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=60)
        assert process.returncode == 1
        assert "Traceback" not in process.stderr
        assert "reports/2024-02.yml:1:8: error: YAML tag '!!python/object/apply:os.system'" in process.stderr
    assert not (tmp_path / "pwned").exists()


def test_github_format_prints_annotations(tmp_path):
    data = write_dataset(tmp_path, reports={"2024-02.yml": REPORT.replace("amount: 40", "amount: 4,0")})
    result = run_cli("check", "--data", str(data), "--format", "github")
    assert result.code == 1
    assert f"::error file={data}/reports/2024-02.yml,line=15,col=13::amount '4,0' is not a plain decimal" in result.out


def test_build_writes_the_contracts_data_files(dataset, tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q")
    assert result.code == 0, result
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["data/accounts.csv", "data/agreements.json", "data/chains.csv", "data/connectors.csv",
                     "data/datapackage.json", "data/manifest.json", "data/months.csv",
                     "data/payouts.csv", "data/people.csv", "data/people/ana.csv", "data/remittances.csv",
                     "data/reports/2024-02.json",
                     "data/schema/accounts.tableschema.json", "data/schema/agreements.json.schema.json",
                     "data/schema/chains.tableschema.json", "data/schema/connectors.tableschema.json",
                     "data/schema/manifest.json.schema.json", "data/schema/month.json.schema.json",
                     "data/schema/months.tableschema.json", "data/schema/payouts.tableschema.json",
                     "data/schema/people.tableschema.json", "data/schema/remittances.tableschema.json",
                     "data/schema/sponsors.tableschema.json", "data/schema/statement.tableschema.json",
                     "data/schema/summary.json.schema.json", "data/schema/terms.tableschema.json",
                     "data/schema/tokens.tableschema.json", "data/schema/year.json.schema.json",
                     "data/sponsors.csv", "data/sponsors/acme.csv", "data/summary.json", "data/terms.csv",
                     "data/tokens.csv", "data/verify.py", "data/years/2024.json"]


def test_drafts_are_published_only_when_asked_and_marked(dataset, tmp_path):
    (dataset / "reports" / "2024-03.yml").write_text(
        "month: 2024-03\nstatus: draft\nremittances:\n  - connector: acme-spot\n    amount: 10\n", encoding="utf-8")
    out = tmp_path / "site"
    assert run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q").code == 0
    assert not (out / "data/reports/2024-03.json").exists()
    assert run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q", "--drafts").code == 0
    draft = json.loads((out / "data/reports/2024-03.json").read_text(encoding="utf-8"))
    assert draft["status"] == "draft"
    assert "2024-03,draft," in (out / "data/remittances.csv").read_text(encoding="utf-8")


def test_failed_build_leaves_the_previous_site_intact(dataset, tmp_path):
    out = tmp_path / "site"
    assert run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (dataset / "reports" / "2024-02.yml").write_text(REPORT.replace("amount: 40", "amount: -40"), encoding="utf-8")
    assert run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q").code == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.staging")] == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root writes into read-only folders, and so does anyone on Windows")
def test_unwritable_output_is_a_clear_error(dataset, tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run_cli("build", "--data", str(dataset), "-o", str(parent / "site"), "--data-only", "-q")
    finally:
        parent.chmod(0o755)
    assert result.code == 1
    assert "cannot write the site" in result.err and "permission denied" in result.err


@pytest.mark.parametrize("code, reason", [(28, "the disk is full"), (30, "the file system is read-only")])
def test_write_faults_are_clear_errors_and_keep_the_previous_site(dataset, tmp_path, monkeypatch, code, reason):
    from transparency import publish
    out = tmp_path / "site"
    assert run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q").code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def failing(root, files):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(publish, "write_tree", failing)
    result = run_cli("build", "--data", str(dataset), "-o", str(out), "--data-only", "-q")
    assert result.code == 1
    assert f"cannot write the site to {out}: {reason}" in result.err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_build_says_what_it_does_unless_quiet_or_under_ci(dataset, tmp_path, monkeypatch):
    args = ("build", "--data", str(dataset), "-o", str(tmp_path / "site"), "--data-only")
    monkeypatch.delenv("CI", raising=False)
    told = run_cli(*args).err
    assert re.search(r"^validate +\d+ ms \(2 connectors, 1 report\)$", told, re.M)
    assert re.search(r"^built .*site in \d+\.\d\d s$", told, re.M)
    monkeypatch.setenv("CI", "true")
    assert run_cli(*args).err == ""
    assert "validate" in run_cli(*args, "-v").err


def test_the_progress_bar_draws_only_on_a_terminal():
    from transparency.console import progress_bar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert progress_bar("rendering", io.StringIO()) is None
    screen = Terminal()
    show = progress_bar("rendering", screen)
    for done in range(1, 51):
        show(done, 50)
    assert "rendering [###############...............] 25/50" in screen.getvalue()
    assert screen.getvalue().endswith("50/50\r\033[K")
