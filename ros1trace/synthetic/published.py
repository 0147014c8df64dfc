"""Published ROS1 changes (MAF-style records with their c. and p.) as rules for the synthetic locus.

Biology and conventions encoded here
------------------------------------
* MAF alleles: ``Start_Position`` is the first REF base; ``-`` is the empty allele of an indel; an
  insertion lies between ``Start_Position`` and ``Start_Position + 1``.
* ROS1 is on the minus strand: a plus-strand base is the complement of the coding-strand base, and
  the base 3' of c.N on the transcript is the plus-strand base *below* it.
* A substitution in a codon must turn the reference codon (which encodes P08922) into a codon of
  the published residue: ``p.K2307N`` needs codon 2307 = AAN whose changed base gives Asn;
  ``p.Y228Y`` / ``p.L232=`` a synonymous codon; ``p.W21*`` a stop.
* A one-base deletion or duplication is named at the 3'-most base of its run (the HGVS 3' rule),
  so the named base is the deleted/duplicated one and the base 3' of it differs.  In the CDS it
  shifts the frame: ``p.T16Lfs*15`` says the shifted frame reads Leu at 16 and its 15th residue
  (Leu counted as the first) is the first stop; ``p.L1167*`` that the first shifted codon is a stop.

Each rule is stated on the transcript (c. positions), so it holds on both builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..reference.transcript import CODON_TABLE, complement, protein, read_tsv, transcript

_SHORT_P = re.compile(r"p\.([A-Z*])(\d+)([A-Z*=])$")
_FRAMESHIFT_P = re.compile(r"p\.([A-Z*])(\d+)(?:([A-Z])fs\*(\d+)|\*)$")
_ONE_BASE_INDEL_C = re.compile(r"c\.(-?\*?\d+)(del|dup)([ACGT]?)$")


@dataclass(frozen=True)
class Published:
    """One distinct published variant (MAF alleles, as the source printed them)."""

    build: str
    pos: int
    ref: str
    alt: str
    hgvs_c: str
    hgvs_p: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.hgvs_c} {self.hgvs_p} ({self.source}, {self.build} {self.pos} {self.ref}>{self.alt})"


@dataclass(frozen=True)
class CodonRule:
    """Changing coding base ``index`` (0..2) of codon ``residue`` to ``alt`` must give ``aa``."""

    residue: int
    index: int
    ref: str
    alt: str
    aa: str
    name: str

    def holds(self, codon: str) -> bool:
        changed = codon[: self.index] + self.alt + codon[self.index + 1:]
        return codon[self.index] == self.ref and CODON_TABLE[changed] == self.aa


@dataclass(frozen=True)
class FrameshiftRule:
    """CDS bases ``start:end`` (0-based, half open) replaced by ``inserted`` (coding strand) must make
    the protein read ``new`` at residue ``first`` and stop at the ``count``-th residue from there."""

    start: int
    end: int
    inserted: str
    first: int
    new: str
    count: int
    name: str

    @property
    def lo(self) -> int:
        return min(self.first, self.start // 3 + 1)

    @property
    def hi(self) -> int:
        """The last reference codon the shifted frame reads up to its stop."""
        last_alt = 3 * (self.first - 1 + self.count) - 1  # 0-based alt index of the stop's last base
        return (last_alt - len(self.inserted) + (self.end - self.start)) // 3 + 1

    def consistent(self, codons: dict[int, str], upto: int) -> bool:
        """False when codons lo..``upto`` (all assigned) already break the rule."""
        ref = "".join(codons[r] for r in range(self.lo, upto + 1))
        base0 = 3 * (self.lo - 1)
        if self.end - base0 > len(ref):
            return True  # the edit itself is not covered yet
        alt = ref[: self.start - base0] + self.inserted + ref[self.end - base0:]
        reference = protein()
        for k in range(len(alt) // 3):
            residue, aa = self.lo + k, CODON_TABLE[alt[3 * k: 3 * k + 3]]
            i = residue - self.first
            if i < 0:
                ok = aa == reference[residue - 1]  # residues before the first changed one are kept
            elif i == 0:
                ok = aa == self.new
            elif i < self.count - 1:
                ok = aa != "*"
            elif i == self.count - 1:
                ok = aa == "*"
            else:
                break
            if not ok:
                return False
        return True


@dataclass(frozen=True)
class BaseRule:
    """Plus-strand base at ``pos`` (on ``build``) must be ``base`` (``equal``) or must not be."""

    build: str
    pos: int
    base: str
    equal: bool
    name: str


def read_published(path: Path) -> list[Published]:
    """Distinct variants (build, pos, ref, alt) of ``ros1_external_variants.tsv``; rows of one variant
    must agree on c. and p."""
    seen: dict[tuple, Published] = {}
    for row in read_tsv(path):
        item = Published(row["build"], int(row["pos"]), row["ref"], row["alt"], row["hgvs_c"], row["hgvs_p"],
                         f"{row['source_repo']}:{row['path']}")
        key = (item.build, item.pos, item.ref, item.alt)
        if key in seen and (seen[key].hgvs_c, seen[key].hgvs_p) != (item.hgvs_c, item.hgvs_p):
            raise ValueError(f"sources disagree: {seen[key].name} vs {item.name}")
        seen.setdefault(key, item)
    return list(seen.values())


def _c_position(label: str, build: str) -> int:
    """Genomic position of an exonic c. label (``46``, ``-140``, ``*64``)."""
    tx = transcript(build)
    if label.startswith("*"):
        cdna = tx.utr5_length + tx.cds_length + int(label[1:])
    elif label.startswith("-"):
        cdna = tx.utr5_length + int(label) + 1
    else:
        cdna = tx.utr5_length + int(label)
    return tx.cdna_to_genome(cdna)


def rules(item: Published) -> list:
    """The rules that make ``item`` annotate as published (empty when real bases alone decide it)."""
    tx = transcript(item.build)
    ref, alt = item.ref.strip("-"), item.alt.strip("-")
    if len(ref) == 1 and len(alt) == 1:
        c = tx.c_of(item.pos)
        if c is None:
            return []  # UTR or intron: the real REF base is all the change needs
        match = _SHORT_P.match(item.hgvs_p)
        residue, index = (c - 1) // 3 + 1, (c - 1) % 3
        if not match or int(match[2]) != residue or protein()[residue - 1] != match[1]:
            raise ValueError(f"{item.name}: not codon {residue} ({protein()[residue - 1]}) of P08922")
        aa = match[1] if match[3] in ("=", match[1]) else match[3]
        return [CodonRule(residue, index, complement(ref), complement(alt), aa, item.name)]
    indel = _ONE_BASE_INDEL_C.match(item.hgvs_c)
    if not indel or len(ref + alt) != 1:
        raise ValueError(f"{item.name}: no rule for this kind of change")
    named = _c_position(indel[1], item.build)
    base = ref or alt  # plus strand: the deleted or duplicated base
    if indel[3] and complement(indel[3]) != base:
        raise ValueError(f"{item.name}: the named base is not the record's allele")
    if (ref and named != item.pos) or (alt and named not in (item.pos, item.pos + 1)):
        raise ValueError(f"{item.name}: the named base is not at the record's position")
    found = [BaseRule(item.build, named, base, True, item.name),
             BaseRule(item.build, named - 1, base, False, item.name)]  # 3' neighbour differs: named 3'-most
    c = tx.c_of(named)
    if c is None:
        return found
    shift = _FRAMESHIFT_P.match(item.hgvs_p)
    if not shift or protein()[int(shift[2]) - 1] != shift[1]:
        raise ValueError(f"{item.name}: not a frameshift of P08922")
    new, count = (shift[3], int(shift[4])) if shift[3] else ("*", 1)
    coding = complement(base)
    edit = (c - 1, c, "") if ref else (c, c, coding)  # deletion of c.N; duplicate inserted after c.N
    return found + [FrameshiftRule(*edit, int(shift[2]), new, count, item.name)]
