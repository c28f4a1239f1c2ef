"""data/generate_sample.py simulates the sample's figures from its hand-edited content.

The committed figure sheets must be exactly what the generator makes of the committed content
files, and a mistake in a hand-edited file must be reported by file, table and key.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SAMPLE = DATA / "sample"
SIMULATED = {"observations.csv", "targets.csv", "measure_observations.csv"}


@pytest.fixture
def data_module(monkeypatch):
    """Import a module of data/ (a folder of scripts, not a package)."""
    monkeypatch.syspath_prepend(str(DATA))

    def load(name: str) -> ModuleType:
        return importlib.import_module(name)

    return load


def test_generator_reproduces_the_committed_figures_byte_for_byte(tmp_path):
    done = subprocess.run(
        [sys.executable, str(DATA / "generate_sample.py"), "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in tmp_path.iterdir()} == SIMULATED  # the rest is edited by hand
    for name in sorted(SIMULATED):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"{name} is stale: run `make sample` and commit it")


def test_readme_says_which_files_are_edited_by_hand():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "simulation.toml" in text
    for name in SIMULATED:
        assert name in text


def test_only_one_module_of_data_imports_the_package():
    # the workbook's columns are read from the package, never copied into data/
    importers = sorted(p.name for p in DATA.glob("*.py")
                       if re.search(r"^(from|import) rba\b", p.read_text(encoding="utf-8"), re.M))
    assert importers == ["sample_sheets.py"]


def simulation_text() -> str:
    return (DATA / "simulation.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("[indicator.kinder_ready]\n", "[indicator.kinder_ready]\nshcok = 1\n",
     "[indicator.kinder_ready]: unknown key 'shcok'; the keys are sd, path, levels"),
    ("[indicator.kinder_ready]", "[indicator.kinder_redy]",
     "[indicator.kinder_redy]: indicators.csv has no such code"),
    ("summer_served = {", "summer_srved = {",
     "[measure] summer_srved: measures.csv has no such code"),
    ("path = [57, 63]\n", "",
     "[indicator.kinder_ready]: give either path = [first, last] or levels = [...]"),
    ("target.final = 5\n", "",
     "[indicator.kinder_ready] target: 'final' is missing"),
    ("seed = 20130219", "sed = 20130219", "unknown key 'sed'"),
    ('group = "Latino"', 'group = "Latino"\nchange_by = 2',
     "[indicator.read_3rd] equity_target: unknown key 'change_by'"),
])
def test_a_mistake_in_simulation_toml_is_named(data_module, tmp_path, old, new, expected):
    sample_model = data_module("sample_model")
    sample_sheets = data_module("sample_sheets")
    indicators = {r["code"] for r in sample_sheets.read_sheet(SAMPLE, "indicators")}
    measures = {r["code"] for r in sample_sheets.read_sheet(SAMPLE, "measures")}
    text = simulation_text()
    assert old in text
    path = tmp_path / "simulation.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        sample_model.load_simulation(indicators, measures, path)
    assert str(raised.value).startswith(str(path))
    assert expected in str(raised.value)


def test_a_toml_syntax_error_names_the_line(data_module, tmp_path):
    sample_model = data_module("sample_model")
    text = simulation_text()
    line = text[:text.index("sd = 0.8\n")].count("\n") + 1
    path = tmp_path / "simulation.toml"
    path.write_text(text.replace("sd = 0.8\n", "sd = 0.8 0.9\n", 1), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}: .*at line {line}\b"):
        sample_model.load_simulation(set(), set(), path)


def test_the_committed_simulation_loads(data_module):
    sample_model = data_module("sample_model")
    sample_sheets = data_module("sample_sheets")
    indicators = sample_sheets.read_sheet(SAMPLE, "indicators")
    measures = sample_sheets.read_sheet(SAMPLE, "measures")
    sim = sample_model.load_simulation({r["code"] for r in indicators},
                                       {r["code"] for r in measures})
    measured = {r["code"] for r in indicators if r["kind"] != "development"}
    assert set(sim.indicators) == measured
    assert set(sim.measures) == {r["code"] for r in measures}
    assert sim.periods["quarter"][:2] == ["2018-Q1", "2018-Q2"]
    assert sim.periods["school_year"][-1] == "2025-26"


def test_a_wrong_header_in_a_hand_edited_sheet_is_named(data_module, tmp_path):
    sample_sheets = data_module("sample_sheets")
    text = (SAMPLE / "measures.csv").read_text(encoding="utf-8")
    (tmp_path / "measures.csv").write_text(text.replace("name_es", "name_sp", 1),
                                           encoding="utf-8")
    with pytest.raises(ValueError, match=r"measures\.csv: the header row should be "
                                         r"code,program,name,name_es,.*; found .*name_sp"):
        sample_sheets.read_sheet(tmp_path, "measures")
