#!/usr/bin/env python3
"""Benchmark: the whole workflow on a generated cohort, and how many jobs batching saves (SYNTHETIC data).

    .venv/bin/python scripts/bench_cohort.py          # ~3 min on 2 cores (generation included)
    options: --patients N (1000) --dry-patients N (10000) --cores N (2) --seed S --workdir DIR --keep

Why: DESIGN.md "Performance by design" and issue #7: per-sample and per-patient work runs in batches
of `batch_size` patients (config.yaml, default 50), locally and on SLURM alike, so a cohort of
thousands of patients is tens of jobs rather than tens of thousands of cluster jobs.

Measured, in a fresh folder under the system temp dir (deleted unless --keep):
(a) the full run of a --patients cohort with --cores N: wall time (target <= 90 s for 1,000 patients
    on 2 cores) and its number of jobs;
(b) a dry run (-n) of a --dry-patients cohort: wall time (DAG building, sheet validation) and jobs;
(c) the reference without batching: dry-run job counts with batch_size=1 (one job per patient and
    stage, as a per-sample workflow would have).  For the --dry-patients cohort this count is
    computed, not run: its input functions alone would take tens of minutes to evaluate.
Cohort generation (scripts/simulate_cohort.py) is not timed.  The workflow runs from the repository
root, as users run it, with `outdir` and the reference (a copy of the bundled synthetic locus, which
the workflow refuses for sheets other than the example's) inside the temp folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FASTA = REPO / "resources" / "synthetic" / "ros1_synthetic_GRCh38.fa.gz"
PER_BATCH_RULES = ("variants", "fusions", "emergence")
TARGET_S = 90.0


def simulate(out: Path, patients: int, seed: int) -> Path:
    subprocess.run([sys.executable, str(REPO / "scripts" / "simulate_cohort.py"), "--out", str(out),
                    "--patients", str(patients), "--seed", str(seed)],
                   check=True, capture_output=True, text=True)
    return out


def snakemake(cohort: Path, reference: Path, outdir: Path, *args: str, batch_size: int | None = None
              ) -> tuple[float, str]:
    """Run snakemake on the cohort from the repository root; (wall seconds, output)."""
    command = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), *args, "--config",
               f"samples={cohort / 'samples.tsv'}", f"patients={cohort / 'patients.tsv'}",
               f"outdir={outdir}", f"reference_fasta={reference}"]
    command += [f"batch_size={batch_size}"] if batch_size else []
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"snakemake failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds, result.stdout + result.stderr


def job_counts(output: str) -> dict[str, int]:
    """The 'Job stats' table Snakemake prints before it runs (or dry-runs) anything."""
    table = output[output.index("Job stats:"):]
    return {rule: int(n) for rule, n in re.findall(r"(?m)^(\w+)\s+(\d+)$", table.split("\n\n")[0])}


def jobs(counts: dict[str, int]) -> int:
    """Jobs that do work: all but the target rule `all` (a local no-op)."""
    return sum(n for rule, n in counts.items() if rule not in ("all", "total"))


def unbatched(counts: dict[str, int], patients: int) -> int:
    """The job count with batch_size=1: one job per patient for each per-batch rule."""
    return jobs(counts) - sum(counts.get(rule, 0) for rule in PER_BATCH_RULES) + patients * len(PER_BATCH_RULES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=1000, help="cohort size of the full run")
    parser.add_argument("--dry-patients", type=int, default=10000, help="cohort size of the dry run")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="folder for everything (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the folder")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="ros1trace-bench-cohort-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        reference = work / "ref" / FASTA.name
        reference.parent.mkdir(exist_ok=True)
        for suffix in ("", ".fai", ".gzi"):
            shutil.copy(f"{FASTA}{suffix}", f"{reference}{suffix}")
        print(f"generating cohorts of {args.patients} and {args.dry_patients} patients in {work} ...", flush=True)
        small = simulate(work / f"cohort{args.patients}", args.patients, args.seed)
        large = simulate(work / f"cohort{args.dry_patients}", args.dry_patients, args.seed)

        run_s, run_out = snakemake(small, reference, work / "run", "--cores", str(args.cores))
        run_counts = job_counts(run_out)
        dry_s, dry_out = snakemake(large, reference, work / "dry", "--dry-run", "--cores", str(args.cores))
        dry_counts = job_counts(dry_out)
        one_s, one_out = snakemake(small, reference, work / "dry1", "--dry-run", "--cores", str(args.cores),
                                   batch_size=1)
        one_counts = job_counts(one_out)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    verdict = "meets" if run_s <= TARGET_S else "MISSES"
    print(f"\nros1trace cohort benchmark (SYNTHETIC data, {args.cores} cores, default batch_size)")
    print(f"{'':44}{'wall s':>9}{'jobs':>8}{'batch_size=1 jobs':>20}")
    print(f"{f'full run, {args.patients} patients':44}{run_s:9.1f}{jobs(run_counts):8d}{jobs(one_counts):20d}")
    print(f"{f'dry run, {args.dry_patients} patients':44}{dry_s:9.1f}{jobs(dry_counts):8d}"
          f"{unbatched(dry_counts, args.dry_patients):19d}*")
    print(f"{f'dry run, {args.patients} patients, batch_size=1':44}{one_s:9.1f}{jobs(one_counts):8d}")
    print(f"\nfull run: {run_s:.1f} s, target <= {TARGET_S:.0f} s for 1,000 patients on 2 cores: {verdict}")
    print(f"jobs per rule, full run: {', '.join(f'{r} {n}' for r, n in run_counts.items() if r != 'total')}")
    print("jobs exclude the no-op target rule `all`; * computed: per-batch rules x patients + cohort rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
