"""The benchmark's measurement (bench/run.py): whole processes timed from outside, in alternating pairs."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402

unix = pytest.mark.skipif(sys.platform == "win32", reason="the benchmark times processes with os.wait4")


@unix
def test_a_run_is_a_whole_process_with_its_own_peak_memory(tmp_path):
    small = bench.run([sys.executable, "-c", "pass"], tmp_path)
    large = bench.run([sys.executable, "-c", "x = bytearray(200 * 2**20); x[::4096] = b'1' * len(x[::4096])"],
                      tmp_path)
    failed = bench.run([sys.executable, "-c", "raise SystemExit(3)"], tmp_path)
    assert small.code == large.code == 0 and failed.code == 3
    assert small.seconds > 0 and small.cpu > 0
    assert small.peak_kib < 100 * 1024 < 200 * 1024 <= large.peak_kib  # not the benchmark's own memory


@unix
def test_ours_and_the_floor_alternate_after_a_first_run_of_each(tmp_path):
    order = tmp_path / "order"
    ours = [sys.executable, "-c", f"open({str(order)!r}, 'a').write('o')"]
    floor = [sys.executable, "-c", f"open({str(order)!r}, 'a').write('f')"]
    pair = bench.paired(ours, floor, tmp_path, runs=4)
    assert order.read_text() == "of" + "of" + "fo" + "of" + "fo"
    assert len(pair.ours) == len(pair.floor) == 4
    figures = pair.figures()
    assert figures["ratio"]["low"] <= figures["ratio"]["median"] <= figures["ratio"]["high"]
    assert figures["ours"]["median"] > 0 and figures["cpu_ratio"]["median"] > 0


@unix
def test_a_failed_command_stops_the_benchmark(tmp_path):
    with pytest.raises(SystemExit, match="exit 3"):
        bench.paired([sys.executable, "-c", "raise SystemExit(3)"], [sys.executable, "-c", "pass"], tmp_path, runs=1)


def test_mkdocs_alone_builds_with_the_projects_settings(tmp_path):
    from mkdocs.config import load_config
    command = bench.mkdocs_alone(tmp_path / "docs", tmp_path / "site", tmp_path / "mkdocs.yml")
    (tmp_path / "docs").mkdir()
    alone = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    ours = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(tmp_path / "docs"))
    assert command[1:4] == ["-m", "mkdocs", "build"]
    assert alone.docs_dir == str(tmp_path / "docs") and alone.site_dir == str(tmp_path / "site")
    assert alone.theme.custom_dir == ours.theme.custom_dir == str(ROOT / "templates" / "theme")
    for setting in ("nav", "markdown_extensions", "mdx_configs", "extra_css", "extra_javascript", "validation",
                    "use_directory_urls"):
        assert alone[setting] == ours[setting], setting
    assert list(alone.plugins) == list(ours.plugins) and dict(alone.theme) == dict(ours.theme)
