"""The conda environments run their rules: every stage of the bundled example, run the way
``snakemake --sdm conda`` runs it (the environment's python on the checkout), in a stand-in for each
environment -- a venv made from the environment file's pins (conda cannot be reached here; the pins
name conda-forge/bioconda packages at versions PyPI also has).

The jobs and their exact command lines come from Snakemake itself (a dry run with ``-p``), so the
test follows the rules as they are; only the interpreter prefix is swapped per rule for its
environment's.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_snakemake

ENVS = REPO / "workflow" / "envs"
CONDA_TO_PIP = {"matplotlib-base": "matplotlib", "python-fastjsonschema": "fastjsonschema"}
NOT_PIP = {"python", "pip"}
CACHE = Path(os.environ.get("ROS1TRACE_ENV_CACHE", Path.home() / ".cache" / "ros1trace-test-envs"))


def pip_pins(env_file: Path) -> list[str]:
    """The env file's conda pins as pip requirements (``name=1.2`` -> ``name==1.2``)."""
    pins = []
    for dependency in yaml.safe_load(env_file.read_text())["dependencies"]:
        assert isinstance(dependency, str), f"{env_file.name}: only conda pins, no pip section: {dependency}"
        name, _, version = dependency.partition("=")
        assert version, f"{env_file.name}: {name} is not pinned"
        if name not in NOT_PIP:
            pins.append(f"{CONDA_TO_PIP.get(name, name)}=={version}")
    return pins


def stand_in(env_file: Path) -> Path:
    """A venv with exactly the env file's pins (and what they need), cached by the file's content."""
    digest = hashlib.sha256(env_file.read_bytes()).hexdigest()[:12]
    venv = CACHE / f"{env_file.stem}-{digest}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               *pip_pins(env_file)], capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"{env_file.name}: its pins do not install: {done.stderr[-1500:]}")
        (venv / ".complete").touch()
    return python


def rule_envs() -> dict[str, Path]:
    """rule name -> its conda env file, read from the rule files."""
    found = {}
    for path in (REPO / "workflow" / "rules").glob("*.smk"):
        for rule, body in re.findall(r"^\s*rule (\w+):\n(.*?)(?=^\s*rule \w+:|\Z)", path.read_text(), re.M | re.S):
            match = re.search(r'conda:\s*\n\s*"([^"]+)"', body)
            if match:
                found[rule] = (path.parent / match[1]).resolve()
    return found


def planned_commands(outdir: Path, configfile: str | None) -> list[tuple[str, str]]:
    """(rule, shell command) of every job, in the order Snakemake would run them."""
    config = ["--configfile", str(REPO / configfile)] if configfile else []
    result = run_snakemake("-n", "-p", "--forceall", *config, "--config", f"outdir={outdir}")
    text = result.stdout + result.stderr
    found = re.findall(r"^(?:local)?rule (\w+):\n(?:.*\n)*?Shell command: (.*)$", text, re.M)
    return [(rule, command) for rule, command in found if command != "None"]  # 'all' runs nothing


def test_every_env_file_pins_only_conda_packages_without_installing_the_workflow():
    for env_file in ENVS.glob("*.yaml"):
        assert pip_pins(env_file), env_file.name
        assert "pip:" not in env_file.read_text(), f"{env_file.name}: the package runs from the checkout"


@pytest.mark.parametrize("configfile, rules", [
    (None, {"manifest", "variants", "fusions", "emergence", "tables", "stats", "figures", "report", "patient_pages",
            "power"}),
    ("resources/paper/config.yaml", {"audit", "survival"}),  # the rules only the paper example has
])
def test_every_rule_runs_in_its_environment(tmp_path, configfile, rules):
    envs = rule_envs()
    outdir = tmp_path / "results"
    commands = planned_commands(outdir, configfile)
    assert {rule for rule, _ in commands} >= rules
    prefix = f"{shlex.quote(sys.executable)} -m ros1trace.cli"
    for rule, command in commands:
        assert command.startswith(prefix), (rule, command[:120])
        python = stand_in(envs[rule])
        for folder in ("logs", "benchmarks"):
            (outdir / folder / rule).mkdir(parents=True, exist_ok=True)
        for path in re.findall(r"--(?:out|table|log|emergence|patients|variants|fusions) (\S+)", command):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        shell = f"PYTHONPATH={shlex.quote(str(REPO))} {shlex.quote(str(python))} -m ros1trace.cli" + command[len(prefix):]
        done = subprocess.run(["bash", "-c", shell], cwd=REPO, capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
        assert done.returncode == 0, f"rule {rule} in {envs[rule].name}:\n{done.stderr[-3000:]}"
    assert (outdir / "report.html").exists() and (outdir / "patients.tsv").exists()
    if configfile:
        assert (outdir / "stats" / "survival.tsv").exists() and (outdir / "audit").is_dir()
