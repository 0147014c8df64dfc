#!/usr/bin/env python3
"""Benchmark: ros1trace's ROS1 annotation against bcftools csq on WGS-size VCFs (SYNTHETIC data).

    .venv/bin/python scripts/bench_annotate.py            # 0.5 M and 5 M records (~5 min on 2 cores)
    .venv/bin/python scripts/bench_annotate.py --quick    # 0.05 M and 0.5 M records (~30 s)
    options: --records N --small N --samples N --repeat N --workdir DIR --keep --threads N

Why: DESIGN.md "Performance by design" says a per-sample job must cost what an index query costs,
whatever the size of the VCF, and that benchmarks print ratios against bcftools measured in the
same run on the same files.  Each figure is the best of ``--repeat`` runs (wall clock).

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

(a) annotation   ours in-process after imports: load_locus + Annotator + resources (caches cleared) +
                 ``variant_stage.sample_variants`` (index query, normalise, merge, annotate, catalog)
                 vs ``bcftools view -r <ROS1 window> | bcftools csq -f FASTA -g GFF3``.  Target <= 1.2x.
(b) per-sample   ``python -m ros1trace.cli variants`` on a one-sample manifest (interpreter start,
    job          imports, manifest, annotated VCF + tabix, variants.tsv) vs ``bcftools csq`` over the
                 whole file.  Target <= 0.1x.
(c) growth       ours (a) and (b) at --records / at --small.  Target: flat (<= 1.2x).
(d) marginal     one ``variants`` job over --samples symlinked copies of the large VCF:
    per sample   (T_N - T_1) / (N - 1) vs the bcftools pipeline of (a).  Target <= 2x.
(e) stream       no index (a symlink without .tbi): ``VcfReader.records`` streams the whole file;
                 records/s vs ``bcftools view -H file > /dev/null``.  Target >= 0.5x.  Raw cyvcf2
                 iteration is printed as well, to show what the reader adds to it.
(f) memory       peak RSS of the one-sample job on the large file (os.wait4).  Target <= 300 MB.

Generation, indexing and the GFF3 export are not timed.  Everything lives in a fresh folder under
--workdir (default: the system temp dir), removed at the end unless --keep.
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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ros1trace import catalog as catalog_module
from ros1trace import reference
from ros1trace.annotate import Annotator
from ros1trace.genome import LOCUS_FLANK, load_locus
from ros1trace.gff import write_gff3
from ros1trace.manifest import prepare_run
from ros1trace.synthetic.locus import CHR6_LENGTH, FLANK, bundled_fasta
from ros1trace.synthetic.variants import protein_change_alleles
from ros1trace.variant_stage import ros1_region, sample_variants
from ros1trace.vcf import VcfReader

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
    with open(folder / "samples.tsv", "w", newline="") as s, open(folder / "patients.tsv", "w", newline="") as p:
        samples, patients = csv.writer(s, delimiter="\t"), csv.writer(p, delimiter="\t")
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
def best(repeat: int, run) -> tuple[float, object]:
    """Smallest wall time of ``repeat`` calls of ``run`` and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def child(cmd: list[str], **kwargs) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process (os.wait4: this child only)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({process.returncode}):\n{errors}")
    return wall, usage.ru_maxrss * 1024


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
    workdir: Path
    fasta: Path
    gff: Path
    repeat: int

    def csq(self, *extra: str) -> list[str]:
        return ["bcftools", "csq", "-f", str(self.fasta), "-g", str(self.gff), "-p", "a", "-Ou", "-o", "/dev/null",
                *extra]

    def ours_annotation(self, manifest: dict) -> tuple[float, int]:
        """(a) in-process: resources, locus, annotator and one sample's ROS1 rows (caches cleared)."""
        sample, config = manifest["samples"][0], manifest["config"]

        def run():
            reference.transcript.cache_clear()
            catalog_module.catalog.cache_clear()
            tx = reference.transcript(BUILD)
            locus = load_locus(self.fasta, tx)
            return sample_variants(sample, config, tx, locus, Annotator(tx, locus), str(self.fasta))

        seconds, rows = best(self.repeat, run)
        return seconds, len(rows)

    def bcftools_region(self, vcf: Path, region: str) -> float:
        return best(self.repeat, lambda: pipeline(["bcftools", "view", "-r", region, "-Ou", str(vcf)],
                                                  self.csq("-")))[0]

    def job(self, cohort: Path, tag: str) -> tuple[float, int]:
        """(b)/(d) the ``variants`` job as a subprocess; best wall time and the largest peak RSS."""
        runs = []
        for attempt in range(self.repeat):
            out = self.workdir / "jobs" / f"{tag}.{attempt}"
            out.mkdir(parents=True, exist_ok=True)
            runs.append(child([sys.executable, "-m", "ros1trace.cli", "variants", "--manifest",
                               str(cohort / "manifest.json"), "--batch", "b0001", "--table",
                               str(out / "variants.tsv"), "--vcf-dir", str(out / "vcf"), "--log", str(out / "log")]))
            shutil.rmtree(out)
        return min(w for w, _ in runs), max(r for _, r in runs)

    def bcftools_whole(self, vcf: Path) -> float:
        return min(child(self.csq(str(vcf)))[0] for _ in range(self.repeat))

    def stream(self, vcf: Path, records: int) -> tuple[float, float, float]:
        """(e) records/s: ours (no index), raw cyvcf2 iteration, ``bcftools view -H``."""
        import cyvcf2

        hidden = self.workdir / "unindexed" / vcf.name
        hidden.parent.mkdir(exist_ok=True)
        if not hidden.exists():
            hidden.symlink_to(vcf)

        def ours():
            reader = VcfReader(hidden)
            assert not reader.indexed
            found = sum(1 for _ in reader.records([ros1_region(reference.transcript(BUILD))]))
            reader.close()
            return found

        def raw():
            return sum(1 for _ in cyvcf2.VCF(str(hidden)))

        ours_s, found = best(self.repeat, ours)
        raw_s, counted = best(self.repeat, raw)
        assert counted == records and found == ROS1_RECORDS, (counted, found)
        view_s = min(child(["bcftools", "view", "-H", str(hidden)])[0] for _ in range(self.repeat))
        return records / ours_s, records / raw_s, records / view_s


# -- report --------------------------------------------------------------------------------------
def verdict(value: float, limit: float, at_most: bool) -> str:
    return "PASS" if (value <= limit if at_most else value >= limit) else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5_000_000, help="records of the large VCF")
    parser.add_argument("--small", type=int, default=500_000, help="records of the small VCF")
    parser.add_argument("--quick", action="store_true", help="0.05 M and 0.5 M records")
    parser.add_argument("--samples", type=int, default=50, help="samples in the one-process batch of (d)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--threads", type=int, default=2, help="bgzip threads for generating the data")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    if args.quick:
        args.small, args.records = 50_000, 500_000
    for tool in ("bcftools", "bgzip", "tabix"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH (Debian: apt-get install bcftools tabix)")

    workdir = Path(tempfile.mkdtemp(prefix="bench_annotate.", dir=args.workdir))
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
    locus = load_locus(fasta, tx)
    bench = Bench(workdir, fasta, write_gff3(BUILD, workdir / "ros1.gff3", fasta=fasta), args.repeat)
    window = (tx.start - LOCUS_FLANK, tx.end + LOCUS_FLANK)
    region = f"{tx.chrom}:{window[0]}-{window[1]}"
    ros1 = ros1_records(tx, locus)
    bcftools_version = subprocess.run(["bcftools", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"bench_annotate: {bcftools_version}; Python {platform.python_version()}; {os.cpu_count()} CPUs; "
          f"best of {args.repeat}; SYNTHETIC chr6 {BUILD}; ROS1 window {region} ({len(ros1)} records)")

    sizes, results = {"small": args.small, "large": args.records}, {}
    for label, size in sizes.items():
        started = time.perf_counter()
        vcf = workdir / f"{label}.vcf.gz"
        records = write_vcf(vcf, size, ros1, window, args.threads)
        cohort = workdir / f"cohort_{label}"
        manifest = write_cohort(cohort, [vcf], fasta)
        print(f"  generated {vcf.name}: {records:,} records, {vcf.stat().st_size / 1e6:.0f} MB "
              f"in {time.perf_counter() - started:.1f} s (not timed)")
        ours_s, rows = bench.ours_annotation(manifest)
        r = {"records": records, "ours": ours_s, "rows": rows, "region": bench.bcftools_region(vcf, region)}
        r["job"], r["rss"] = bench.job(cohort, label)
        r["whole"] = bench.bcftools_whole(vcf)
        r["stream"], r["raw"], r["view"] = bench.stream(vcf, records)
        results[label] = r
        print(f"  measured {label}: ours {rows} rows")

    large = results["large"]
    links = workdir / "many"
    links.mkdir()
    copies = []
    for number in range(1, args.samples + 1):
        copy = links / f"S{number:04d}.vcf.gz"
        copy.symlink_to(workdir / "large.vcf.gz")
        Path(f"{copy}.tbi").symlink_to(workdir / "large.vcf.gz.tbi")
        copies.append(copy)
    write_cohort(workdir / "cohort_many", copies, fasta)
    many_s, _ = bench.job(workdir / "cohort_many", "many")
    marginal = (many_s - large["job"]) / (args.samples - 1)

    small = results["small"]
    rows = [("measure", f"{small['records'] / 1e6:g} M", f"{large['records'] / 1e6:g} M")]
    for key, text, unit in (
            ("ours", "(a) ours: annotation in-process", "s"), ("region", "(a) bcftools view -r | csq", "s"),
            ("job", "(b) ours: whole per-sample job", "s"), ("whole", "(b) bcftools csq, whole file", "s"),
            ("stream", "(e) ours: unindexed stream", "rec/s"), ("raw", "(e) cyvcf2 iteration alone", "rec/s"),
            ("view", "(e) bcftools view -H", "rec/s"), ("rss", "(f) per-sample job peak RSS", "MB")):
        cell = (lambda r: f"{r[key] / 1e6:.0f} MB") if unit == "MB" else (
            (lambda r: f"{r[key] / 1e6:.2f} M/s") if unit == "rec/s" else (lambda r: f"{r[key] * 1000:.0f} ms"))
        rows.append((text, cell(small), cell(large)))
    rows.append((f"(d) ours: one job, {args.samples} samples", "", f"{many_s * 1000:.0f} ms"))
    print()
    for text, a, b in rows:
        print(f"  {text:<40} {a:>12} {b:>12}")

    checks = [
        ("(a) annotation / bcftools view -r | csq", [r["ours"] / r["region"] for r in (small, large)], 1.2, True),
        ("(b) per-sample job / bcftools csq whole file", [r["job"] / r["whole"] for r in (small, large)], 0.1, True),
        ("(c) growth of (a), small -> large", [large["ours"] / small["ours"]], 1.2, True),
        ("(c) growth of (b), small -> large", [large["job"] / small["job"]], 1.2, True),
        (f"(d) marginal per sample ({marginal * 1000:.1f} ms) / pipeline", [marginal / large["region"]], 2.0, True),
        ("(e) unindexed stream / bcftools view -H", [r["stream"] / r["view"] for r in (small, large)], 0.5, False),
        ("(f) per-sample job peak RSS (MB)", [large["rss"] / 1e6], 300, True),
    ]
    print(f"\n  {'ratio':<52} {'value':>14} {'target':>9}  result")
    missed = 0
    for text, values, limit, at_most in checks:
        shown = " / ".join(f"{v:.3g}" for v in values)
        result = verdict(max(values) if at_most else min(values), limit, at_most)
        missed += result == "MISS"
        print(f"  {text:<52} {shown:>14} {('<= ' if at_most else '>= ') + f'{limit:g}':>9}  {result}")
    print(f"\n  bcftools pipeline growth small -> large (reference): {large['region'] / small['region']:.3g}; "
          f"(a)/(b) listed small / large")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
