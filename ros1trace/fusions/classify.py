"""Orient a fusion junction, classify it, number its breakpoints, and count events once.

Biology encoded here
--------------------
* A gene contributes its **5' part** to a fusion transcript when it keeps the upstream side of
  its break: the left side (bases <= pos) on the + strand, the right side on the - strand; it
  contributes its **3' part** otherwise.  ROS1 lies on the minus strand of chr6, so ROS1 is the
  3' gene when it keeps the left side of its break.
* Which side is kept comes from the data when the caller says so (VCF bracket notation, Arriba
  ``direction``); the 5'/3' order the caller states (Arriba with known transcribed strands,
  STAR-Fusion, FusionCatcher, the generic TSV, a VCF whose INFO names the 5' and 3' genes) is used
  where the side is not told.  Geometry wins over a stated order: genes joined head-to-head or
  tail-to-tail make no fusion transcript.  A VCF's stated genes are matched to its breakends by
  position (the breakend inside the stated 5' gene is the 5' one, or the other is, when the
  breakend in the stated 3' gene is found); when neither lies in a gene the table knows, the
  names stay unused.
  A partner whose strand is unknown (a locus not in the bundled gene table and no GTF) is
  assumed to be in sense orientation, and the call is oriented by ROS1's side alone (said in
  ``class_reason``).
* ``canonical``: partner 5', ROS1 3', and the 3' ROS1 part contains the kinase-domain exons
  entirely (Pfam 1945-2215 = exons 36-42 of NM_002944.2, derived from the bundled codon map).
  On the minus strand that means the break is at or above the 5' edge of exon 36: introns 1-35
  or exons up to 35 (or exon 36 when an RNA caller reports its first base, the splice acceptor).
  A break inside exon 36 or further 3' loses part of the kinase: class ``other``.
  ``five_prime_ros1``: ROS1 5' fused to a partner's 3' part.  Anything else is ``other``, and
  ``class_reason`` says why.
* A breakpoint inside ROS1 (NM_002944.2's span on the build) is a ROS1 breakpoint whatever gene
  the caller names there: annotations overlap ROS1 (STAR-Fusion's reference names CD74-ROS1's
  exon-34 junction "CD74--GOPC" on a line of its own, from a GOPC read-through transcript), and a
  CD74-ROS1 read as CD74-GOPC would be a missed driver.  ``class_reason`` says so.
* ``ros1_breakpoint`` numbers NM_002944.2 (``intron 33``, ``exon 34``); ``partner_breakpoint``
  numbers the partner's chosen transcript (``partner_transcript``), see :mod:`.genes`.
* **Events** (per patient, over all samples): calls with the same partner gene are one event,
  whatever the caller, the sample or the exact breakpoint (DNA callers report the intronic
  break, RNA callers the exon junction of the same rearrangement).  A partner without a name is
  the same event within 100 kb on the same chromosome.  This also makes a **reciprocal pair**
  (CD74-ROS1 with ROS1-CD74) one event: a balanced translocation is one genomic rearrangement
  that yields both junctions; the clinician's driver is the CD74-ROS1 kinase fusion and the
  reciprocal is not a second, independent fusion.  The ROS1-CD74 row is still written (it is a
  call, class ``five_prime_ros1``); when its event has a canonical row, ``class_reason`` names it
  reciprocal and the patient summary leaves it out of ``five_prime_ros1_partners``.  A 5'-ROS1
  fusion with a *different* partner (CD74-ROS1 + ROS1-MRAS) is a second event, as in the study.
  ``event_id`` is ``CD74::ROS1`` style (HGNC fusion notation): ``X::ROS1`` when any call of the
  event has ROS1 3', else ``ROS1::X``.
* Both BND mates are one call already (:mod:`.formats`); repeated calls of one junction in one
  sample (two callers, or one caller listing it twice: same genes, class, and exon/intron of both
  breaks) become one row with the larger support and every source.
* Intragenic ROS1 rearrangements (both breakends in ROS1) are not fusions: skipped (the stage
  warns once per file, with a count).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from functools import cache

from ..errors import InputError
from ..reference.transcript import KINASE_DOMAIN, transcript
from .formats import LEFT, Breakend, Call, kept_side
from .genes import ROS1, GeneTable, norm_chrom, ros1_label

log = logging.getLogger(__name__)

CANONICAL, FIVE_PRIME, OTHER = "canonical", "five_prime_ros1", "other"
UNNAMED_EVENT_WINDOW = 100_000  # an unnamed partner's breaks within this distance are one event
ROS1_NAME_MARGIN = 10_000  # a break called "ROS1" this far outside the gene means another build


@dataclass(frozen=True)
class KinaseExons:
    first: int  # exon holding residue 1945
    last: int  # exon holding residue 2215
    upstream_edge: int  # genomic 5' edge of the first kinase exon (minus strand: its end)
    downstream_edge: int  # genomic 3' edge of the last kinase exon (its start)

    def retained(self, pos: int, side: str) -> bool:
        """Does the part of ROS1 on ``side`` of a break at ``pos`` hold every kinase exon?"""
        return pos >= self.upstream_edge if side == LEFT else pos <= self.downstream_edge


@cache
def kinase_exons(build: str) -> KinaseExons:
    tx = transcript(build)
    first = tx.exon_numbering(tx.codon_positions(KINASE_DOMAIN[0])[0])[0]
    last = tx.exon_numbering(tx.codon_positions(KINASE_DOMAIN[1])[2])[0]
    return KinaseExons(first, last, tx.exons[first - 1].end, tx.exons[last - 1].start)


@dataclass(frozen=True)
class Placed:
    """A breakend placed on a gene."""

    end: Breakend
    symbol: str | None  # None: no known gene here
    strand: str | None
    note: str = ""

    @property
    def label(self) -> str:
        return self.symbol or f"{self.end.chrom}:{self.end.pos}"

    @property
    def is_ros1(self) -> bool:
        return self.symbol == ROS1


def _inside_ros1(end: Breakend, genes: GeneTable) -> bool:
    ros1 = genes.get(ROS1)
    return norm_chrom(end.chrom) == ros1.chrom and ros1.start <= end.pos <= ros1.end


def place(end: Breakend, genes: GeneTable, where: str) -> Placed:
    symbol, note = genes.normalise(end.gene), ""
    if symbol not in (None, ROS1) and _inside_ros1(end, genes):
        note = f"the caller's {end.gene} breakpoint lies inside ROS1: read as ROS1"
        symbol = ROS1
    gene = genes.get(symbol) if symbol else genes.at(end.chrom, end.pos)
    if symbol is None and gene is not None:
        symbol = gene.symbol
    if symbol == ROS1 and not (norm_chrom(end.chrom) == gene.chrom
                               and gene.start - ROS1_NAME_MARGIN <= end.pos <= gene.end + ROS1_NAME_MARGIN):
        raise InputError(f"{where}: the ROS1 breakpoint {end.chrom}:{end.pos} is outside ROS1 on "
                         f"{genes.build} (chr{gene.chrom}:{gene.start}-{gene.end}); set genome_build to the "
                         "build the fusion caller used")
    return Placed(end, symbol, (gene.strand if gene else None) or end.strand, note)


def role(side: str | None, strand: str | None) -> str | None:
    """'5' or '3' from the side kept and the gene's strand; None when either is unknown."""
    if side is None or strand is None:
        return None
    return "5" if kept_side("5", strand) == side else "3"


def orient(call: Call, ends: list[Placed]) -> tuple[list[str | None], list[str]]:
    """Roles of ends a and b, and notes on how they were found."""
    stated = ["5", "3"] if call.stated_5prime else [None, None]
    roles = [role(e.end.side, e.strand) or s for e, s in zip(ends, stated, strict=True)]
    notes = []
    for i in (0, 1):
        if roles[i] is None and roles[1 - i] is not None:
            roles[i] = "3" if roles[1 - i] == "5" else "5"
            if not ends[i].is_ros1:
                notes.append(f"strand of {ends[i].label} unknown: oriented by ROS1's side, "
                             "partner assumed in sense")
    return roles, notes


def _classify(build: str, ros1: Placed, ros1_role: str | None, partner: Placed, partner_role: str | None
              ) -> tuple[str, bool | None, list[str]]:
    """(class, kinase_retained, reasons)."""
    kinase = kinase_exons(build)
    if ros1_role is None:
        return OTHER, None, ["orientation unknown: the caller gives neither the side kept nor the 5' gene"]
    side = ros1.end.side or kept_side(ros1_role, ros1.strand)
    retained = kinase.retained(ros1.end.pos, side)
    if ros1_role == partner_role:
        part = "5'" if ros1_role == "5" else "3'"
        return OTHER, retained, [f"{partner.label} and ROS1 both keep their {part} parts "
                                 "(head-to-head/tail-to-tail): no fusion transcript"]
    if ros1_role == "5":
        return FIVE_PRIME, retained, []
    if not retained:
        return OTHER, False, [f"ROS1 break at {ros1_label(build, ros1.end.pos)} is in or after the "
                              f"kinase-domain exons {kinase.first}-{kinase.last}: kinase not retained"]
    return CANONICAL, True, []


def _names_ros1(end: Breakend, genes: GeneTable) -> bool:
    """Is this breakend in ROS1 (by the caller's name, or by position whatever the name)?"""
    return genes.normalise(end.gene) == ROS1 or _inside_ros1(end, genes)


def by_stated_genes(call: Call, genes: GeneTable) -> Call:
    """A call whose file names its 5' and 3' genes (``call.named``) with ``a`` the 5' breakend and
    the names on the breakends; unchanged when neither breakend lies in a named gene."""
    five, three = (genes.normalise(name) for name in call.named)
    here = [gene.symbol if (gene := genes.at(e.chrom, e.pos)) else "" for e in (call.a, call.b)]
    if here[0] and here[0] in (five, three):
        a_is_5prime = here[0] == five
    elif here[1] and here[1] in (five, three):
        a_is_5prime = here[1] == three
    else:
        return call
    first, second = (call.a, call.b) if a_is_5prime else (call.b, call.a)
    return replace(call, a=replace(first, gene=call.named[0]), b=replace(second, gene=call.named[1]),
                   stated_5prime=True, named=None)


def annotate(call: Call, genes: GeneTable, intragenic: list[str] | None = None) -> dict | None:
    """The fusions.tsv fields of one call (without sample fields and event), or None if not ROS1.

    An intragenic ROS1 call gives None too; its ``source_record`` is added to ``intragenic`` when
    given (the stage warns once per file), else it is logged.
    """
    if not any(_names_ros1(e, genes) for e in (call.a, call.b)):
        return None  # cheap test first: most calls of a WGS SV VCF are elsewhere
    if call.named:
        call = by_stated_genes(call, genes)
    ends = [place(call.a, genes, call.source_record), place(call.b, genes, call.source_record)]
    if all(e.is_ros1 for e in ends):
        if intragenic is None:
            log.warning("%s: both breakends in ROS1 (intragenic rearrangement, not a fusion); skipped",
                        call.source_record)
        else:
            intragenic.append(call.source_record)
        return None
    roles, notes = orient(call, ends)
    notes = [n for n in (call.note, *(e.note for e in ends)) if n] + notes
    r = 0 if ends[0].is_ros1 else 1
    ros1, partner = ends[r], ends[1 - r]
    fusion_class, retained, reasons = _classify(genes.build, ros1, roles[r], partner, roles[1 - r])
    if roles[r] is None:
        five, three = ends  # as the caller lists them
    else:
        five, three = (ros1, partner) if roles[r] == "5" else (partner, ros1)
    if partner.symbol is None:
        notes.append("partner locus not in the bundled gene table: named by coordinates "
                     "(a GTF would name it)")
    model = genes.exon_model(partner.symbol) if partner.symbol else None
    on_model = model is not None and model.chrom == norm_chrom(partner.end.chrom)
    return {
        "gene5": five.label, "gene3": three.label, "partner": partner.label,
        "fusion_class": fusion_class, "ros1_breakpoint": ros1_label(genes.build, ros1.end.pos),
        "kinase_retained": retained, "support": call.support, "class_reason": "; ".join(reasons + notes),
        "partner_breakpoint": model.label(partner.end.pos) if on_model else "",
        "partner_transcript": model.transcript_id if on_model else "",
        "chrom5": five.end.chrom, "pos5": five.end.pos, "strand5": five.strand or "",
        "chrom3": three.end.chrom, "pos3": three.end.pos, "strand3": three.strand or "",
        "source_format": call.source_format, "source_record": call.source_record,
        "_unnamed": None if partner.symbol else (norm_chrom(partner.end.chrom), partner.end.pos),
    }


def _partner_key(row: dict, unnamed: list[tuple[str, int, str]]) -> str:
    """The event key of a row: the partner symbol, or the first unnamed locus within the window."""
    locus = row.get("_unnamed")
    if not locus:
        return row["partner"]
    for chrom, pos, label in unnamed:
        if chrom == locus[0] and abs(pos - locus[1]) <= UNNAMED_EVENT_WINDOW:
            return label
    unnamed.append((locus[0], locus[1], row["partner"]))
    return row["partner"]


def assign_events(rows: list[dict]) -> None:
    """Set ``event_id`` on one patient's rows (all samples) and flag reciprocal junctions."""
    groups: dict[str, list[dict]] = {}
    unnamed: list[tuple[str, int, str]] = []
    for row in sorted(rows, key=lambda r: (r.get("_unnamed") or ("", 0), r["partner"])):
        groups.setdefault(_partner_key(row, unnamed), []).append(row)
    for key, group in groups.items():
        canonical = any(r["fusion_class"] == CANONICAL for r in group)
        event_id = f"{key}::{ROS1}" if any(r["gene3"] == ROS1 for r in group) else f"{ROS1}::{key}"
        for row in group:
            row["event_id"] = event_id
            if canonical and row["fusion_class"] == FIVE_PRIME:
                note = f"reciprocal junction of {event_id} (one rearrangement, counted once)"
                row["class_reason"] = "; ".join(filter(None, [row["class_reason"], note]))


def merge_duplicates(rows: list[dict]) -> list[dict]:
    """One row per junction and sample: repeated calls keep the larger support and all sources."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row.get(k) for k in ("sample_id", "event_id", "gene5", "gene3", "fusion_class",
                                         "ros1_breakpoint", "partner_breakpoint"))
        kept = merged.get(key)
        if kept is None:
            merged[key] = dict(row)
            continue
        sources = sorted({*kept["source_record"].split("; "), row["source_record"]})
        if (row["support"] or 0) > (kept["support"] or 0):
            kept.update(row)
        kept["source_record"] = "; ".join(sources)
    return list(merged.values())


__all__ = ["annotate", "assign_events", "merge_duplicates", "kinase_exons", "CANONICAL", "FIVE_PRIME",
           "OTHER"]
