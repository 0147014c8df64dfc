"""The synthetic ROS1 locus: a stand-in reference for tests and the bundled example.

No ROS1 nucleotide sequence is available offline, so this module *makes* one that is faithful to
everything that is known:

* a ``chr6`` contig at the true length of the build, all ``N`` except the ROS1 transcript span
  (plus ``FLANK`` bases either side, so upstream/downstream variants can be tested);
* exons at the bundled NM_002944.2 coordinates; the CDS back-translates P08922 (2347 aa) with ATG
  first and a stop last;
* every published nucleotide fact holds: the bases named by the c. changes and the plus-strand REF
  alleles in ``known_mutation_coordinates.tsv`` (e.g. c.6094 = G, c.6076 = C in a CTG codon,
  c.6202_6203 = GT followed by C);
* each study/catalog missense change is reachable the way the example simulates it: by one SNV
  (S1986 is TCT/TCC so that both S1986Y and S1986F are single SNVs), and G2032K by two
  (GGA/GGG -> AAA/AAG), so the cohort generator never needs to invent a base;
* the published frameshift c.6202_6203delGT must read p.Val2068LeufsTer15: the codons after 2068
  are chosen so that the shifted frame reads Leu, 13 sense codons, then a stop;
* introns start with GT and end with AG; other intronic and UTR bases come from a seeded generator.

The same transcript sequence is used on GRCh37 and GRCh38 (the builds differ by a constant shift
over ROS1), so a variant has the same c./p. on both.  Everything is labelled synthetic.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from ..reference import (
    CODON_TABLE,
    complement,
    protein,
    read_tsv,
    resources_dir,
    reverse_complement,
    transcript,
)

SEED = 20211
FLANK = 1_000
# Length of chromosome 6 (UCSC chromInfo / the GRC assembly reports).
CHR6_LENGTH = {"GRCh38": 170_805_979, "GRCh37": 171_115_067}
FASTA_TITLE = ("chr6 SYNTHETIC ROS1 locus for ros1trace tests and examples (NOT a real genome): "
               "{build} coordinates, N outside ROS1 {start}-{end}; CDS back-translates P08922")

# Missense changes the example and tests make with one SNV (catalog residues).  G2032K is the
# two-SNV change (c.6094G>A + c.6095G>A).
SINGLE_SNV_CHANGES = (
    "G2032R D2033N L2026M L2086F S1986Y S1986F V1174F L2155S L1951R G2101A F2004C F2004V E1990G "
    "K2003R F2075V F2075C V2098I G1957A D2113N D2113G C2060G E1935G L1982F D2203E M478I"
).split()
TWO_SNV_CHANGES = {"G2032K": (0, 1)}  # codon positions changed together
FRAMESHIFT = {"residue": 2068, "deleted_c": (6202, 6203), "new_first": "L", "stop_at": 15}

_SYNONYMS: dict[str, list[str]] = {}
for _codon, _aa in sorted(CODON_TABLE.items()):
    _SYNONYMS.setdefault(_aa, []).append(_codon)


def published_coding_bases(build: str) -> dict[int, str]:
    """c. position -> coding-strand base, from the published/derived rows of the bundled table."""
    tx = transcript(build)
    fixed: dict[int, str] = {}
    rows = read_tsv(resources_dir() / "reference" / "known_mutation_coordinates.tsv")
    key = build.lower()
    for row in rows:
        # The named reference bases of the c. change (c.6094G>A, c.6202_6203delGT).
        match = re.fullmatch(r"c\.(\d+)([ACGT])>[ACGT]", row["hgvs_c"])
        if match:
            fixed[int(match[1])] = match[2]
        match = re.fullmatch(r"c\.(\d+)_(\d+)del([ACGT]+)", row["hgvs_c"])
        if match:
            for offset, base in enumerate(match[3]):
                fixed[int(match[1]) + offset] = base
        # The plus-strand REF allele at its position, where the table gives one.
        if row[f"{key}_pos"] not in ("", "."):
            pos, ref = int(row[f"{key}_pos"]), row[f"{key}_ref"]
            for offset, base in enumerate(ref):
                c = tx.c_of(pos + offset)
                if c is not None:
                    fixed[c] = complement(base)
    return fixed


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


def allowed_codons(build: str) -> dict[int, list[str]]:
    """Residue -> codons consistent with P08922, the published bases and the reachable changes."""
    prot = protein() + "*"
    fixed = published_coding_bases(build)
    allowed = {}
    for residue, aa in enumerate(prot, start=1):
        options = _SYNONYMS[aa]
        first_c = 3 * (residue - 1) + 1
        options = [c for c in options if all(fixed.get(first_c + i, c[i]) == c[i] for i in range(3))]
        allowed[residue] = options
    changes = [(name, None) for name in SINGLE_SNV_CHANGES] + list(TWO_SNV_CHANGES.items())
    for name, positions in changes:
        ref_aa, residue, alt_aa = name[0], int(name[1:-1]), name[-1]
        if prot[residue - 1] != ref_aa:
            raise ValueError(f"{name}: P08922 has {prot[residue - 1]} at {residue}")
        allowed[residue] = [c for c in allowed[residue] if _reaches(c, alt_aa, positions)]
    empty = [r for r, options in allowed.items() if not options]
    if empty:
        raise ValueError(f"no codon satisfies every constraint at residues {empty}")
    return allowed


def _solve_frameshift(codons: dict[int, str], allowed: dict[int, list[str]], rng: random.Random) -> None:
    """Choose codons after the frameshift so that its shifted frame reads as published."""
    residue, stop_at = FRAMESHIFT["residue"], FRAMESHIFT["stop_at"]

    def shifted(k: int) -> str:  # k-th codon of the frame read after deleting 2 bases of `residue`
        return codons[residue + k][2] + codons[residue + k + 1][:2]

    def search(k: int) -> bool:
        if k == stop_at:
            return True
        choices = list(allowed[residue + k + 1])
        rng.shuffle(choices)
        for choice in choices:
            codons[residue + k + 1] = choice
            aa = CODON_TABLE[shifted(k)]
            wanted_here = (FRAMESHIFT["new_first"] if k == 0 else None)
            if k == stop_at - 1:
                ok = aa == "*"
            else:
                ok = aa != "*" and (wanted_here is None or aa == wanted_here)
            if ok and search(k + 1):
                return True
        return False

    if not search(0):
        raise ValueError("no codon choice gives the published frameshift p.Val2068LeufsTer15")


def coding_sequence(build: str = "GRCh38", seed: int = SEED) -> str:
    """The synthetic CDS, c.1 .. c.7044, deterministic for a seed."""
    rng = random.Random(seed)
    allowed = allowed_codons(build)
    codons = {residue: rng.choice(options) for residue, options in sorted(allowed.items())}
    _solve_frameshift(codons, allowed, rng)
    return "".join(codons[r] for r in sorted(codons))


def transcript_strand_gene(build: str = "GRCh38", seed: int = SEED) -> str:
    """Coding-strand bases of the transcript span (exon 1's first base .. exon 43's last)."""
    tx = transcript(build)
    rng = random.Random(seed + 1)
    length = tx.end - tx.start + 1
    seq = [rng.choice("ACGT") for _ in range(length)]  # introns and UTRs
    index = lambda pos: tx.end - pos  # noqa: E731 - minus strand: transcription runs downwards
    for number in range(1, len(tx.exons)):
        start, end = tx.intron_bounds(number)
        # Splice consensus on the transcript strand: GT at the 5' end, AG at the 3' end.
        seq[index(end)], seq[index(end - 1)] = "G", "T"
        seq[index(start + 1)], seq[index(start)] = "A", "G"
    for c, base in enumerate(coding_sequence(build, seed), start=1):
        seq[index(tx.c_to_genome(c))] = base
    return "".join(seq)


def write_fasta(build: str, out: Path, seed: int = SEED, line_width: int = 60) -> Path:
    """Write the bgzipped, faidx-indexed synthetic chr6 (``out`` ends with .fa.gz)."""
    import pysam

    tx = transcript(build)
    gene = reverse_complement(transcript_strand_gene(build, seed))  # plus strand
    flank_rng = random.Random(seed + 2)
    left = "".join(flank_rng.choice("ACGT") for _ in range(FLANK))
    right = "".join(flank_rng.choice("ACGT") for _ in range(FLANK))
    first = tx.start - FLANK
    body = "N" * (first - 1) + left + gene + right
    body += "N" * (CHR6_LENGTH[build] - len(body))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plain = out.with_suffix("")  # drop .gz
    title = FASTA_TITLE.format(build=build, start=first, end=tx.end + FLANK)
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
