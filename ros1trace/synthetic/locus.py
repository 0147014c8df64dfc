"""The synthetic ROS1 locus: a stand-in reference for tests and the bundled example.

No full ROS1 nucleotide sequence is available offline, so this module *makes* one that is faithful
to everything that is known, and reports (rather than invents around) any fact it cannot honour:

* a ``chr6`` contig at the true length of the build, all ``N`` except the ROS1 transcript span
  plus ``FLANK`` bases either side (so upstream/downstream variants can be tested);
* exons at the bundled NM_002944.2 coordinates; the CDS back-translates P08922 (2347 aa) with ATG
  first and a stop last; introns start with GT and end with AG;
* every **real base** of ``resources/reference/ros1_real_bases.tsv`` (REF alleles, printed codons
  and contexts of published records, REF bases of real caller VCFs; see ``real_bases.py``) is the
  base of the locus, on both builds;
* every published nucleotide fact of ``known_mutation_coordinates.tsv`` holds (c.6094 = G,
  c.6202_6203 = GT, ...), and the frameshift c.6202_6203delGT reads p.Val2068LeufsTer15;
* every **published change** handed to the generator (``published.py``: the records of
  ros1_external_variants.tsv) annotates as published: where a codon's other bases are unknown they
  are chosen so that the substitution gives the published residue, and the codons after a
  frameshift are chosen so that the shifted frame reads the published residue and stops where
  published; a one-base indel's 3' neighbour differs from it, so HGVS names it where published;
* each study/catalog missense change is reachable the way the example simulates it: by one SNV
  (S1986 is TCT/TCC so that both S1986Y and S1986F are single SNVs), and G2032K by two
  (GGA/GGG -> AAA/AAG), so the cohort generator never needs to invent a base;
* every other base comes from a seeded generator: the same inputs give the same bytes.

The same sequence is used on GRCh37 and GRCh38 (the builds differ by a constant shift over ROS1),
so a variant has the same c./p. on both.  Everything is labelled synthetic.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from ..reference.transcript import (
    CODON_TABLE,
    complement,
    protein,
    read_tsv,
    resources_dir,
    reverse_complement,
    transcript,
    translate,
)
from .published import BaseRule, CodonRule, FrameshiftRule, Published, rules
from .real_bases import on_build, read_table

SEED = 20211
FLANK = 1_000
# Length of chromosome 6 (UCSC chromInfo / the GRC assembly reports).
CHR6_LENGTH = {"GRCh38": 170_805_979, "GRCh37": 171_115_067}
FASTA_TITLE = ("chr6 SYNTHETIC ROS1 locus for ros1trace tests and examples (NOT a real genome): "
               "{build} coordinates, N outside ROS1 {start}-{end}; CDS back-translates P08922; "
               "real bases where known")

# Missense changes the example and tests make with one SNV (catalog residues).
SINGLE_SNV_CHANGES = (
    "G2032R D2033N L2026M L2086F S1986Y S1986F V1174F L2155S L1951R G2101A F2004C F2004V E1990G "
    "K2003R F2075V F2075C G1957A D2113N D2113G C2060G E1935G L1982F D2203E M478I"
).split()
# Changes that need two bases of the codon (the positions changed together).  G2032K: c.6094G>A +
# c.6095G>A.  V2098I: the real codon 2098 is GTG (c.6294 G, the REF of a TCGA p.V2098V record), and
# no single base change turns GTG into Ile (ATG is Met), so Ile needs c.6292 and c.6294.
TWO_SNV_CHANGES = {"G2032K": (0, 1), "V2098I": (0, 2)}
# c.6202_6203delGT (known_mutation_coordinates.tsv): p.Val2068LeufsTer15.
FRAMESHIFT = FrameshiftRule(6201, 6203, "", 2068, "L", 15,
                            "c.6202_6203delGT p.V2068Lfs*15 (known_mutation_coordinates.tsv)")

_SYNONYMS: dict[str, list[str]] = {}
for _codon, _aa in sorted(CODON_TABLE.items()):
    _SYNONYMS.setdefault(_aa, []).append(_codon)


def window(build: str) -> tuple[int, int]:
    """First and last non-N position of the synthetic chr6."""
    tx = transcript(build)
    return tx.start - FLANK, tx.end + FLANK


class Facts:
    """What the locus of one build must honour: fixed and forbidden plus-strand bases, codon and
    frameshift rules, each with the reason it holds (for the report when two disagree)."""

    def __init__(self, build: str):
        self.build = build
        self.tx = transcript(build)
        self.fixed: dict[int, tuple[str, str]] = {}  # pos -> (base, why)
        self.forbidden: dict[int, dict[str, str]] = {}  # pos -> base -> why
        self.codon_rules: list[CodonRule] = []
        self.frameshifts: list[FrameshiftRule] = [FRAMESHIFT]
        self.conflicts: list[str] = []

    def fix(self, pos: int, base: str, why: str) -> None:
        held = self.fixed.setdefault(pos, (base, why))
        if held[0] != base:
            self.conflicts.append(f"{self.build} {pos}: {held[0]} ({held[1]}) but {base} ({why})")
        if base in self.forbidden.get(pos, {}):
            against = self.forbidden[pos][base]
            self.conflicts.append(f"{self.build} {pos}: {base} ({why}) but not {base} ({against})")

    def forbid(self, pos: int, base: str, why: str) -> None:
        self.forbidden.setdefault(pos, {})[base] = why
        if self.fixed.get(pos, ("",))[0] == base:
            self.conflicts.append(f"{self.build} {pos}: {base} ({self.fixed[pos][1]}) but not {base} ({why})")

    def add_known_mutations(self) -> None:
        """The reference bases named by the c. changes and the REF alleles of the bundled table."""
        key = self.build.lower()
        for row in read_tsv(resources_dir() / "reference" / "known_mutation_coordinates.tsv"):
            why = f"known_mutation_coordinates.tsv {row['variant']}"
            match = re.fullmatch(r"c\.(\d+)([ACGT])>[ACGT]", row["hgvs_c"])
            if match:
                self.fix(self.tx.c_to_genome(int(match[1])), complement(match[2]), why)
            match = re.fullmatch(r"c\.(\d+)_(\d+)del([ACGT]+)", row["hgvs_c"])
            if match:
                for offset, base in enumerate(match[3]):
                    self.fix(self.tx.c_to_genome(int(match[1]) + offset), complement(base), why)
            if row[f"{key}_pos"] not in ("", "."):
                for offset, base in enumerate(row[f"{key}_ref"]):
                    self.fix(int(row[f"{key}_pos"]) + offset, base, why)

    def add_splice_sites(self) -> None:
        """GT at each intron's 5' end and AG at its 3' end, on the transcript (minus) strand."""
        for number in range(1, len(self.tx.exons)):
            start, end = self.tx.intron_bounds(number)
            why = f"GT..AG of intron {number}"
            for pos, base in ((end, "G"), (end - 1, "T"), (start + 1, "A"), (start, "G")):
                self.fix(pos, complement(base), why)

    def add_real_bases(self) -> None:
        for b in read_table():
            self.fix(on_build(b.build, b.pos, self.build), b.base,
                     f"real base, {b.build} {b.pos} {b.evidence} ({b.source})")

    def add_published(self, changes: list[Published]) -> None:
        for change in changes:
            for rule in rules(change):
                if isinstance(rule, CodonRule):
                    self.codon_rules.append(rule)
                elif isinstance(rule, FrameshiftRule):
                    self.frameshifts.append(rule)
                elif isinstance(rule, BaseRule):
                    pos = on_build(rule.build, rule.pos, self.build)
                    if rule.equal:
                        self.fix(pos, rule.base, rule.name)
                    else:
                        self.forbid(pos, rule.base, rule.name)

    def plus_allows(self, pos: int, base: str) -> bool:
        return self.fixed.get(pos, (base,))[0] == base and base not in self.forbidden.get(pos, ())

    def why(self, pos: int) -> list[str]:
        fixed = [self.fixed[pos][1]] if pos in self.fixed else []
        return fixed + list(self.forbidden.get(pos, {}).values())


def facts(build: str, changes: list[Published]) -> Facts:
    found = Facts(build)
    found.add_known_mutations()
    found.add_splice_sites()
    found.add_real_bases()
    found.add_published(changes)
    return found


def _reaches(codon: str, alt_aa: str, positions: tuple[int, ...] | None) -> bool:
    """Can changing ``positions`` of ``codon`` (any single position when None) give ``alt_aa``?"""
    if positions is None:
        for i in range(3):
            for base in "ACGT":
                if base != codon[i] and CODON_TABLE[codon[:i] + base + codon[i + 1 :]] == alt_aa:
                    return True
        return False
    bases = [list("ACGT") if i in positions else [codon[i]] for i in range(3)]
    return any(
        CODON_TABLE[a + b + c] == alt_aa and all((a + b + c)[i] != codon[i] for i in positions)
        for a in bases[0] for b in bases[1] for c in bases[2]
    )


def allowed_codons(found: Facts) -> dict[int, list[str]]:
    """Residue -> codons consistent with P08922, the fixed bases and the codon rules."""
    tx = found.tx
    prot = protein() + "*"
    allowed = {}
    for residue, aa in enumerate(prot, start=1):
        positions = tx.codon_positions(residue)
        allowed[residue] = [c for c in _SYNONYMS[aa]
                            if all(found.plus_allows(p, complement(b)) for p, b in zip(positions, c))]
    reasons: dict[int, list[str]] = {}
    for name, positions in [(name, None) for name in SINGLE_SNV_CHANGES] + list(TWO_SNV_CHANGES.items()):
        ref_aa, residue, alt_aa = name[0], int(name[1:-1]), name[-1]
        if prot[residue - 1] != ref_aa:
            raise ValueError(f"{name}: P08922 has {prot[residue - 1]} at {residue}")
        allowed[residue] = [c for c in allowed[residue] if _reaches(c, alt_aa, positions)]
        how = "one SNV" if positions is None else "two SNVs"
        reasons.setdefault(residue, []).append(f"catalog {name} by {how}")
    for rule in found.codon_rules:
        allowed[rule.residue] = [c for c in allowed[rule.residue] if rule.holds(c)]
        reasons.setdefault(rule.residue, []).append(rule.name)
    empty = [r for r, options in allowed.items() if not options]
    if empty:
        lines = []
        for r in empty:
            bases = [w for p in tx.codon_positions(r) for w in found.why(p)]
            lines.append(f"codon {r} ({prot[r - 1]}): " + "; ".join(bases + reasons.get(r, [])))
        raise ValueError("no codon satisfies every fact at:\n  " + "\n  ".join(lines))
    return allowed


def _solve_frameshifts(codons: dict[int, str], allowed: dict[int, list[str]], rules_: list[FrameshiftRule],
                       rng: random.Random) -> None:
    """Choose the codons read by each frameshift (overlapping ones together) so that all hold."""
    groups: list[list] = []
    for rule in sorted(rules_, key=lambda r: (r.lo, r.hi, r.name)):
        if groups and rule.lo <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], rule.hi)
            groups[-1][2].append(rule)
        else:
            groups.append([rule.lo, rule.hi, [rule]])

    for lo, hi, group in groups:
        def search(residue: int) -> bool:
            if residue > hi:
                return True
            choices = list(allowed[residue])
            rng.shuffle(choices)
            for choice in choices:
                codons[residue] = choice
                held = all(r.consistent(codons, residue) for r in group if r.lo <= residue)
                if held and search(residue + 1):
                    return True
            return False

        if not search(lo):
            raise ValueError("no codon choice gives the published frameshift(s): "
                             + "; ".join(r.name for r in group))


def coding_sequence(found: Facts, seed: int = SEED) -> str:
    """The synthetic CDS, c.1 .. c.7044, deterministic for a seed."""
    rng = random.Random(seed)
    allowed = allowed_codons(found)
    codons = {residue: rng.choice(options) for residue, options in sorted(allowed.items())}
    _solve_frameshifts(codons, allowed, found.frameshifts, rng)
    return "".join(codons[r] for r in sorted(codons))


def plus_window(build: str, changes: list[Published], seed: int = SEED) -> str:
    """Plus-strand bases of ``window(build)``: flanks, introns, UTRs and the CDS, every fact held."""
    found = facts(build, changes)
    if found.conflicts:
        raise ValueError("facts disagree:\n  " + "\n  ".join(found.conflicts))
    tx = found.tx
    rng = random.Random(seed + 1)
    gene = [rng.choice("ACGT") for _ in range(tx.end - tx.start + 1)]  # transcript strand: introns, UTRs
    for c, base in enumerate(coding_sequence(found, seed), start=1):
        gene[tx.end - tx.c_to_genome(c)] = base
    flank_rng = random.Random(seed + 2)
    left = [flank_rng.choice("ACGT") for _ in range(FLANK)]
    right = [flank_rng.choice("ACGT") for _ in range(FLANK)]
    first, last = window(build)
    bases = left + list(reverse_complement("".join(gene))) + right
    coding = {tx.c_to_genome(c) for c in range(1, tx.cds_length + 1)}
    redraw = random.Random(seed + 3)
    for pos in range(first, last + 1):  # outside the CDS, facts overwrite the drawn bases
        if pos in coding:
            continue
        if pos in found.fixed:
            bases[pos - first] = found.fixed[pos][0]
        while bases[pos - first] in found.forbidden.get(pos, ()):
            bases[pos - first] = redraw.choice("ACGT")
    sequence = "".join(bases)
    _check(found, sequence, first)
    return sequence


def _check(found: Facts, sequence: str, first: int) -> None:
    """Every fixed and forbidden base holds, and the CDS encodes P08922 (a guard on the solver)."""
    broken = [f"{p}: {sequence[p - first]}, not {base} ({why})" for p, (base, why) in found.fixed.items()
              if not 0 <= p - first < len(sequence) or sequence[p - first] != base]
    broken += [f"{p}: {b} ({why})" for p, bad in found.forbidden.items() for b, why in bad.items()
               if sequence[p - first] == b]
    tx = found.tx
    cds = "".join(complement(sequence[tx.c_to_genome(c) - first]) for c in range(1, tx.cds_length + 1))
    if translate(cds) != protein() + "*":
        broken.append("the CDS does not translate to P08922")
    if broken:
        raise ValueError(f"{found.build}: the made locus breaks facts:\n  " + "\n  ".join(broken))


def write_fasta(build: str, out: Path, changes: list[Published], seed: int = SEED,
                line_width: int = 60) -> Path:
    """Write the bgzipped, faidx-indexed synthetic chr6 (``out`` ends with .fa.gz)."""
    import pysam

    first, last = window(build)
    body = "N" * (first - 1) + plus_window(build, changes, seed)
    body += "N" * (CHR6_LENGTH[build] - len(body))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = out.with_suffix("")  # drop .gz
    title = FASTA_TITLE.format(build=build, start=first, end=last)
    with open(plain, "w") as handle:
        handle.write(f">{title}\n")
        for i in range(0, len(body), line_width * 100_000):
            chunk = body[i : i + line_width * 100_000]
            handle.write("\n".join(chunk[j : j + line_width] for j in range(0, len(chunk), line_width)))
            handle.write("\n")
    for suffix in (".fai", ".gzi"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    pysam.tabix_compress(str(plain), str(out), force=True)
    plain.unlink()
    pysam.faidx(str(out))
    return out


def bundled_fasta(build: str) -> Path:
    return resources_dir() / "synthetic" / f"ros1_synthetic_{build}.fa.gz"
