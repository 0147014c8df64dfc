#!/usr/bin/env python3
"""Benchmark: the whole workflow on generated cohorts, against the floors of its own work (SYNTHETIC data).

    .venv/bin/python scripts/bench_cohort.py     # ~6 min on 2 cores, most of it generating 100,000 patients
    options: --patients N [N ...] (1000 10000) --dry-patients N (100000) --cores N (2) --seed S
             --workdir DIR --keep --batch-size N|auto (auto)

Why: issue "Cohort scale": Snakemake's own bookkeeping (scheduling rounds that stat every input of
every ready job, parsing the sheets) must not dominate the work.  So each full run reports, next to
its wall time and jobs, the CPU of the Snakemake process itself and two floors measured in this run:
  jobs CPU   the CPU all jobs used together (every child process of Snakemake),
  VCF floor  one process opening every VCF of the cohort and querying the ROS1 locus (pysam):
             the least any workflow reading these files must spend.
and checks every patient against the generator's truth table.  The largest cohort is only planned
(--dry-run): DAG building and sheet validation.  Cohort generation is not timed.  The workflow runs
from the repository root, as users run it, with `outdir` and a copy of the bundled synthetic locus
(refused for sheets other than the example's when it sits in resources/) inside the work folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
FASTA = REPO / "resources" / "synthetic" / "ros1_synthetic_GRCh38.fa.gz"
TRUTH_COLUMNS = ("progression_site", "fusion_partner", "partner_group", "multiple_fusions", "five_prime_ros1_partners",
                 "emergent_ros1_mutations", "ros1_mutation_status", "resistance_mechanism")
TARGETS = {"wall_s": 60.0, "snakemake_share": 0.20, "dry_s": 60.0, "job_rss_mb": 500.0}


def simulate(out: Path, patients: int, seed: int) -> Path:
    if not (out / "truth_patients.tsv").is_file():
        subprocess.run([sys.executable, str(REPO / "scripts" / "simulate_cohort.py"), "--out", str(out),
                        "--patients", str(patients), "--seed", str(seed)],
                       check=True, capture_output=True, text=True)
    return out


def snakemake(cohort: Path, reference: Path, outdir: Path, cores: int, batch_size: str, *args: str) -> dict:
    """Run snakemake from the repository root; wall time, its own CPU, its children's CPU, output."""
    command = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", str(cores),
               *args, "--config", f"samples={cohort / 'samples.tsv'}", f"patients={cohort / 'patients.tsv'}",
               f"outdir={outdir}", f"reference_fasta={reference}", f"batch_size={batch_size}"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watched, own = psutil.Process(process.pid), 0.0
    output: list[str] = []
    # drain the pipe in a thread while this one samples the Snakemake process's own CPU
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    while process.poll() is None:
        try:
            times = watched.cpu_times()
            own = times.user + times.system  # the process itself, not its children (the jobs)
        except psutil.Error:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - start
    reader.join()
    text = "".join(output)
    if process.returncode != 0:
        sys.exit(f"snakemake failed ({process.returncode}):\n{text[-4000:]}")
    return {"wall": wall, "own": own, "output": text}


def children_cpu() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def job_counts(output: str) -> dict[str, int]:
    """The 'Job stats' table Snakemake prints before it runs (or dry-runs) anything."""
    table = output[output.index("Job stats:"):]
    return {rule: int(n) for rule, n in re.findall(r"(?m)^(\w+)\s+(\d+)$", table.split("\n\n")[0])}


def jobs(counts: dict[str, int]) -> int:
    """Jobs that do work: all but the target rule `all` (a local no-op)."""
    return sum(n for rule, n in counts.items() if rule not in ("all", "total"))


def job_peak_rss_mb(outdir: Path) -> float:
    """The largest max_rss of any job (Snakemake's benchmark: files)."""
    peak = 0.0
    for path in (outdir / "benchmarks").rglob("*.tsv"):
        rows = list(csv.DictReader(path.open(), delimiter="\t"))
        peak = max([peak] + [float(r["max_rss"]) for r in rows if r["max_rss"] not in ("", "NA", "-")])
    return peak


def vcf_floor(cohort: Path) -> float:
    """CPU seconds for this one process to open every VCF of the sheet and fetch the ROS1 locus."""
    import pysam

    from ros1trace.reference.transcript import transcript

    locus = transcript("GRCh38")
    rows = list(csv.DictReader((cohort / "samples.tsv").open(), delimiter="\t"))
    start = time.process_time()
    for row in rows:
        if row.get("vcf"):
            with pysam.VariantFile(str(cohort / row["vcf"])) as vcf:
                try:
                    records = vcf.fetch(locus.chrom, locus.start - 1, locus.end)
                except ValueError:  # a plain .vcf has no index: read it through
                    records = vcf
                sum(1 for _ in records)
    return time.process_time() - start


def wrong_patients(cohort: Path, outdir: Path) -> int:
    """Patients whose result differs from the generator's truth in any of TRUTH_COLUMNS."""
    def table(path: Path) -> dict[str, dict]:
        return {r["patient_id"]: r for r in csv.DictReader(path.open(), delimiter="\t")}

    truth, found = table(cohort / "truth_patients.tsv"), table(outdir / "patients.tsv")
    wrong = set(truth) ^ set(found)
    wrong |= {p for p in set(truth) & set(found) if any(truth[p][c] != found[p][c] for c in TRUTH_COLUMNS)}
    return len(wrong)


def full_run(work: Path, reference: Path, patients: int, args) -> dict:
    cohort = simulate(work / f"cohort{patients}", patients, args.seed)
    outdir = work / f"run{patients}"
    before = children_cpu()
    run = snakemake(cohort, reference, outdir, args.cores, args.batch_size)
    total = children_cpu() - before  # Snakemake and every job it reaped
    jobs_cpu = total - run["own"]
    floor = vcf_floor(cohort)
    return {"label": f"{patients:,} patients, end to end", "wall": run["wall"], "jobs": jobs(job_counts(run["output"])),
            "own": run["own"], "share": run["own"] / total, "jobs_cpu": jobs_cpu, "floor": floor,
            "rss": job_peak_rss_mb(outdir), "wrong": wrong_patients(cohort, outdir), "patients": patients}


def dry_run(work: Path, reference: Path, patients: int, args) -> dict:
    cohort = simulate(work / f"cohort{patients}", patients, args.seed)
    run = snakemake(cohort, reference, work / f"dry{patients}", args.cores, args.batch_size, "--dry-run")
    return {"label": f"{patients:,} patients, dry run", "wall": run["wall"], "jobs": jobs(job_counts(run["output"])),
            "own": run["own"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[1000, 10000], help="cohorts run end to end")
    parser.add_argument("--dry-patients", type=int, default=100000, help="cohort size of the dry run (0: none)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--batch-size", default="auto")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="folder for everything (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the folder (cohorts are reused)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="ros1trace-bench-cohort-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        reference = work / "ref" / FASTA.name
        reference.parent.mkdir(exist_ok=True)
        for suffix in ("", ".fai", ".gzi"):
            shutil.copy(f"{FASTA}{suffix}", f"{reference}{suffix}")
        print(f"cohorts of {', '.join(map(str, args.patients))} (+ {args.dry_patients} planned) patients "
              f"in {work}; generation is not timed ...", flush=True)
        full = [full_run(work, reference, n, args) for n in args.patients]
        dry = dry_run(work, reference, args.dry_patients, args) if args.dry_patients else None
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nros1trace cohort benchmark (SYNTHETIC data, {args.cores} cores, batch_size {args.batch_size})")
    print(f"{'':32}{'wall s':>8}{'jobs':>6}{'smk CPU s':>11}{'smk share':>11}{'jobs CPU s':>12}"
          f"{'VCF floor s':>13}{'wall/jobsCPU':>14}{'wall/floor':>12}{'job RSS MB':>12}{'wrong':>7}")
    for r in full:
        print(f"{r['label']:32}{r['wall']:8.1f}{r['jobs']:6d}{r['own']:11.1f}{r['share']:11.0%}{r['jobs_cpu']:12.1f}"
              f"{r['floor']:13.1f}{r['wall'] / r['jobs_cpu']:14.2f}{r['wall'] / r['floor']:12.1f}"
              f"{r['rss']:12.0f}{r['wrong']:7d}")
    if dry:
        print(f"{dry['label']:32}{dry['wall']:8.1f}{dry['jobs']:6d}{dry['own']:11.1f}")
    print("\nsmk CPU: the Snakemake process alone (sampled every 0.1 s); smk share: of all CPU the run used;"
          "\njobs CPU: all jobs together; VCF floor: one process opening every VCF and fetching ROS1 (pysam);"
          "\nwrong: patients whose result differs from the truth table; jobs exclude the no-op rule `all`.")
    largest = max(full, key=lambda r: r["patients"])
    checks = {
        f"{largest['patients']:,} patients <= {TARGETS['wall_s']:.0f} s": largest["wall"] <= TARGETS["wall_s"],
        f"Snakemake CPU <= {TARGETS['snakemake_share']:.0%} of the total": largest["share"] <= TARGETS["snakemake_share"],
        f"peak job RSS <= {TARGETS['job_rss_mb']:.0f} MB": largest["rss"] <= TARGETS["job_rss_mb"],
        "every patient correct": all(r["wrong"] == 0 for r in full),
    }
    if dry:
        checks[f"dry run <= {TARGETS['dry_s']:.0f} s"] = dry["wall"] <= TARGETS["dry_s"]
    for name, ok in checks.items():
        print(f"target {name}: {'meets' if ok else 'MISSES'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
