"""A fusion file made on the other genome build: its ROS1 breakpoints sit in the other build's ROS1 locus.

Why it matters: ROS1 lies 321,163 bp further left on GRCh38 than on GRCh37 and the two loci do not
overlap (see :mod:`ros1trace.reference.builds`), so a fusion file of the other build gives no ROS1 fusion at
all, silently, or (when the caller names ROS1) a breakpoint "outside ROS1".

Rules
-----
* A VCF whose header names another build stops at the header (``builds.check_header``, called by
  the reader).  A VCF whose header names this build is taken at its word: its breakpoints are not
  judged (a genome-wide SV VCF may well have an unrelated break where the other build has ROS1).
* Otherwise a breakpoint counts as a ROS1 breakpoint when the caller names the gene ROS1 (text
  formats), or, when it names no gene (VCF), when it lies in either build's ROS1 locus (transcript
  +- ``LOCUS_FLANK``) on chromosome 6.  A breakpoint named ROS1 that lies in neither locus is left
  to :func:`.classify.place`, which reports it by itself.
* If some ROS1 breakpoints lie in another build's locus and none in this build's, the file was made
  on that other build: one ``InputError`` naming the file, the record and both builds.
"""

from __future__ import annotations

from pathlib import Path

from ..reference.builds import declared_build, other_build_spans, wrong_build_error
from ..reference.genome import LOCUS_FLANK
from ..reference.transcript import transcript
from .formats import Breakend, Call, vcf_header
from .genes import ROS1, GeneTable, norm_chrom


def _locus(build: str) -> tuple[str, int, int]:
    tx = transcript(build)
    return norm_chrom(tx.chrom), tx.start - LOCUS_FLANK, tx.end + LOCUS_FLANK


def _in(span: tuple[str, int, int], end: Breakend) -> bool:
    chrom, start, stop = span
    return norm_chrom(end.chrom) == chrom and start <= end.pos <= stop


def check_calls(path: Path, fmt: str, calls: list[Call], genes: GeneTable) -> None:
    """Stop when ``calls`` place ROS1 on another build only (see the module header)."""
    if fmt == "vcf" and declared_build(vcf_header(path)):
        return  # the header names this build (another one was refused by the reader)
    here = _locus(genes.build)
    others = [(build, (here[0], start, end)) for build, start, end in other_build_spans(genes.build)]
    elsewhere = None
    for call in calls:
        for end in (call.a, call.b):
            named = genes.normalise(end.gene)
            if named not in (None, ROS1):
                continue
            if _in(here, end):
                return  # ROS1 where this build has it: the build is right (or the file says nothing)
            other = next((build for build, span in others if _in(span, end)), None)
            if other and elsewhere is None:
                elsewhere = (other, call, end)
    if elsewhere:
        other, call, end = elsewhere
        record = call.source_record.removeprefix(f"{path} ")
        raise wrong_build_error(path, genes.build, other, f"{record}, ROS1 breakpoint {end.chrom}:{end.pos},")
