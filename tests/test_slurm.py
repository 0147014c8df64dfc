"""The workflow on a real single-node SLURM cluster, through Snakemake's SLURM executor plugin.

scripts/slurm_up.sh starts munged, slurmctld and slurmd on this machine (root, Debian, no systemd);
the bundled example then runs with `--profile workflow/profiles/slurm`, and its tables must be
byte-identical to a local run.  A tiny separate workflow (tests/slurm_failing) checks that a failing
job is reported as failed and retried with more memory.  The cluster is stopped by
scripts/slurm_down.sh (by PID) whatever happens, and the test checks every daemon is gone.
Without a slurmdbd there is no `sacct`: the runs use `--slurm-status-command squeue`.
"""

from __future__ import annotations

import filecmp
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_snakemake

pytestmark = pytest.mark.slurm

UP, DOWN = REPO / "scripts" / "slurm_up.sh", REPO / "scripts" / "slurm_down.sh"
STATE = Path(os.environ.get("SLURM_CI_DIR", "/tmp/ros1trace-slurm"))
PROFILE = REPO / "workflow" / "profiles" / "slurm"
FAILING = Path(__file__).parent / "slurm_failing" / "Snakefile"
# CI-only settings on top of the profile: no slurmdbd here (squeue keeps finished jobs for
# MinJobAge=300 s), and a job of this workflow takes 6-8 s, so the first status check comes after
# 10 s (the plugin adds 10 s after each check that finds nothing finished; its default start is 40 s).
CI_FLAGS = ("--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "10")
SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+) \(log: \S*/rule_(\w+)/")


def contract_files(outdir: Path) -> list[Path]:
    """The tables a SLURM run must reproduce byte for byte (logs, benchmarks, report excluded)."""
    names = ["patients.tsv", "variants.tsv", "fusions.tsv", "emergence.tsv", "variants.maf"]
    return ([outdir / name for name in names] + sorted((outdir / "stats").glob("*.tsv"))
            + sorted((outdir / "annotated_vcf").rglob("*.vcf.gz")))


def why_not_here() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root: starts munged, slurmctld and slurmd"
    if not Path("/etc/debian_version").exists():
        return "needs Debian: slurm-wlm and munge come from apt"
    if not shutil.which("slurmctld") and not shutil.which("apt-get"):
        return "slurm-wlm is not installed and apt-get is not available"
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        return "the SLURM executor plugin is missing: pip install '.[slurm]'"
    return None


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def read_if_exists(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def daemon_pids() -> list[int]:
    """PIDs of the daemons slurm_up.sh started (it lists their pid files in $STATE/started)."""
    files = [Path(p) for p in read_if_exists(STATE / "started").split()]
    return [int(text) for text in map(read_if_exists, files) if text.strip().isdigit()]


@pytest.fixture(scope="module")
def cluster():
    reason = why_not_here()
    if reason:
        pytest.skip(reason)
    pids: set[int] = set()
    try:
        up = subprocess.run(["bash", str(UP)], capture_output=True, text=True, timeout=900)
        pids.update(daemon_pids())
        if up.returncode in (3, 4):  # SLURM cannot be installed here / a real cluster's config
            pytest.skip(f"no single-node SLURM here: {up.stderr.strip()}")
        assert up.returncode == 0, f"slurm_up.sh failed:\n{up.stdout}\n{up.stderr}"
        yield
    finally:
        pids.update(daemon_pids())
        down = subprocess.run(["bash", str(DOWN)], capture_output=True, text=True, timeout=120)
        left = [pid for pid in pids if alive(pid)]
        assert down.returncode == 0 and not left, f"daemons left running: {left}\n{down.stderr}"
        assert "ros1trace" not in read_if_exists(Path("/etc/slurm/slurm.conf")), "slurm.conf left behind"


def start_on_slurm(*args: str, cwd: Path, log: Path) -> subprocess.Popen:
    """Start snakemake with the slurm profile, output to `log`; `timeout -k`, since the plugin may
    ignore a plain SIGTERM."""
    command = ["timeout", "-k", "30", "600", sys.executable, "-m", "snakemake",
               "--profile", str(PROFILE), *CI_FLAGS, *args]
    with open(log, "w") as out:
        return subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory):
    """Both SLURM runs at once (the example, and the failing workflow), the local example run
    meanwhile; each run's (return code, output) and folder."""
    top = tmp_path_factory.mktemp("runs")
    failing, need = top / "failing", fallback_resources(1)["mem_mb"] + 100
    failing.mkdir()
    started = {
        "example": start_on_slurm("--snakefile", str(REPO / "Snakefile"), "--config",
                                  f"outdir={top / 'slurm'}", cwd=REPO, log=top / "example.log"),
        # needs_memory needs more than attempt 1 gets (its address space is capped at the request)
        "failing": start_on_slurm("--snakefile", str(FAILING), "--directory", str(failing), "--config",
                                  f"need_mb={need}", cwd=failing, log=top / "failing.log"),
    }
    try:
        run_snakemake("--config", f"outdir={top / 'local'}")
    finally:
        finished = {name: (run.wait(), (top / f"{name}.log").read_text()) for name, run in started.items()}
    return top, finished


def slurm_jobs(output: str) -> dict[str, list[dict]]:
    """Per rule, the SLURM jobs the run submitted, in order, with what SLURM recorded for each
    (finished jobs stay in squeue for MinJobAge = 300 s)."""
    submitted = SUBMITTED.findall(output)
    ids = ",".join(job_id for job_id, _ in submitted)
    listing = subprocess.run(["squeue", "--states=all", "-h", "-j", ids, "-o", "%i|%m|%l|%T"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    recorded = {}
    for line in listing.split():
        job_id, memory, limit, state = line.split("|")
        recorded[job_id] = {"id": job_id, "mem_mb": megabytes(memory), "runtime": minutes(limit),
                            "state": state}
    jobs: dict[str, list[dict]] = {}
    for job_id, rule in submitted:
        jobs.setdefault(rule, []).append(recorded[job_id])
    return jobs


def megabytes(memory: str) -> int:
    return int(float(memory[:-1]) * {"M": 1, "G": 1024}[memory[-1]])


def minutes(limit: str) -> int:
    days, _, clock = limit.rpartition("-")
    h, m, s = ([0, 0] + [int(x) for x in clock.split(":")])[-3:]
    return int(days or 0) * 1440 + h * 60 + m + (s > 0)


def fallback_resources(attempt: int) -> dict[str, int]:
    """The slurm profile's default-resources on an attempt (rules that declare none get these)."""
    profile = yaml.safe_load((PROFILE / "config.yaml").read_text())
    return {k: eval(str(v), {"__builtins__": {}, "attempt": attempt})
            for k, v in profile["default-resources"].items() if k in ("mem_mb", "runtime")}


RULE_RESOURCE = re.compile(r"(mem_mb|runtime)=lambda wildcards, attempt: (\d+) \* attempt")


def rule_resources() -> dict[str, dict[str, int]]:
    """Each rule's base mem_mb/runtime, read from workflow/rules (they are multiplied by the attempt)."""
    found = {}
    for path in (REPO / "workflow" / "rules").glob("*.smk"):
        for block in re.split(r"(?m)^ *rule ", path.read_text())[1:]:  # rules inside an ``if`` are indented
            rule = block.split(":", 1)[0]
            found[rule] = {key: int(value) for key, value in RULE_RESOURCE.findall(block)}
    return found


def declared_resources(output: str) -> dict[str, dict[str, int]]:
    """mem_mb/runtime of each rule as a dry run prints them."""
    found = {}
    for rule, resources in re.findall(r"(?m)^rule (\w+):\n(?:    .*\n)*?    resources: (.*)$", output):
        values = dict(item.split("=", 1) for item in resources.split(", "))
        found[rule] = {k: int(values[k]) for k in ("mem_mb", "runtime") if k in values}
    return found


def test_every_rule_asks_for_its_base_resources_times_the_attempt(tmp_path):
    plain = run_snakemake("-n", "--profile", str(PROFILE), "--config", f"outdir={tmp_path}")
    declared = declared_resources(plain.stdout + plain.stderr)
    declared.pop("all", None)
    assert set(declared) >= {"manifest", "variants", "fusions", "emergence", "tables", "stats", "figures"}
    bases = rule_resources()
    for rule, values in declared.items():  # attempt 1 asks for the base; the rules scale it by attempt
        assert set(bases[rule]) == {"mem_mb", "runtime"}, f"{rule}: resources do not scale with the attempt"
        assert values == bases[rule], rule


def test_example_on_slurm_is_identical_to_a_local_run(runs):
    top, finished = runs
    local, on_slurm = top / "local", top / "slurm"
    returncode, output = finished["example"]
    assert returncode == 0, output[-6000:]

    jobs = slurm_jobs(output)
    assert set(jobs) == {"manifest", "variants", "fusions", "emergence", "tables", "stats", "power", "figures",
                         "patient_pages", "report"}
    requests = rule_resources()
    for rule, submitted in jobs.items():
        for job in submitted:  # SLURM got the rules' requests, and every job succeeded first time
            assert {k: job[k] for k in ("mem_mb", "runtime")} == requests[rule], (rule, job)
            assert job["state"] == "COMPLETED", (rule, job)

    expected, got = contract_files(local), contract_files(on_slurm)
    assert [p.relative_to(local) for p in expected] == [p.relative_to(on_slurm) for p in got]
    assert len(expected) >= 9
    for a, b in zip(expected, got):
        assert filecmp.cmp(a, b, shallow=False), f"{b.relative_to(on_slurm)} differs from the local run"


def test_a_failing_job_is_reported_failed_and_retried_with_more_memory(runs):
    top, finished = runs
    workdir = top / "failing"
    first, second = fallback_resources(1)["mem_mb"], fallback_resources(2)["mem_mb"]
    assert second > first + 300  # room for the 100 MB over attempt 1 that needs_memory allocates
    returncode, output = finished["failing"]
    assert returncode != 0, output[-4000:]
    assert "Error in rule always_fails" in output
    assert "SLURM status is: 'FAILED'" in output
    assert output.count("Trying to restart job") == 2
    assert (workdir / "needs_memory.txt").read_text() == "ok\n"
    assert not (workdir / "always_fails.txt").exists()

    jobs = slurm_jobs(output)
    assert [(j["mem_mb"], j["state"]) for j in jobs["needs_memory"]] == [(first, "FAILED"), (second, "COMPLETED")]
    assert [(j["mem_mb"], j["state"]) for j in jobs["always_fails"]] == [(first, "FAILED"), (second, "FAILED")]
    for rule, submitted in jobs.items():  # each attempt ran inside the SLURM job that asked for it
        ran = (workdir / "attempts" / f"{rule}.txt").read_text().split("\n")[:-1]
        assert ran == [f"{j['id']} {j['mem_mb']}" for j in submitted], rule
