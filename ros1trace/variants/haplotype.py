"""Same-codon changes: one haplotype -> one codon change.

G2032K needs two bases changed (GGA -> AAA).  Many callers emit it as two SNVs; annotated one by
one they read G2032R + G2032E, which is wrong.  Changes that fall in the same codon of the same
sample are merged when they are one haplotype, decided with the best evidence available:

0. changes of the same base (two ALT alleles of one record, GT 1/2) are two haplotypes;
1. phase information in the VCF: phased GTs in one phase set (PS; phased GTs without PS share one
   set), or Mutect2's PGT/PID — same slot = cis, different slot = trans;
2. reads in the sample's BAM (``reads.Bam.phase``): cis / trans / unknown;
3. when nothing else is known, equal VAFs within binomial noise: a two-sided two-proportion
   z-test on alt/depth; p >= ``phase_vaf_alpha`` merges (no read counts: not merged).

A merged change spans the first to the last changed base (unchanged bases between them in both
REF and ALT).  A haplotype can be no more frequent than its rarest part, so its counts come from
its components: its depth is the smallest of their depths, its alt reads those that carry every
changed base when the sample's reads show the haplotype (``reads.Bam.haplotype``), else the fewest
of the components', and its VAF the lowest of theirs (alt / depth when counted in the reads).  Its
FILTER is PASS only if every component passes (else the components' filters joined by ';').

The changed bases of a substitution (``changed_bases``) are where another caller, or another
timepoint, may hold the same codon change as separate SNVs: evidence about the change (a
force-called ``0/0`` record, a gVCF block) is looked for at each of them (``patient_emergence``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..reference.genome import Locus
from ..reference.transcript import Transcript
from .dialects import Counts
from .vcf import Allele


@dataclass(slots=True)
class Merged:
    allele: Allele
    components: list[Allele]
    evidence: str


def changed_bases(pos: int, ref: str, alt: str) -> list[tuple[int, str, str]]:
    """The single-base changes (pos, ref, alt) of a substitution of two or more changed bases
    (a merged or caller-made codon change); any other allele is its own only component."""
    if len(ref) != len(alt) or len(ref) < 2:
        return [(pos, ref, alt)]
    changed = [(pos + i, r, a) for i, (r, a) in enumerate(zip(ref, alt)) if r != a]
    return changed if len(changed) > 1 else [(pos, ref, alt)]


def _residue(allele: Allele, tx: Transcript) -> int | None:
    """The codon of a substitution that lies wholly inside one codon, else None."""
    if len(allele.ref) != len(allele.alt):
        return None
    if len(allele.ref) == 1:
        c = tx.c_of(allele.pos)
        return None if c is None else (c - 1) // 3 + 1
    residues = set()
    for pos in range(allele.pos, allele.end + 1):
        c = tx.c_of(pos)
        if c is None:
            return None
        residues.add((c - 1) // 3 + 1)
    return residues.pop() if len(residues) == 1 else None


def equal_vaf_p(a: Allele, b: Allele) -> float | None:
    """Two-sided p of a two-proportion z-test on alt reads / depth; None without counts."""
    counts = []
    for allele in (a, b):
        depth, alt = allele.counts.depth, allele.counts.alt_reads
        if alt is None and allele.counts.vaf is not None and depth:
            alt = round(allele.counts.vaf * depth)
        if not depth or alt is None or alt > depth:  # no counts, or counts no proportion can come from
            return None
        counts.append((alt, depth))
    (x1, n1), (x2, n2) = counts
    pooled = (x1 + x2) / (n1 + n2)
    if pooled in (0, 1):
        return 1.0
    z = abs(x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(z / math.sqrt(2))


def relation(a: Allele, b: Allele, bam, min_alt_reads: int, alpha: float) -> tuple[str, str]:
    """('cis' | 'trans' | 'unknown', evidence text) for two changes in one codon."""
    if a.pos <= b.end and b.pos <= a.end:  # two ALTs of one base (a 1/2 genotype): never one haplotype
        return "trans", "overlapping_alleles"
    if a.phased and b.phased and a.phase_set == b.phase_set and a.haplotype is not None:
        kind = "phase_set" if not (a.phase_set or "").startswith("PID") else "mutect2_pid"
        return ("cis" if a.haplotype == b.haplotype else "trans"), kind
    if bam is not None:
        both, only_a, only_b = bam.phase(a.chrom, (a.pos, a.ref, a.alt), (b.pos, b.ref, b.alt))
        evidence = f"bam_reads(both={both},first_only={only_a},second_only={only_b})"
        if both >= min_alt_reads and both >= only_a + only_b:
            return "cis", evidence
        if both == 0 and only_a >= min_alt_reads and only_b >= min_alt_reads:
            return "trans", evidence
    p = equal_vaf_p(a, b)
    if p is None:
        return "unknown", "no_phase_or_counts"
    return ("cis" if p >= alpha else "trans"), f"vaf_equal_p={p:.3g}"


def merge_same_codon(alleles: list[Allele], tx: Transcript, locus: Locus, bam=None,
                     min_alt_reads: int = 3, alpha: float = 0.01) -> list[Merged]:
    """Alleles of one sample with same-codon haplotypes merged; others returned as they are."""
    by_codon: dict[int, list[int]] = {}
    for index, allele in enumerate(alleles):
        if allele.carried:
            residue = _residue(allele, tx)
            if residue is not None:
                by_codon.setdefault(residue, []).append(index)
    parent = list(range(len(alleles)))
    evidence: dict[int, str] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for members in by_codon.values():
        for i, first in enumerate(members):
            for second in members[i + 1:]:
                kind, why = relation(alleles[first], alleles[second], bam, min_alt_reads, alpha)
                if kind == "cis":
                    parent[root(second)] = root(first)
                    evidence[root(first)] = why
    groups: dict[int, list[Allele]] = {}
    for index, allele in enumerate(alleles):
        head = index if parent[index] == index else root(index)  # most alleles share no codon
        groups.setdefault(head, []).append(allele)
    merged = [Merged(parts[0], parts, "") if len(parts) == 1
              else Merged(_combine(parts, locus, bam), parts, evidence.get(head, ""))
              for head, parts in groups.items()]
    return sorted(merged, key=lambda m: (m.allele.pos, m.allele.ref, m.allele.alt))


def combined_counts(parts: list[Counts], haplotype_reads: int | None = None,
                    haplotype_depth: int | None = None) -> Counts:
    """Counts of a haplotype from its components' (see the module's docstring): reads that carry
    the whole haplotype when given, else the smallest depth, the fewest alt reads, the lowest VAF."""
    dialect = parts[0].dialect
    if haplotype_reads and haplotype_depth:
        return Counts(haplotype_reads, haplotype_depth, haplotype_reads / haplotype_depth, "bam_haplotype")
    depths = [c.depth for c in parts if c.depth is not None]
    alts = [c.alt_reads for c in parts if c.alt_reads is not None]
    vafs = [c.vaf if c.vaf is not None else c.alt_reads / c.depth for c in parts
            if c.vaf is not None or (c.alt_reads is not None and c.depth)]
    return Counts(min(alts, default=None), min(depths, default=None), min(vafs, default=None), dialect)


def _combine(parts: list[Allele], locus: Locus, bam=None) -> Allele:
    start, end = min(p.pos for p in parts), max(p.end for p in parts)
    bases = list(locus.seq(start, end))
    for part in parts:
        for offset, base in enumerate(part.alt):
            bases[part.pos - start + offset] = base
    weakest = min(parts, key=lambda p: (p.counts.alt_reads if p.counts.alt_reads is not None else math.inf,
                                        p.counts.vaf if p.counts.vaf is not None else math.inf))
    support = bam.haplotype(parts[0].chrom, [(p.pos, p.ref, p.alt) for p in parts]) if bam is not None else None
    counts = combined_counts([p.counts for p in parts], support and support.alt_reads, support and support.depth)
    passes = all(p.passes for p in parts)
    filters = "PASS" if passes else ";".join(dict.fromkeys(f for p in parts for f in p.filter.split(";")))
    return replace(weakest, pos=start, ref=locus.seq(start, end), alt="".join(bases), filter=filters,
                   passes=passes, carried=all(p.carried for p in parts), counts=counts,
                   record=";".join(p.record for p in parts))
