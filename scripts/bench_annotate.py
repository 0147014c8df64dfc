#!/usr/bin/env python3
"""Benchmark: ros1trace's ROS1 annotation against bcftools csq on WGS-size VCFs (SYNTHETIC data).

    .venv/bin/python scripts/bench_annotate.py            # 0.5 M and 5 M records (~5 min on 2 cores)
    .venv/bin/python scripts/bench_annotate.py --quick    # 0.05 M and 0.5 M records (~1 min)
    options: --records N --small N --samples N --repeat N --workdir DIR --keep --threads N

Why (docs/methods.md, Reading VCFs): with an index only the ROS1 locus is read, so a per-sample
job costs the same whatever the size of the VCF; without one the file is streamed once; benchmarks
print ratios against bcftools measured in the same run on the same files (targets: issue #3).
Each figure is the best of ``--repeat`` runs (default 15: this machine's timings wander by tens of percent
from minute to minute, and a best of many is what both sides can repeat; at most 3 runs for the
whole-file ones).

Data (deterministic, seed ``SEED``): on the synthetic GRCh38 chr6 (true length, N outside ROS1
+- 1 kb), one VCF of ``--small`` and one of ``--records`` records, bgzipped + tabix.  Background
records (90 % SNV, 5 % deletion, 5 % insertion; GT:AD:DP, INFO DP) are spread along chr6 outside
the ROS1 query window; their REF is a random base, as the FASTA is N there (bcftools csq checks
REF only where a variant overlaps a transcript, so it never sees them).  Both files share the same
``ROS1_RECORDS`` records inside ROS1 +- 1 kb with REF from the FASTA (SNVs and short indels, plus
the published L2026M and D2033N and the two-SNV G2032K that our codon merge must join), so the
ROS1 work is identical and only the file size differs.

Measured (ours = ros1trace; bcftools single-threaded, output to /dev/null as uncompressed BCF,
``csq -p a`` = haplotype-aware with unphased GTs taken as they are):

(a) annotation   ours in-process after imports: load_locus + the annotator as the job makes it +
                 resources (caches cleared) + ``sample_variants.sample_variants`` (index query,
                 normalise, merge, annotate, catalog)
                 vs ``bcftools view -r <ROS1 window> | bcftools csq -f FASTA -g GFF3``.  Target <= 1.2x.
(b) per-sample   ``python -m ros1trace.cli variants`` on a one-sample manifest (interpreter start,
    job          imports, manifest, annotated VCF + tabix, variants.tsv) vs ``bcftools csq`` over the
                 whole file.  Target <= 0.1x, judged on the large (WGS-size) file.
(c) growth       ours (a) and (b) at --records / at --small.  Target: flat (<= 1.2x).
(d) marginal     one ``variants`` job over --samples symlinked copies of the large VCF:
    per sample   (T_N - T_1) / (N - 1) vs the bcftools pipeline of (a).  Target <= 2x.
(e) stream       no index (a symlink without .tbi): ``VcfReader.records`` reads the whole file once
                 (htslib indexes a bgzipped, sorted file into a temporary .tbi, then one query);
                 records/s vs ``bcftools view -H file > /dev/null``.  Target >= 0.5x.  Printed as
                 well: raw cyvcf2 iteration (what a Python-level stream of records costs) and the
                 temporary index + query alone.
(f) memory       peak RSS of the one-sample job (GNU time's %M).  Target <= 300 MB.

Generation, indexing and the GFF3 export are not timed.  Everything lives in a fresh folder under
--workdir (default: the system temp dir), removed at the end unless --keep.  The exit status is 1
when a target is missed.  Other processes on the machine skew wall times: the load average is
printed with the results.  Needs bcftools, bgzip, tabix and /usr/bin/time (Debian: bcftools tabix time).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1trace.manifest import prepare_run
from ros1trace.reference import catalog as catalog_module
from ros1trace.reference import transcript as reference
from ros1trace.reference.genome import LOCUS_FLANK, load_locus
from ros1trace.reference.gff import write_gff3
from ros1trace.synthetic.locus import CHR6_LENGTH, FLANK, bundled_fasta
from ros1trace.synthetic.variants import protein_change_alleles
from ros1trace.variants.samples import manifest_annotator, ros1_region, sample_variants
from ros1trace.variants.vcf import VcfReader

BUILD = "GRCh38"
SEED = 20240603
ROS1_RECORDS = 300
NAMED_CHANGES = ("G2032K", "L2026M", "D2033N")
BASES = np.array(list("ACGT"))
HEADER = """##fileformat=VCFv4.2
##source=ros1trace bench_annotate (SYNTHETIC)
##contig=<ID=chr6,length={length}>
##FILTER=<ID=PASS,Description="All filters passed">
##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR
"""


# -- data ----------------------------------------------------------------------------------------
def ros1_records(tx, locus) -> list[tuple[int, str, str, int, int]]:
    """(pos, ref, alt, depth, alt_reads) inside ROS1 +- 1 kb with REF from the synthetic FASTA."""
    rng = random.Random(SEED)
    records = []
    for name in NAMED_CHANGES:  # equal counts: G2032K's two SNVs are one haplotype by VAF
        records += [(pos, ref, alt, 200, 60) for pos, ref, alt in protein_change_alleles(name, tx, locus)]
    taken = {p + d for p, *_ in records for d in range(-4, 5)}
    low, high = tx.start - FLANK + 5, tx.end + FLANK - 5
    while len(records) < ROS1_RECORDS:
        pos = rng.randint(low, high)
        if any(p in taken for p in range(pos - 4, pos + 5)):
            continue
        taken.add(pos)
        kind, size = rng.random(), rng.randint(1, 3)
        ref = locus.seq(pos, pos)
        if kind < 0.8:
            alt = rng.choice([b for b in "ACGT" if b != ref])
        elif kind < 0.9:
            ref, alt = locus.seq(pos, pos + size), ref
        else:
            alt = ref + "".join(rng.choice("ACGT") for _ in range(size))
        depth = rng.randint(40, 400)
        records.append((pos, ref, alt, depth, rng.randint(3, depth // 2)))
    return sorted(records)


def background_positions(n: int, window: tuple[int, int], length: int, rng) -> np.ndarray:
    """``n`` distinct sorted positions on 1..length, none inside ``window``."""
    gap = window[1] - window[0] + 1
    chosen = np.unique(rng.integers(1, length - gap + 1, size=n))
    while len(chosen) < n:
        chosen = np.unique(np.concatenate([chosen, rng.integers(1, length - gap + 1, size=n - len(chosen))]))
    chosen[chosen >= window[0]] += gap
    return chosen


def background_lines(positions: np.ndarray, rng) -> list[str]:
    m = len(positions)
    ref = BASES[rng.integers(0, 4, m)]
    alt = BASES[(np.searchsorted(BASES, ref) + rng.integers(1, 4, m)) % 4]
    extra = BASES[rng.integers(0, 4, m)]
    kind = rng.random(m)
    ref, alt = (np.where(kind < 0.05, np.char.add(ref, extra), ref),
                np.where(kind < 0.05, ref, np.where(kind > 0.95, np.char.add(ref, extra), alt)))
    depth = rng.integers(10, 80, m)
    alt_reads = (depth * rng.uniform(0.1, 0.6, m)).astype(int)
    qual = rng.integers(20, 200, m)
    return [f"chr6\t{p}\t.\t{r}\t{a}\t{q}\tPASS\tDP={d}\tGT:AD:DP\t0/1:{d - k},{k}:{d}\n"
            for p, r, a, q, d, k in zip(positions.tolist(), ref.tolist(), alt.tolist(), qual.tolist(),
                                        depth.tolist(), alt_reads.tolist())]


def write_vcf(path: Path, total: int, ros1: list, window: tuple[int, int], threads: int) -> int:
    """bgzip + tabix a VCF of ``total`` records (the ROS1 ones included); returns the record count."""
    rng = np.random.default_rng(SEED + total)
    positions = background_positions(total - len(ros1), window, CHR6_LENGTH[BUILD], rng)
    ros1_lines = [f"chr6\t{p}\t.\t{r}\t{a}\t100\tPASS\tDP={d}\tGT:AD:DP\t0/1:{d - k},{k}:{d}\n"
                  for p, r, a, d, k in ros1]
    split = int(np.searchsorted(positions, window[0]))
    with open(path, "wb") as out:
        bgzip = subprocess.Popen(["bgzip", "-@", str(threads), "-c"], stdin=subprocess.PIPE, stdout=out)
        bgzip.stdin.write(HEADER.format(length=CHR6_LENGTH[BUILD]).encode())
        for part in (positions[:split], None, positions[split:]):
            if part is None:
                bgzip.stdin.write("".join(ros1_lines).encode())
                continue
            for start in range(0, len(part), 200_000):
                bgzip.stdin.write("".join(background_lines(part[start:start + 200_000], rng)).encode())
        bgzip.stdin.close()
        if bgzip.wait():
            sys.exit(f"bgzip failed on {path}")
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    return len(positions) + len(ros1)


def write_cohort(folder: Path, vcfs: list[Path], fasta: Path) -> dict:
    """Sample + patient sheets (one patient per VCF, one batch) and the manifest prepare_run makes of them."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "samples.tsv", "w", newline="") as samples_file, \
            open(folder / "patients.tsv", "w", newline="") as patients_file:
        samples = csv.writer(samples_file, delimiter="\t")
        patients = csv.writer(patients_file, delimiter="\t")
        samples.writerow(["patient_id", "sample_id", "timepoint", "sample_type", "vcf"])
        patients.writerow(["patient_id", "progression_site"])
        for number, vcf in enumerate(vcfs, start=1):
            samples.writerow([f"P{number:04d}", f"S{number:04d}", "progression", "tissue", str(vcf)])
            patients.writerow([f"P{number:04d}", "extracranial"])
    config = {"samples": str(folder / "samples.tsv"), "patients": str(folder / "patients.tsv"),
              "genome_build": BUILD, "reference_fasta": str(fasta), "batch_size": len(vcfs)}
    manifest = prepare_run(config, folder)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


# -- timing --------------------------------------------------------------------------------------
def timed(run: Callable[[], object]) -> Run:
    """``run`` made to return (wall seconds, its result)."""
    def once():
        started = time.perf_counter()
        result = run()
        return time.perf_counter() - started, result
    return once


Run = Callable[[], tuple[float, object]]  # one measured run: (wall seconds, result)


def interleaved(repeat: int, runs: dict[str, Run]) -> dict[str, tuple[float, list]]:
    """Each run ``repeat`` times, round robin, so that load from other processes hits all alike.

    Returns the best seconds and the list of results of each run.
    """
    seconds: dict[str, list] = {key: [] for key in runs}
    results: dict[str, list] = {key: [] for key in runs}
    for _ in range(repeat):
        for key, run in runs.items():
            spent, result = run()
            seconds[key].append(spent)
            results[key].append(result)
    return {key: (min(seconds[key]), results[key]) for key in runs}


def child(cmd: list[str], workdir: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process.

    The peak comes from GNU time (``/usr/bin/time -f %M``), whose own small fork runs the command:
    ``ru_maxrss`` of a child forked straight from this (large) process would report this process's
    own peak, which Linux carries over the exec.
    """
    report = workdir / "time.out"
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return wall, int(report.read_text().split()[-1]) * 1024


def pipeline(first: list[str], second: list[str]) -> None:
    """``first | second > /dev/null``; exits on failure of either."""
    left = subprocess.Popen(first, stdout=subprocess.PIPE)
    right = subprocess.Popen(second, stdin=left.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    left.stdout.close()
    _, errors = right.communicate()
    if left.wait() or right.returncode:
        sys.exit(f"{' '.join(first)} | {' '.join(second)} failed:\n{errors.decode(errors='replace')}")


@dataclass
class Bench:
    """One run of each measured thing, as (seconds, result) callables for ``interleaved``."""

    workdir: Path
    fasta: Path
    gff: Path

    def csq(self, *extra: str) -> list[str]:
        return ["bcftools", "csq", "-f", str(self.fasta), "-g", str(self.gff), "-p", "a",
                "-Ou", "-o", "/dev/null", *extra]

    def ours(self, manifest: dict):
        """(a) in-process: resources (caches cleared), locus, annotator, one sample's ROS1 rows."""
        sample, config = manifest["samples"][0], manifest["config"]

        def run():
            for cached in (reference.transcript, reference.protein, catalog_module.catalog,
                           catalog_module.resistance_status):
                cached.cache_clear()
            tx = reference.transcript(BUILD)
            locus = load_locus(self.fasta, tx)
            annotator = manifest_annotator(manifest, tx, locus)  # as the job makes it
            return len(sample_variants(sample, config, tx, locus, annotator, str(self.fasta)))
        return timed(run)

    def region(self, vcf: Path, region: str):
        """(a) ``bcftools view -r REGION | bcftools csq``."""
        return timed(lambda: pipeline(["bcftools", "view", "-r", region, "-Ou", str(vcf)], self.csq("-")))

    def job(self, cohort: Path):
        """(b)/(d) the ``variants`` job of the cohort's one batch, as a subprocess: (wall, peak RSS)."""
        def run():
            out = Path(tempfile.mkdtemp(dir=self.workdir, prefix="job."))
            try:
                return child([sys.executable, "-m", "ros1trace.cli", "variants",
                              "--manifest", str(cohort / "manifest.json"), "--batch", "b0001",
                              "--table", str(out / "variants.tsv"), "--vcf-dir", str(out / "vcf"),
                              "--log", str(out / "log")], self.workdir)
            finally:
                shutil.rmtree(out)
        return run

    def whole(self, vcf: Path):
        """(b) ``bcftools csq`` over the whole file."""
        return lambda: child(self.csq(str(vcf)), self.workdir)

    def stream(self, vcf: Path) -> dict[str, Callable]:
        """(e) reading the file without its index: ours, raw cyvcf2, a temporary tabix index, bcftools."""
        import cyvcf2
        import pysam

        hidden = self.workdir / "unindexed" / vcf.name  # a symlink with no .tbi beside it
        hidden.parent.mkdir(exist_ok=True)
        hidden.symlink_to(vcf)
        window = ros1_region(reference.transcript(BUILD))

        def ours():
            assert not Path(f"{hidden}.tbi").exists() and not Path(f"{hidden}.csi").exists()
            reader = VcfReader(hidden)
            found = sum(1 for _ in reader.records([window]))
            reader.close()
            return found

        def raw():
            return sum(1 for _ in cyvcf2.VCF(str(hidden)))

        def indexed_on_the_fly():  # htslib builds an index in C (bgzipped, sorted files), then one query
            index = hidden.parent / f"{vcf.name}.temporary.tbi"
            pysam.tabix_index(str(hidden), preset="vcf", index=str(index), force=True, keep_original=True)
            reader = cyvcf2.VCF(str(hidden))
            reader.set_index(str(index))
            found = sum(1 for _ in reader(f"{window.chrom}:{window.start}-{window.end}"))
            reader.close()
            return found

        return {"stream": timed(ours), "raw": timed(raw), "tbx": timed(indexed_on_the_fly),
                "view": lambda: child(["bcftools", "view", "-H", str(hidden)], self.workdir)}


# -- report --------------------------------------------------------------------------------------
MEASURES = (  # key, label, unit
    ("ours", "(a) ours: annotation in-process", "ms"), ("region", "(a) bcftools view -r | csq", "ms"),
    ("job", "(b) ours: whole per-sample job", "ms"), ("whole", "(b) bcftools csq, whole file", "ms"),
    ("stream", "(e) ours: VcfReader stream, no index", "rate"), ("raw", "(e) cyvcf2 iteration alone", "rate"),
    ("tbx", "(e) temporary tabix index + query", "rate"), ("view", "(e) bcftools view -H", "rate"),
    ("rss", "(f) per-sample job peak RSS", "MB"),
)


def cell(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.0f} ms"
    if unit == "rate":
        return f"{value / 1e6:.2f} M/s"
    return f"{value / 1e6:.0f} MB"


def report(small: dict, large: dict, many_s: float, marginal: float, samples: int) -> int:
    """Print the measurements and the targets; 1 when a target is missed."""
    sizes = f"{small['records'] / 1e6:g} M", f"{large['records'] / 1e6:g} M"
    print(f"\n  {'measurement':<44} {sizes[0]:>10} {sizes[1]:>10}")
    for key, label, unit in MEASURES:
        print(f"  {label:<44} {cell(small[key], unit):>10} {cell(large[key], unit):>10}")
    print(f"  {'(d) ours: one job over ' + str(samples) + ' samples':<44} {'':>10} {cell(many_s, 'ms'):>10}")
    print(f"  {'(d) ours: marginal cost of one more sample':<44} {'':>10} {cell(marginal, 'ms'):>10}")
    print(f"  {'ROS1 rows written by ours (same in both)':<44} {small['rows']:>10} {large['rows']:>10}")

    # (label, small value or None when the target is about WGS size only, large value, limit, at most?)
    checks = [
        ("(a) annotation / bcftools view -r | csq", small["ours"] / small["region"],
         large["ours"] / large["region"], 1.2, True),
        ("(b) per-sample job / bcftools csq whole file", None, large["job"] / large["whole"], 0.1, True),
        ("(c) growth of (a) from small to large", None, large["ours"] / small["ours"], 1.2, True),
        ("(c) growth of (b) from small to large", None, large["job"] / small["job"], 1.2, True),
        ("(d) marginal per-sample cost / (a) bcftools", None, marginal / large["region"], 2.0, True),
        ("(e) unindexed stream rate / bcftools view -H", small["stream"] / small["view"],
         large["stream"] / large["view"], 0.5, False),
        ("(f) per-sample job peak RSS, MB", small["rss"] / 1e6, large["rss"] / 1e6, 300, True),
    ]
    print(f"\n  {'target':<44} {sizes[0]:>10} {sizes[1]:>10} {'goal':>8}  result")
    missed = 0
    for label, at_small, at_large, limit, at_most in checks:
        judged = [v for v in (at_small, at_large) if v is not None]
        worst = max(judged) if at_most else min(judged)
        ok = worst <= limit if at_most else worst >= limit
        missed += not ok
        shown = "" if at_small is None else f"{at_small:.3g}"
        goal = ("<= " if at_most else ">= ") + f"{limit:g}"
        print(f"  {label:<44} {shown:>10} {at_large:>10.3g} {goal:>8}  {'PASS' if ok else 'MISS'}")
    print(f"\n  for reference: the bcftools pipeline grows {large['region'] / small['region']:.3g}x, "
          f"bcftools csq over the whole file {large['whole'] / small['whole']:.3g}x from small to large; "
          f"(b) at the small size is {small['job'] / small['whole']:.3g} (not judged: the goal is about "
          f"WGS size); load average now {os.getloadavg()[0]:.2f}")
    return 1 if missed else 0


# -- run -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000, help="records of the large VCF")
    parser.add_argument("--small", type=int, default=500_000, help="records of the small VCF")
    parser.add_argument("--quick", action="store_true", help="0.05 M and 0.5 M records")
    parser.add_argument("--samples", type=int, default=50, help="samples in the one-process batch of (d)")
    parser.add_argument("--repeat", type=int, default=15,
                        help="runs per measurement, the best is kept (whole-file measurements: at most 3)")
    parser.add_argument("--threads", type=int, default=2, help="bgzip threads for generating the data")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.records = 50_000, 500_000
    if args.samples < 2:
        parser.error("--samples must be at least 2")
    for tool in ("bcftools", "bgzip", "tabix", "/usr/bin/time"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not available (Debian: apt-get install bcftools tabix time)")

    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench_annotate.", dir=args.workdir)).resolve()
    try:
        return run(args, workdir)
    finally:
        if args.keep:
            print(f"\nfiles kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> int:
    tx = reference.transcript(BUILD)
    # A copy of the synthetic FASTA: prepare_run serves the bundled copy only to the bundled example.
    fasta = workdir / "chr6_synthetic.fa.gz"
    for suffix in ("", ".fai", ".gzi"):
        shutil.copy(f"{bundled_fasta(BUILD)}{suffix}", f"{fasta}{suffix}")
    bench = Bench(workdir, fasta, write_gff3(BUILD, workdir / "ros1.gff3", fasta=fasta))
    window = (tx.start - LOCUS_FLANK, tx.end + LOCUS_FLANK)
    region = f"{tx.chrom}:{window[0]}-{window[1]}"
    ros1 = ros1_records(tx, load_locus(fasta, tx))
    version = subprocess.run(["bcftools", "--version"], capture_output=True, text=True, check=True).stdout
    bcftools_version = version.split("\n")[0]
    print(f"bench_annotate: {bcftools_version}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}; SYNTHETIC chr6 {BUILD}; ROS1 window {region} "
          f"({len(ros1)} records); best of {args.repeat} (whole-file: of {min(args.repeat, 3)})")

    short, long, records = {}, {}, {}
    for label, size in (("small", args.small), ("large", args.records)):
        started = time.perf_counter()
        vcf = workdir / f"{label}.vcf.gz"
        records[label] = write_vcf(vcf, size, ros1, window, args.threads)
        manifest = write_cohort(workdir / f"cohort_{label}", [vcf], fasta)
        print(f"  generated {vcf.name}: {records[label]:,} records, {vcf.stat().st_size / 1e6:.0f} MB "
              f"in {time.perf_counter() - started:.1f} s (not timed)")
        short |= {f"ours {label}": bench.ours(manifest), f"region {label}": bench.region(vcf, region),
                  f"job {label}": bench.job(workdir / f"cohort_{label}")}
        long |= {f"whole {label}": bench.whole(vcf)}
        long |= {f"{key} {label}": run for key, run in bench.stream(vcf).items()}
    copies = []
    for number in range(1, args.samples + 1):  # (d): symlinks of the large VCF and its index
        copy = workdir / "many" / f"S{number:04d}.vcf.gz"
        copy.parent.mkdir(exist_ok=True)
        copy.symlink_to(workdir / "large.vcf.gz")
        Path(f"{copy}.tbi").symlink_to(workdir / "large.vcf.gz.tbi")
        copies.append(copy)
    write_cohort(workdir / "cohort_many", copies, fasta)
    long["many"] = bench.job(workdir / "cohort_many")

    measured = interleaved(args.repeat, short) | interleaved(min(args.repeat, 3), long)
    results = {}
    for label in ("small", "large"):
        r = {key: measured[f"{key} {label}"][0] for key in ("ours", "region", "job", "whole")}
        r["rss"] = max(measured[f"job {label}"][1])  # child runs give (wall, peak RSS)
        r["rows"] = measured[f"ours {label}"][1][0]
        for key in ("stream", "raw", "tbx", "view"):
            found = measured[f"{key} {label}"][1][0]
            assert key == "view" or found == (records[label] if key == "raw" else ROS1_RECORDS), (key, found)
            r[key] = records[label] / measured[f"{key} {label}"][0]
        results[label] = r | {"records": records[label]}
    many_s = measured["many"][0]
    marginal = (many_s - results["large"]["job"]) / (args.samples - 1)
    return report(results["small"], results["large"], many_s, marginal, args.samples)


if __name__ == "__main__":
    sys.exit(main())
