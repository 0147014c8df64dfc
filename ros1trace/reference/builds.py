"""Which genome build a VCF or fusion file was made on, and a stop when it is not ``genome_build``.

A file of the other build is the most dangerous input this workflow can get: ROS1 lies 321,163 bp
further left on GRCh38 than on GRCh37 (chr6:117,288,300-117,425,855 against 117,609,463-117,747,018),
and the two spans do not overlap, so a GRCh37 VCF read as GRCh38 has no record in the ROS1 locus at
all and gives a clean "no mutation".  Two kinds of evidence name the build:

* **The header.** Chromosome 6 is 171,115,067 bp on GRCh37 (hg19, b37) and 170,805,979 bp on
  GRCh38 (UCSC/GRC assembly reports), so a ``##contig=<ID=chr6|6,length=…>`` line decides it.
  Failing that, ``##reference=`` / ``##assembly=`` lines and ``assembly=`` in contig lines name it
  (hg19, GRCh37, b37, hs37d5, human_g1k_v37, Broad's assembly19 / hg38, GRCh38, hs38DH, b38,
  assembly38; hg18/NCBI36 is older still).
* **The records.** Records inside the other build's ROS1 locus while none lies in this build's
  (a panel or ROS1-only VCF called on the other build).  A whole-genome VCF of the right build has
  records in both spans, since on each build the other's span holds neighbouring genes (GOPC,
  DCBLD1), so the record rule never fires on it.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .genome import LOCUS_FLANK

CHR6_LENGTH = {170_805_979: "GRCh38", 171_115_067: "GRCh37", 170_899_992: "NCBI36"}
# Assembly names as references and contig lines print them; matched as whole words.
_NAMES = [
    ("GRCh37", r"hg19|assembly19|grch37(?:-lite)?|b37|hs37d5|hs37|g1k_v37|human_g1k_v37(?:_decoy)?|grch37\.p\d+|37\.\d+"),
    ("GRCh38", r"hg38|assembly38|grch38|hs38(?:dh)?|b38|grch38\.p\d+|grch38_full_analysis_set\w*"),
    ("NCBI36", r"hg18|ncbi36|b36"),
]
_NAME = re.compile("|".join(f"(?P<{build}>(?<![A-Za-z0-9])(?:{pattern})(?![0-9]))" for build, pattern in _NAMES),
                   re.IGNORECASE)
_CHR6 = re.compile(r"^##contig=<(?=.*\bID=(?:chr)?6[,>])(?=.*\blength=(\d+))", re.IGNORECASE)
_NAMING_LINES = ("##reference=", "##assembly=", "##contig=")


def declared_build(header: list[str]) -> tuple[str, int, str] | None:
    """(build, 1-based header line number, the line) that names the file's build; None when silent.

    Chromosome 6's length wins over names; among names the first line that names one counts
    (``##reference`` before contig ``assembly=``: it is the FASTA the caller read).
    """
    named = None
    for number, line in enumerate(header, start=1):
        if not line.startswith("##"):
            break
        match = _CHR6.match(line)
        if match and int(match[1]) in CHR6_LENGTH:
            return CHR6_LENGTH[int(match[1])], number, line
        if named is None and line.startswith(_NAMING_LINES):
            text = line.split("=", 1)[1] if not line.startswith("##contig") else _assembly_field(line)
            found = _NAME.search(text or "")
            if found:
                named = (found.lastgroup, number, line)
    return named


def _assembly_field(line: str) -> str | None:
    match = re.search(r"\bassembly=([^,>]+)", line)
    return match[1] if match else None


def check_header(path, header: list[str], build: str) -> None:
    """Stop when the header names another build than ``build``."""
    declared = declared_build(header)
    if declared and declared[0] != build:
        other, number, line = declared
        shown = line if len(line) <= 120 else line[:117] + "..."
        raise InputError(f"{path} line {number}: the header says {other} ({shown}) but genome_build is "
                         f"{build}; set genome_build: {other} for this cohort, or give the {build} file")


def other_build_spans(build: str) -> list[tuple[str, int, int]]:
    """The ROS1 locus of each *other* build as (build, start, end) on chromosome 6."""
    from .transcript import BUILDS, transcript

    spans = []
    for other in BUILDS:
        if other != build:
            tx = transcript(other)
            spans.append((other, tx.start - LOCUS_FLANK, tx.end + LOCUS_FLANK))
    return spans


def wrong_build_error(path, build: str, other: str, where: str) -> InputError:
    """The error for records that sit in ``other``'s ROS1 locus and none in ``build``'s."""
    return InputError(f"{path}: {where} lies in the {other} ROS1 locus and no record in the {build} one; the file "
                      f"was made on {other}: set genome_build: {other} for this cohort, or give the {build} file")
