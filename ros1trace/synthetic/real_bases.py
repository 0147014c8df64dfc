"""Real reference bases of the ROS1 locus, read off public records, for the synthetic locus to keep.

Biology and conventions encoded here
------------------------------------
* A REF allele (MAF ``Reference_Allele`` from ``Start_Position``, VCF ``REF`` from ``POS``) is the
  reference genome's plus-strand bases at its positions; ``-`` (a MAF insertion) reveals none.
* A printed codon (VEP ``Codons``, e.g. ``Gaa/Taa``; the part before ``/`` is the reference) is the
  coding-strand codon of the residue that holds the variant's c. position.  ROS1 is on the minus
  strand, so codon base k is the complement of the plus-strand base at the codon's k-th position.
* A printed context (VEP-style ``CONTEXT``) of 11 bases around an SNV is plus strand, pos-5..pos+5;
  the centre must equal the REF allele.  Contexts of indels are not used (their anchoring varies).
* Inside ROS1 the builds differ by a constant shift (GRCh37 = GRCh38 + 321163 at every exon
  edge), and the synthetic locus has one sequence for both, so a base known on one build is the
  base on the other.

The records come from the real-data folder beside the project (never copied in); the bundled
``resources/reference/ros1_real_bases.tsv`` keeps only the derived facts: build, position, base,
kind of evidence and the source repository and path.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..reference.transcript import BUILDS, complement, read_tsv, resources_dir, transcript

TABLE = "ros1_real_bases.tsv"
COLUMNS = ("build", "pos", "base", "evidence", "source")
CONTEXT_SIDE = 5  # an 11-base context: 5 bases either side of the SNV


@dataclass(frozen=True)
class RealBase:
    build: str
    pos: int
    base: str  # plus strand
    evidence: str  # ref_allele, codon, context, vcf_ref
    source: str  # owner/repo@commit:path (paths of one record joined by ';', records by ' | ')


@cache
def build_offset() -> int:
    """GRCh37 - GRCh38 inside ROS1: the same at every exon edge, or the model is not one shift."""
    shifts = {a.start - b.start for a, b in zip(transcript("GRCh37").exons, transcript("GRCh38").exons)}
    shifts |= {a.end - b.end for a, b in zip(transcript("GRCh37").exons, transcript("GRCh38").exons)}
    if len(shifts) != 1:
        raise ValueError(f"GRCh37 and GRCh38 exons differ by {sorted(shifts)}, not one shift")
    return shifts.pop()


def on_build(build: str, pos: int, target: str) -> int:
    """``pos`` of ``build`` as a position of ``target`` (inside ROS1 and its flanks)."""
    if build == target:
        return pos
    return pos - build_offset() if build == "GRCh37" else pos + build_offset()


def _source(row: dict) -> str:
    return f"{row['source_repo']}@{row['commit'][:7]}:{row['path']}"


def _plus_bases(pos: int, bases: str) -> list[tuple[int, str]]:
    return [(pos + i, b) for i, b in enumerate(bases.upper())]


def bases_of_record(row: dict) -> list[RealBase]:
    """The real bases one MAF-style record reveals: its REF allele, printed codon and context."""
    build, source = row["build"], _source(row)
    found = []
    ref = row["ref"]
    if ref not in ("", "-") and re.fullmatch(r"[ACGTacgt]+", ref):
        found += [RealBase(build, p, b, "ref_allele", source) for p, b in _plus_bases(int(row["pos"]), ref)]
    codon = row.get("codons_given", "").split("/")[0]
    c_number = re.match(r"c\.(\d+)", row.get("hgvs_c", ""))
    if len(codon) == 3 and c_number:
        residue = (int(c_number[1]) - 1) // 3 + 1
        positions = transcript(build).codon_positions(residue)
        found += [RealBase(build, p, complement(b), "codon", source)
                  for p, b in zip(positions, codon.upper())]
    context = row.get("context_given", "")
    snv = len(ref) == 1 == len(row["alt"]) and "-" not in (ref, row["alt"])
    if len(context) == 2 * CONTEXT_SIDE + 1 and snv:
        if context[CONTEXT_SIDE].upper() != ref.upper():
            raise ValueError(f"{source}: context {context} does not centre on REF {ref} at {row['pos']}")
        found += [RealBase(build, p, b, "context", source)
                  for p, b in _plus_bases(int(row["pos"]) - CONTEXT_SIDE, context)]
    return found


def _vcf_lines(path: Path):
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", errors="replace") as handle:
        for line in handle:
            fields = line.split("\t", 5)
            if not line.startswith("#") and len(fields) > 4:  # blank or damaged lines reveal nothing
                yield fields


def bases_of_caller_outputs(folder: Path, flank: int) -> list[RealBase]:
    """REF bases of VCF records inside ROS1 +- ``flank`` in the caller outputs (PROVENANCE.tsv names
    each file's repository, path and build; GRCh37 unless it says GRCh38)."""
    found = []
    for entry in read_tsv(folder / "PROVENANCE.tsv"):
        path = folder / entry["file"]
        if ".vcf" not in path.name or path.name.endswith((".tbi", ".csi")):
            continue
        build = "GRCh38" if entry["build_if_known"].startswith("GRCh38") else "GRCh37"
        tx = transcript(build)
        source = f"{entry['repo']}@{entry['commit'][:7]}:{entry['path_in_repo']}"
        for chrom, pos, _, ref, *_ in _vcf_lines(path):
            if chrom not in ("6", "chr6") or not re.fullmatch(r"[ACGT]+", ref.upper()):
                continue  # N, symbolic and breakend records reveal no base
            if tx.start - flank <= int(pos) and int(pos) + len(ref) - 1 <= tx.end + flank:
                found += [RealBase(build, p, b, "vcf_ref", source) for p, b in _plus_bases(int(pos), ref)]
    return found


def collect(real_data: Path, flank: int) -> list[RealBase]:
    """Every real base the records of ``real_data`` reveal inside the locus window."""
    variants = real_data / "ros1-variants"
    found = []
    for name in ("ros1_external_variants.tsv", "ros1_no_transcript_records.tsv"):
        for row in read_tsv(variants / name):
            found += bases_of_record(row)
    found += bases_of_caller_outputs(real_data / "caller-outputs", flank)
    return found


def merge(found: list[RealBase]) -> list[dict]:
    """One row per (build, pos); stops when two sources (on either build) disagree on a base."""
    by_site: dict[int, dict[str, set]] = {}  # GRCh37 position -> base -> (build, pos, evidence, source)
    for b in found:
        by_site.setdefault(on_build(b.build, b.pos, "GRCh37"), {}).setdefault(b.base, set()).add(b)
    conflicts = {pos: sorted(bases) for pos, bases in by_site.items() if len(bases) > 1}
    if conflicts:
        def sources(pos: int, base: str) -> list[str]:
            return sorted({x.source for x in by_site[pos][base]})

        detail = "; ".join(f"GRCh37 {pos}: " + ", ".join(f"{base} ({sources(pos, base)})" for base in bases)
                           for pos, bases in conflicts.items())
        raise ValueError(f"real sources disagree on bases: {detail}")
    rows: dict[tuple[str, int], dict] = {}
    for b in found:
        row = rows.setdefault((b.build, b.pos), {"build": b.build, "pos": b.pos, "base": b.base,
                                                 "evidence": set(), "source": set()})
        row["evidence"].add(b.evidence)
        row["source"].add(b.source)
    return [{**row, "evidence": ",".join(sorted(row["evidence"])),
             "source": " | ".join(sorted(row["source"]))}
            for _, row in sorted(rows.items(), key=lambda item: (BUILDS.index(item[0][0]), item[0][1]))]


def write_table(rows: list[dict], path: Path | None = None) -> Path:
    from ..tsv import write_tsv

    path = path or resources_dir() / "reference" / TABLE
    write_tsv(path, COLUMNS, rows)
    return path


def read_table(path: Path | None = None) -> list[RealBase]:
    path = path or resources_dir() / "reference" / TABLE
    return [RealBase(r["build"], int(r["pos"]), r["base"], r["evidence"], r["source"])
            for r in read_tsv(path)]

