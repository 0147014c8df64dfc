#!/usr/bin/env python3
"""Benchmark: memory and time of one per-sample ``variants`` job on a ROS1 locus dense with records.

    .venv/bin/python scripts/bench_memory.py                 # 0.2 M, 1 M and 2 M records (~2 min)
    .venv/bin/python scripts/bench_memory.py --records 200000 --records 2000000

Why: the per-sample reader must stream (issue "Any byte, any fault", part 4): records pass through
normalisation and annotation and only those with ALT alleles are kept, so memory grows with the
alleles found, not with the records read, and time is linear in records.  Targets for 2 M records
in the locus on this 2-core machine: peak RSS <= 500 MB and <= 30 s, printed as a ratio to
``bcftools view -r <ROS1> | bcftools csq`` on the same file.

Data (SYNTHETIC, deterministic): on the synthetic GRCh38 chr6, N records spread evenly over ROS1
+- 1 kb (several per base at 1 M and more), REF from the FASTA, one of the three other bases as
ALT; one record in 997 is a ``0/1`` call, the rest ``0/0`` (force-called sites, as a baseline
gVCF-like file holds them).  bgzipped + tabix.  Generation is not timed.  The job is the real
``python -m ros1trace.cli variants`` (interpreter start, imports, manifest, annotated VCF + tabix,
variants.tsv) under GNU time; bcftools likewise.  Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_annotate import BUILD, child, write_cohort  # noqa: E402  (the shared benchmark helpers)

from ros1trace.reference import transcript as reference  # noqa: E402
from ros1trace.reference.genome import LOCUS_FLANK, load_locus  # noqa: E402
from ros1trace.reference.gff import write_gff3  # noqa: E402
from ros1trace.synthetic.locus import bundled_fasta  # noqa: E402

TARGET_RSS_MB, TARGET_SECONDS = 500, 30
CALL_EVERY = 997
HEADER = ("##fileformat=VCFv4.2\n##source=ros1trace bench_memory (SYNTHETIC)\n##contig=<ID=chr6,length=170805979>\n"
          '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
          '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
          '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n'
          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n")


def write_dense_vcf(path: Path, records: int, locus, start: int, end: int) -> Path:
    """``records`` records spread evenly over start..end, bgzipped and indexed."""
    span = end - start + 1
    plain = path.with_suffix("")
    with open(plain, "w") as handle:
        handle.write(HEADER)
        for k in range(records):
            pos = start + (k * span) // records
            ref = locus.seq(pos, pos)
            alt = "ACGT".replace(ref, "")[k % 3] if ref in "ACGT" else "A"
            sample = "0/1:80,20:100" if k % CALL_EVERY == 0 else "0/0:100,0:100"
            handle.write(f"chr6\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t.\tGT:AD:DP\t{sample}\n")
    subprocess.run(["bgzip", "-f", "-@2", str(plain)], check=True)
    subprocess.run(["tabix", "-f", "-p", "vcf", str(path)], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, action="append", help="records in the locus (repeatable)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    sizes = args.records or [200_000, 1_000_000, 2_000_000]
    for tool in ("bcftools", "bgzip", "tabix", "/usr/bin/time"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not available (Debian: apt-get install bcftools tabix time)")
    workdir = Path(tempfile.mkdtemp(prefix="bench_memory.", dir=args.workdir)).resolve()
    try:
        return run(sizes, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(sizes: list[int], workdir: Path) -> int:
    tx = reference.transcript(BUILD)
    fasta = workdir / "chr6_synthetic.fa.gz"
    for suffix in ("", ".fai", ".gzi"):
        shutil.copy(f"{bundled_fasta(BUILD)}{suffix}", f"{fasta}{suffix}")
    gff = write_gff3(BUILD, workdir / "ros1.gff3", fasta=fasta)
    locus = load_locus(fasta, tx)
    start, end = tx.start - LOCUS_FLANK // 2, tx.end + LOCUS_FLANK // 2
    region = f"{tx.chrom}:{start}-{end}"
    print(f"bench_memory: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; SYNTHETIC chr6 {BUILD}; "
          f"records spread over {region}; one call in {CALL_EVERY}")
    print(f"{'records':>10} | {'ours s':>7} | {'ours MB':>7} | {'csq s':>7} | {'csq MB':>7} | {'time ratio':>10} | "
          f"{'s per M':>7}")
    missed = False
    for size in sizes:
        vcf = write_dense_vcf(workdir / f"dense_{size}.vcf.gz", size, locus, start, end)
        manifest = write_cohort(workdir / f"cohort_{size}", [vcf], fasta)
        batch = sorted(manifest["batches"])[0]
        job = [sys.executable, "-m", "ros1trace.cli", "variants", "--manifest",
               str(workdir / f"cohort_{size}" / "manifest.json"), "--batch", batch,
               "--table", str(workdir / f"variants_{size}.tsv"), "--vcf-dir", str(workdir / f"vcf_{size}")]
        ours_s, ours_rss = child(job, workdir)
        csq = (f"bcftools view -r {region} -Ou {vcf} | bcftools csq -f {fasta} -g {gff} -p a -Ou -o /dev/null")
        csq_s, csq_rss = child(["sh", "-c", csq], workdir)
        print(f"{size:>10,} | {ours_s:>7.1f} | {ours_rss / 2**20:>7.0f} | {csq_s:>7.1f} | {csq_rss / 2**20:>7.0f} | "
              f"{ours_s / csq_s:>10.2f} | {ours_s / size * 1e6:>7.1f}")
        if size >= 2_000_000:
            missed |= ours_rss / 2**20 > TARGET_RSS_MB or ours_s > TARGET_SECONDS
    print(f"targets at 2 M records: peak RSS <= {TARGET_RSS_MB} MB, <= {TARGET_SECONDS} s: "
          f"{'MISSED' if missed else 'met' if max(sizes) >= 2_000_000 else 'not measured'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
