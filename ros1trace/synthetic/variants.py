"""Synthetic small variants: protein changes -> plus-strand VCF alleles, VCFs in caller dialects, BAMs.

Every base comes from the reference FASTA the cohort is simulated on (normally the synthetic
locus), so a simulated record always agrees with the reference it will be annotated against.

Dialects written (what real callers put where, see ``variants/dialects.py``):
``mutect2`` (NORMAL + TUMOR columns, ``##tumor_sample``, GT:AD:AF:DP, PGT/PID phasing),
``vardict`` (one column, GT:DP:VD:AD:AF), ``strelka2`` (NORMAL + TUMOR, no GT, tier-1/2
AU/CU/GU/TU for SNVs, TAR/TIR for indels), ``freebayes`` (GT:DP:RO:AO, contig named ``6``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..reference.genome import Locus
from ..reference.transcript import CODON_TABLE, Transcript, complement
from .locus import CHR6_LENGTH, TWO_SNV_CHANGES

DIALECTS = ("mutect2", "vardict", "strelka2", "freebayes")
_MISSENSE = re.compile(r"^([A-Z])(\d+)([A-Z*=])$")


@dataclass
class SimAllele:
    pos: int
    ref: str
    alt: str
    vaf: float
    depth: int
    filter: str = "PASS"
    phase: str | None = None  # a phase-set id shared by cis components
    force_ref: bool = False  # a 0/0 force-called record (depth only)

    @property
    def alt_reads(self) -> int:
        return 0 if self.force_ref else max(0, round(self.vaf * self.depth))


def protein_change_alleles(name: str, tx: Transcript, locus: Locus) -> list[tuple[int, str, str]]:
    """Plus-strand (pos, ref, alt) SNVs that make protein change ``name`` (e.g. G2032R, G2032K, G2032=).

    One SNV where one suffices; the changes of ``TWO_SNV_CHANGES`` as two SNVs.  The first base
    change (codon position, then A/C/G/T) that gives the residue is used, so it is deterministic.
    """
    match = _MISSENSE.match(name)
    if not match:
        raise ValueError(f"not a protein change the simulator can make: {name}")
    ref_aa, residue, alt_aa = match[1], int(match[2]), match[3]
    positions = tx.codon_positions(residue)
    codon = "".join(complement(locus.seq(p, p)) for p in positions)
    if CODON_TABLE[codon] != ref_aa:
        raise ValueError(f"{name}: codon {residue} is {codon} ({CODON_TABLE[codon]}) in this reference")
    wanted = ref_aa if alt_aa == "=" else alt_aa
    if name in TWO_SNV_CHANGES:
        first, second = TWO_SNV_CHANGES[name]
        for a in "ACGT":
            for b in "ACGT":
                changed = list(codon)
                changed[first], changed[second] = a, b
                new = "".join(changed)
                if a != codon[first] and b != codon[second] and CODON_TABLE[new] == wanted:
                    return [(positions[i], complement(codon[i]), complement(new[i])) for i in (first, second)]
    for i in range(3):
        for base in "ACGT":
            new = codon[:i] + base + codon[i + 1:]
            if base != codon[i] and CODON_TABLE[new] == wanted:
                return [(positions[i], complement(codon[i]), complement(base))]
    raise ValueError(f"{name}: no single-base change of {codon} gives {wanted}")


# -- VCF text ----------------------------------------------------------------------------------
_HEADERS = {
    "mutect2": ['##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
                '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
                '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions">',
                '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
                '##FORMAT=<ID=PGT,Number=1,Type=String,Description="Physical phasing haplotype">',
                '##FORMAT=<ID=PID,Number=1,Type=String,Description="Physical phasing ID">',
                '##FILTER=<ID=weak_evidence,Description="Mutation does not meet likelihood threshold">'],
    "vardict": ['##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
                '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Total Depth">',
                '##FORMAT=<ID=VD,Number=1,Type=Integer,Description="Variant Depth">',
                '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
                '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele Frequency">',
                '##FILTER=<ID=q22.5,Description="Mean Base Quality Below 22.5">'],
    "strelka2": ['##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth for tier1">',
                 *[f'##FORMAT=<ID={b}U,Number=2,Type=Integer,Description="Reads strongly supporting {b}, tier1,tier2">'
                   for b in "ACGT"],
                 '##FORMAT=<ID=TAR,Number=2,Type=Integer,Description="Reads strongly supporting the reference">',
                 '##FORMAT=<ID=TIR,Number=2,Type=Integer,Description="Reads strongly supporting the indel">',
                 '##FILTER=<ID=LowEVS,Description="Somatic Empirical Variant Score below threshold">'],
    "freebayes": ['##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
                  '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read Depth">',
                  '##FORMAT=<ID=RO,Number=1,Type=Integer,Description="Reference allele observation count">',
                  '##FORMAT=<ID=AO,Number=A,Type=Integer,Description="Alternate allele observations">'],
}


def _columns(dialect: str, sample: str) -> list[str]:
    if dialect == "strelka2":  # Strelka2 names its columns NORMAL and TUMOR
        return ["NORMAL", "TUMOR"]
    return [f"NORMAL_{sample}", f"TUMOR_{sample}"] if dialect == "mutect2" else [sample]


def _sample_fields(dialect: str, a: SimAllele) -> tuple[str, list[str]]:
    alt, ref = a.alt_reads, a.depth - a.alt_reads
    gt = "0/0" if a.force_ref else ("0|1" if a.phase else "0/1")
    if dialect == "mutect2":
        fmt = "GT:AD:AF:DP" + (":PGT:PID" if a.phase else "")
        tumour = f"{gt}:{ref},{alt}:{alt / a.depth:.4f}:{a.depth}" + (f":0|1:{a.phase}" if a.phase else "")
        return fmt, [f"0/0:{a.depth},0:0.0000:{a.depth}" + (":.:." if a.phase else ""), tumour]
    if dialect == "vardict":
        return "GT:DP:VD:AD:AF", [f"{gt}:{a.depth}:{alt}:{ref},{alt}:{alt / a.depth:.4f}"]
    if dialect == "freebayes":
        return "GT:DP:RO:AO", [f"{gt}:{a.depth}:{ref}:{alt}"]
    if len(a.ref) == len(a.alt) == 1:  # strelka2 SNV
        tiers = {b: 0 for b in "ACGT"}
        tiers[a.ref] += ref
        tiers[a.alt] += alt
        normal = {b: (a.depth if b == a.ref else 0) for b in "ACGT"}
        fmt = "DP:AU:CU:GU:TU"
        return fmt, [":".join([str(a.depth)] + [f"{normal[b]},{normal[b]}" for b in "ACGT"]),
                     ":".join([str(a.depth)] + [f"{tiers[b]},{tiers[b]}" for b in "ACGT"])]
    return "DP:TAR:TIR", [f"{a.depth}:{a.depth},{a.depth}:0,0", f"{a.depth}:{ref},{ref}:{alt},{alt}"]


def write_vcf(path: Path, dialect: str, sample: str, alleles: list[SimAllele], build: str,
              chrom: str = "chr6", extra_lines: list[str] = ()) -> Path:
    """Write a bgzipped, tabix-indexed VCF of ``alleles`` in ``dialect``; returns the .vcf.gz path."""
    import pysam

    if dialect == "freebayes":
        chrom = chrom[3:] if chrom.startswith("chr") else chrom
    lines = ["##fileformat=VCFv4.2", f"##source=ros1trace-simulator ({dialect} dialect, SYNTHETIC)",
             f"##reference=ros1trace synthetic {build} locus",
             f"##contig=<ID={chrom},length={CHR6_LENGTH[build]}>", "##contig=<ID=chr7>" if chrom.startswith("chr")
             else "##contig=<ID=7>", *_HEADERS[dialect]]
    if dialect == "mutect2":
        lines += [f"##normal_sample=NORMAL_{sample}", f"##tumor_sample=TUMOR_{sample}"]
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT",
                            *_columns(dialect, sample)]))
    body = []
    for a in sorted(alleles, key=lambda x: (x.pos, x.ref, x.alt)):
        fmt, values = _sample_fields(dialect, a)
        body.append("\t".join([chrom, str(a.pos), ".", a.ref, a.alt, ".", a.filter, ".", fmt, *values]))
    # A record on another chromosome, as every real VCF has: outside ROS1, it must be ignored.
    other = "chr7" if chrom.startswith("chr") else "7"
    fmt, values = _sample_fields(dialect, SimAllele(55_000_000, "A", "G", 0.3, 400))
    body.append("\t".join([other, "55000000", ".", "A", "G", ".", "PASS", ".", fmt, *values]))
    plain = Path(str(path).removesuffix(".gz"))
    plain.parent.mkdir(parents=True, exist_ok=True)
    plain.write_text("\n".join(lines + body + list(extra_lines)) + "\n")
    pysam.tabix_index(str(plain), preset="vcf", force=True)  # bgzips to plain.gz and indexes
    return Path(f"{plain}.gz")


# -- BAM ---------------------------------------------------------------------------------------
@dataclass
class SimSite:
    """A site to cover in a BAM; cis components share one entry (several SNVs on one read)."""

    changes: list[tuple[int, str, str]]
    vaf: float
    depth: int
    seed: int = 0
    extra: list = field(default_factory=list)


def write_bam(path: Path, sites: list[SimSite], locus: Locus, build: str, read_length: int = 100) -> Path:
    """Reads tiling each site; ``round(vaf * depth)`` of them carry all of the site's changes."""
    import pysam

    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": locus.chrom, "LN": CHR6_LENGTH[build]}]}
    reads = []
    for number, site in enumerate(sites):
        rng = random.Random(f"{path.name}:{number}:{site.seed}")
        low = min(p for p, _, _ in site.changes)
        high = max(p + len(r) - 1 for p, r, _ in site.changes)
        carriers = round(site.vaf * site.depth)
        for i in range(site.depth):
            start = rng.randint(high - read_length + 2, low)
            bases = list(locus.seq(start, start + read_length - 1))
            if i < carriers:
                for pos, ref, alt in site.changes:
                    bases[pos - start] = alt
            reads.append((start, f"s{number}r{i}", "".join(bases)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for start, name, sequence in sorted(reads):
            read = pysam.AlignedSegment(out.header)
            read.query_name, read.query_sequence = name, sequence
            read.reference_id, read.reference_start = 0, start - 1
            read.mapping_quality, read.cigarstring = 60, f"{read_length}M"
            read.query_qualities = pysam.qualitystring_to_array("I" * read_length)
            out.write(read)
    pysam.index(str(path))
    return path
