"""Fusion call files: format detection and parsers to one junction model.

The junction model
------------------
Every caller's record becomes a :class:`Call`: two :class:`Breakend` s (``a``, ``b``) with the
1-based position of the break and, where the format tells it, the **side kept**: ``left`` = the
bases at and below ``pos`` stay in the rearranged molecule, ``right`` = the bases at and above.
Text formats also state which gene is 5' (``stated_5prime``: ``a`` is 5'); a VCF may name its 5'
and 3' genes in INFO (``named``, placed on the breakends by :mod:`.classify`).  Gene names are
passed on as the caller wrote them; :mod:`.classify` normalises them and orients the fusion.

Formats and their rules
-----------------------
* **VCF** (Manta, DELLY, GRIDSS, SvABA, LUMPY, FusionCatcher). BND ALT notation (VCF 4.2 §5.4),
  ``t`` the REF base and ``p`` the mate position: ``t[p[`` this side left, mate right; ``t]p]``
  left, mate left; ``]p]t`` right, mate left; ``[p[t`` right, mate right. The text before the
  bracket says this record keeps its left side; ``[`` says the mate keeps its right side. Both
  mates of a pair (``MATEID``, GRIDSS' older ``PARID``) describe one junction and are read once
  (the larger of their supports). Mates that join the same two positions but disagree on a side
  kept (FusionCatcher writes every pair as if both genes were on +) give no side at all; then INFO
  that names the 5' and 3' genes (``GENE5``/``GENE3``, else the Ensembl ids ``GENS5``/``GENS3``)
  orients the junction, as a text format's column order does, and without it the orientation is
  unknown. DELLY's bracket-less ``<TRA>``/``<BND>`` use ``CHR2``/``POS2`` and ``CT`` (``3to5``:
  this left, mate right; ``5to3``; ``3to3``; ``5to5``). Intra-chromosomal symbolic records
  (GOPC-ROS1 and EZR-ROS1 are both on chr6): ``DEL`` joins POS (left) to END+1 (right); ``DUP``
  joins END (left) to POS+1 (right); ``INV`` makes two junctions, POS/END both left and
  POS+1/END+1 both right; Manta's ``INV3``/``INV5`` flags or DELLY's ``CT=3to3``/``5to5`` keep
  one. Single breakends (``G.``, ``.G``; GRIDSS writes many, with their inserted sequence) name no
  partner, and a passing breakend whose MATEID is not in the file is half a pair that the caller
  or a filter removed (PURPLE's PON filter does): both are skipped, with one warning per file
  giving the count and the first record. A BND/TRA with no mate position at all (no bracket
  notation, no CHR2/POS2) is an input error. FILTER follows the config's policy. Support is the
  tumour column's alt reads: Manta PR+SR, DELLY DV+RV, GRIDSS VF, SvABA SR+DR (else AD), else INFO
  SR+PE (or SR+SP when the header describes SP as read pairs: FusionCatcher) / SU / VF. The tumour
  column: the sheet's ``tumor_sample``, else ``##tumor_sample=``, else the one sample named like
  "tumour", else the last column (Manta/SvABA put it last). With ``genome_build`` given, a header
  that names another build (chromosome 6's length, ``##reference``/``##assembly``) is an input
  error (:mod:`ros1trace.reference.builds`). Records are read as text (:mod:`.vcf_text`: a line htslib cannot
  parse is one error naming it, never a crash); a BCF through cyvcf2.
* **Arriba** ``fusions.tsv``: ``gene1`` is 5' when the transcribed strands (after the slash in
  ``strand1(gene/fusion)``) are known; ``direction1/2`` give the side kept (``downstream`` = the
  partner lies at higher coordinates, so the left side is kept).  Support = split_reads1 +
  split_reads2 + discordant_mates.  Intergenic genes ``A(123),B(456)`` name no gene.
* **STAR-Fusion** (``#FusionName``/older ``#fusion_name`` headers, ``JunctionReadCount`` or
  ``JunctionReads``) and the tools writing its table (FusionInspector, ctat-LR-fusion):
  ``LeftGene`` is 5'; ``LeftBreakpoint`` = ``chr:pos:strand`` (gene strand); genes as
  ``SYMBOL^ENSG…``.  Support = junction reads + spanning fragments; ctat-LR-fusion's long reads
  (``num_LR``) count as junction reads.
* **FusionCatcher** ``final-list_candidate-fusion-genes.txt``: gene 1 is 5'; fusion points
  ``chrom:pos:strand``; support = Spanning_pairs + Spanning_unique_reads.
* **Generic TSV** (docs/inputs.md, Fusion calls): ``gene5 gene3 chrom5 pos5 chrom3 pos3``
  [+ ``strand5 strand3 support``].

Detection reads the header only: VCF magic/``##fileformat=VCF`` (plain, gzip or BCF), then the
column names (Arriba ``gene1``+``breakpoint1``, STAR-Fusion ``LeftGene``/``FusionName``,
FusionCatcher ``Gene_1_symbol(5end_fusion_partner)``, generic ``gene5``/``chrom5``); the sheet's
``fusion_format`` overrides it. In the text formats a row may leave off empty trailing cells
(FusionInspector does): they are read as empty; a row that ends before a needed column, or has more
cells than the header, is an input error. Chromosomes may be named ``6`` or ``chr6``; unplaced/alt
scaffolds are legal; any other name is an input error. Every error is one line naming file, line and
fix.

The writers of synthetic fusion files (the inverse of these parsers) are in
:mod:`ros1trace.synthetic.fusion_files`.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..reference.builds import check_header
from .genes import chrom_kind, norm_chrom, open_text
from .vcf_text import Header, read_header, records

log = logging.getLogger(__name__)

FORMATS = ("vcf", "arriba", "star-fusion", "fusioncatcher", "tsv")
LEFT, RIGHT = "left", "right"
FIX_FORMAT = "set fusion_format in the sample sheet to one of " + ", ".join(FORMATS)


# -- the junction model ------------------------------------------------------------------------
@dataclass(frozen=True)
class Breakend:
    chrom: str  # as the input names it
    pos: int  # 1-based
    side: str | None = None  # LEFT: bases <= pos kept; RIGHT: bases >= pos kept; None: not told
    gene: str | None = None  # the caller's gene field, raw
    strand: str | None = None  # the gene's strand when the caller gives it


@dataclass
class Call:
    a: Breakend
    b: Breakend
    stated_5prime: bool  # the format says a is the 5' gene
    support: int | None
    source_format: str
    source_record: str  # "file line N" (or "lines N+M" for a BND pair)
    named: tuple[str, str] | None = None  # (5' gene, 3' gene) as a VCF's INFO names them, not yet placed
    note: str = ""  # what the reader had to decide about this record (goes to class_reason)


def kept_side(role: str, strand: str) -> str:
    """Side of the break a gene keeps: its 5' part is upstream (left on +), its 3' part downstream."""
    return LEFT if (role == "5") == (strand == "+") else RIGHT


def _bad(where: str, problem: str, fix: str) -> InputError:
    return InputError(f"{where}: {problem}; {fix}")


def _check_chrom(chrom: str, where: str, known: set[str] = frozenset()) -> str:
    if chrom in known or chrom_kind(chrom) != "unknown":
        return chrom
    raise _bad(where, f"unknown chromosome {chrom!r}",
               "name chromosomes 1-22, X, Y, MT (with or without 'chr') of the configured genome_build")


def _integer(text: str, where: str, column: str) -> int | None:
    text = text.strip()
    if text in ("", ".", "NA"):
        return None
    try:
        value = int(float(text)) if float(text).is_integer() else int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise _bad(where, f"column {column} is {text!r}, not a whole number >= 0", "fix or empty the value")
    return value


# -- detection ---------------------------------------------------------------------------------
def _is_bcf(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(3)
    if head[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as handle:
            head = handle.read(3)
    return head == b"BCF"


def _header_columns(path: Path) -> tuple[int, list[str]]:
    """(line number, lower-cased names) of a text table's header: the first line not ``##``."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip() and not line.startswith("##"):
                return number, [c.strip().lower() for c in line.rstrip("\r\n").lstrip("#").split("\t")]
    raise _bad(str(path), "the file is empty", "give the caller's output file (with its header line)")


def detect_format(path: str | Path) -> str:
    """The file's format from its header (see the module header for the rules)."""
    path = Path(path)
    if _is_bcf(path):
        return "vcf"
    try:
        with open_text(path) as handle:
            first = handle.readline()
        if first.startswith("##fileformat=VCF"):
            return "vcf"
        _, columns = _header_columns(path)
    except (UnicodeDecodeError, OSError, EOFError):
        raise _bad(str(path), "not a text file, VCF or BCF", FIX_FORMAT) from None
    names = set(columns)
    if names & {"leftgene", "leftbreakpoint", "fusionname", "fusion_name"}:
        return "star-fusion"
    if "gene1" in names and names & {"breakpoint1", "breakpoint2", "strand1(gene/fusion)"}:
        return "arriba"
    if any(c.startswith("gene_1_symbol") or c.startswith("fusion_point_for_gene_1") for c in columns):
        return "fusioncatcher"
    if names & {"gene5", "chrom5", "pos5"}:
        return "tsv"
    raise _bad(f"{path} line 1", "cannot tell the fusion format from the header "
               f"({' '.join(columns[:6])}...)", FIX_FORMAT)


# -- text formats ------------------------------------------------------------------------------
def _table(path: Path, fmt: str, columns: dict[str, tuple[str, ...]], required: Iterable[str]
           ) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (where, {canonical column: text}) for each data line of a tab-separated caller file."""
    header_line, header = _header_columns(path)
    index = {}
    for name, aliases in columns.items():
        found = [header.index(a) for a in aliases if a in header]
        if found:
            index[name] = min(found)
    missing = [name for name in required if name not in index]
    if missing:
        raise _bad(f"{path} line {header_line}", f"{fmt} header lacks column(s) {', '.join(missing)}",
                   f"give the caller's unmodified output (tab-separated) or {FIX_FORMAT}")
    needed = sorted(required, key=index.get)
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if number <= header_line or not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\r\n").split("\t")
            where = f"{path} line {number}"
            cut = next((name for name in needed if index[name] >= len(cells)), None)
            if len(cells) > len(header) or cut:
                ends = f" (the row ends before column {cut})" if cut else ""
                raise _bad(where, f"{len(cells)} fields, the header has {len(header)}{ends}",
                           "keep one tab between columns and no tabs inside values")
            # FusionInspector leaves off empty trailing columns: they are empty cells
            yield where, {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}


def _locus(text: str, where: str, column: str) -> tuple[str, int, str | None]:
    """``chr6:117324415`` or ``chr6:117324415:-`` -> (chrom, pos, strand or None)."""
    parts = text.split(":")
    strand = parts.pop() if len(parts) >= 3 and parts[-1] in ("+", "-", ".") else None
    if len(parts) < 2 or not re.fullmatch(r"[0-9]{1,18}", parts[-1]):  # ASCII digits: '²'.isdigit() is true
        raise _bad(where, f"column {column} is {text!r}, not chrom:position", "fix the breakpoint")
    chrom = _check_chrom(":".join(parts[:-1]), f"{where}, column {column}")
    return chrom, int(parts[-1]), strand if strand in ("+", "-") else None


def _total(values: dict[str, str], where: str, names: Iterable[str]) -> int | None:
    counts = [_integer(values[n], where, n) for n in names if n in values]
    counts = [c for c in counts if c is not None]
    return sum(counts) if counts else None


def _columns(names: str, **older: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Column name (as the caller writes it) -> accepted header spellings (lower case)."""
    return {name: (name.lower(), *older.get(name, ())) for name in names.split()}


ARRIBA_COLUMNS = _columns("gene1 gene2 strand1(gene/fusion) strand2(gene/fusion) breakpoint1 breakpoint2 "
                          "split_reads1 split_reads2 discordant_mates direction1 direction2")
ARRIBA_DIRECTION = {"downstream": LEFT, "upstream": RIGHT}


def read_arriba(path: Path) -> list[Call]:
    calls = []
    required = [c for c in ARRIBA_COLUMNS if not c.startswith("direction")]  # older Arriba lacks them
    for where, v in _table(path, "Arriba", ARRIBA_COLUMNS, required):
        ends, transcribed = [], []
        for i in "12":
            chrom, pos, _ = _locus(v[f"breakpoint{i}"], where, f"breakpoint{i}")
            gene_strand, _, fusion_strand = v[f"strand{i}(gene/fusion)"].partition("/")
            transcribed.append(fusion_strand in ("+", "-"))
            ends.append(Breakend(chrom, pos, ARRIBA_DIRECTION.get(v.get(f"direction{i}", "")), v[f"gene{i}"],
                                 gene_strand if gene_strand in ("+", "-") else None))
        support = _total(v, where, ("split_reads1", "split_reads2", "discordant_mates"))
        calls.append(Call(ends[0], ends[1], all(transcribed), support, "arriba", where))
    return calls


STAR_COLUMNS = _columns("LeftGene LeftBreakpoint RightGene RightBreakpoint JunctionReadCount "
                        "SpanningFragCount", JunctionReadCount=("junctionreads", "num_lr"),
                        SpanningFragCount=("spanningfrags",))  # older STAR-Fusion, ctat-LR-fusion


def read_star_fusion(path: Path) -> list[Call]:
    calls = []
    for where, v in _table(path, "STAR-Fusion", STAR_COLUMNS, list(STAR_COLUMNS)[:4]):
        ends = []
        for side in ("Left", "Right"):
            chrom, pos, strand = _locus(v[f"{side}Breakpoint"], where, f"{side}Breakpoint")
            ends.append(Breakend(chrom, pos, None, v[f"{side}Gene"], strand))
        support = _total(v, where, ("JunctionReadCount", "SpanningFragCount"))
        calls.append(Call(ends[0], ends[1], True, support, "star-fusion", where))
    return calls


def fc_column(pattern: str, gene: str) -> str:
    """FusionCatcher's column name for gene 1 (5' end) or 2 (3' end)."""
    return pattern.format(gene, "5" if gene == "1" else "3")


FC_GENE = "Gene_{}_symbol({}end_fusion_partner)"
FC_POINT = "Fusion_point_for_gene_{}({}end_fusion_partner)"
FC_ID = "Gene_{}_id({}end_fusion_partner)"
FC_COLUMNS = _columns(" ".join(fc_column(p, g) for p in (FC_GENE, FC_POINT, FC_ID) for g in "12")
                      + " Spanning_pairs Spanning_unique_reads")


def read_fusioncatcher(path: Path) -> list[Call]:
    calls = []
    for where, v in _table(path, "FusionCatcher", FC_COLUMNS, list(FC_COLUMNS)[:4]):
        ends = []
        for i in "12":
            chrom, pos, strand = _locus(v[fc_column(FC_POINT, i)], where, fc_column(FC_POINT, i))
            ends.append(Breakend(chrom, pos, None, v[fc_column(FC_GENE, i)] or v.get(fc_column(FC_ID, i)), strand))
        support = _total(v, where, ("Spanning_pairs", "Spanning_unique_reads"))
        calls.append(Call(ends[0], ends[1], True, support, "fusioncatcher", where))
    return calls


TSV_REQUIRED = "gene5 gene3 chrom5 pos5 chrom3 pos3".split()
TSV_COLUMNS = _columns(" ".join(TSV_REQUIRED) + " strand5 strand3 support")


def read_generic(path: Path) -> list[Call]:
    calls = []
    for where, v in _table(path, "generic fusion TSV", TSV_COLUMNS, TSV_REQUIRED):
        ends = []
        for i in "53":
            pos = _integer(v[f"pos{i}"], where, f"pos{i}")
            if pos is None:
                raise _bad(where, f"column pos{i} is empty", "give the 1-based breakpoint position")
            strand = v.get(f"strand{i}", "")
            ends.append(Breakend(_check_chrom(v[f"chrom{i}"], f"{where}, column chrom{i}"), pos, None,
                                 v[f"gene{i}"], strand if strand in ("+", "-") else None))
        calls.append(Call(ends[0], ends[1], True, _total(v, where, ("support",)), "tsv", where))
    return calls


# -- VCF ---------------------------------------------------------------------------------------
BRACKET = re.compile(r"^(?P<pre>[^\[\]]*)(?P<bracket>[\[\]])(?P<chrom>.+):(?P<pos>[0-9]{1,18})[\[\]]"
                     r"(?P<post>[^\[\]]*)$")
SINGLE_BREAKEND = re.compile(r"^(\.[A-Za-z]+|[A-Za-z]+\.)$")
CT_SIDES = {"3": LEFT, "5": RIGHT}  # DELLY CT "3to5": this end keeps left, the mate keeps right


# INFO keys that name the 5' and the 3' gene of the fused transcript (FusionCatcher; its Ensembl ids)
STATED_GENE_KEYS = (("GENE5", "GENE3"), ("GENS5", "GENS3"))


@dataclass
class _VcfJunction:
    a: Breakend
    b: Breakend
    support: int | None
    line: int
    record_id: str
    mates: tuple[str, ...] = ()
    named: tuple[str, str] | None = None
    note: str = ""


@dataclass
class _Skipped:
    """Records of one kind left out of a VCF: a count and the first, for one warning per file."""

    what: str
    count: int = 0
    first: str = ""

    def add(self, where: str) -> None:
        self.count += 1
        self.first = self.first or where


def parse_bracket_alt(alt: str) -> tuple[str, str, int, str] | None:
    """``t[p[``-style ALT -> (this side, mate chrom, mate pos, mate side); None if not one."""
    match = BRACKET.match(alt)
    if not match or (match["pre"] and match["post"]):
        return None
    return (LEFT if match["pre"] else RIGHT, match["chrom"], int(match["pos"]),
            RIGHT if match["bracket"] == "[" else LEFT)


def _tumour_column(header: Header, path: Path, tumor_sample: str | None) -> int | None:
    samples = header.samples
    if not samples:
        return None
    if tumor_sample in samples:
        return samples.index(tumor_sample)
    if tumor_sample:
        log.warning("%s: tumor_sample %s is not a sample of this VCF (%s); choosing by name",
                    path, tumor_sample, ", ".join(samples))
    hinted = re.search(r"^##tumou?r_sample=(.+)$", header.text, re.M | re.I)
    if hinted and hinted[1].strip() in samples:
        return samples.index(hinted[1].strip())
    named = [i for i, s in enumerate(samples) if re.search("tumou?r", s, re.I)]
    return named[0] if len(named) == 1 else len(samples) - 1


def _format_counts(record, key: str, column: int) -> list[int] | None:
    return record.format_ints(key, column)


def _vcf_support(record, column: int | None, pair_keys: tuple[str, ...] = ("PE",)) -> int | None:
    """Alt-supporting reads of the tumour column, whatever the caller (see module header)."""
    if column is not None:
        pairs = [_format_counts(record, k, column) for k in ("PR", "SR")]  # Manta: ref,alt
        if any(p and len(p) == 2 for p in pairs):
            return sum(p[1] for p in pairs if p and len(p) == 2)
        for keys in (("DV", "RV"), ("VF",), ("SR", "DR")):  # DELLY, GRIDSS, SvABA
            values = [_format_counts(record, k, column) for k in keys]
            if any(values):
                return sum(v[0] for v in values if v)
        depth = _format_counts(record, "AD", column)
        if depth and len(depth) >= 2:
            return depth[1]
    info = [record.INFO.get(k) for k in ("SR", *pair_keys)]
    if any(isinstance(v, int) for v in info):
        return sum(v for v in info if isinstance(v, int))
    for key in ("SU", "VF"):
        if isinstance(record.INFO.get(key), int):
            return record.INFO.get(key)
    return None


def _first_int(value) -> int | None:
    """An INFO value as one integer (the first of several); None when it is not one."""
    value = value[0] if isinstance(value, tuple) and value else value
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value):
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _end(record, where: str) -> int:
    end, svlen = _first_int(record.INFO.get("END")), _first_int(record.INFO.get("SVLEN"))
    if end is None and svlen is not None:
        end = record.POS + abs(svlen)
    if end is None and any(a.startswith("<") for a in record.ALT):
        raise _bad(where, "symbolic SV without END or SVLEN", "keep the caller's END field")
    return end if end is not None else record.POS + len(record.REF) - 1


def _record_junctions(record, where: str, contigs: set[str], singles: _Skipped | None = None
                      ) -> list[tuple[Breakend, Breakend]]:
    """The junctions one SV record describes (see the module header for each notation)."""
    svtype = str(record.INFO.get("SVTYPE") or "").upper()
    alts = [str(a) for a in record.ALT]
    here = _check_chrom(record.CHROM, where, contigs)
    junctions = []
    for alt in alts:
        parsed = parse_bracket_alt(alt)
        if parsed:
            side, mate_chrom, mate_pos, mate_side = parsed
            _check_chrom(mate_chrom, f"{where}, ALT {alt}", contigs)
            junctions.append((Breakend(here, record.POS, side), Breakend(mate_chrom, mate_pos, mate_side)))
        elif SINGLE_BREAKEND.match(alt):
            if singles is not None:  # counted: GRIDSS writes hundreds, each with its inserted sequence
                singles.add(f"{where} (ID {record.ID or '.'})")
        elif svtype in ("BND", "TRA") or alt in ("<BND>", "<TRA>"):
            junctions.append(_delly_translocation(record, where, here, contigs))
        elif svtype == "DEL" or alt.startswith("<DEL"):
            end = _end(record, where)
            junctions.append((Breakend(here, record.POS, LEFT), Breakend(here, end + 1, RIGHT)))
        elif svtype == "DUP" or alt.startswith("<DUP"):
            end = _end(record, where)
            junctions.append((Breakend(here, end, LEFT), Breakend(here, record.POS + 1, RIGHT)))
        elif svtype == "INV" or alt.startswith("<INV"):
            junctions += _inversion(record, where, here)
    return junctions


def _delly_translocation(record, where: str, here: str, contigs: set[str]) -> tuple[Breakend, Breakend]:
    mate_chrom = record.INFO.get("CHR2")
    mate_pos = _first_int(record.INFO.get("POS2")) or _first_int(record.INFO.get("END"))
    if not isinstance(mate_chrom, str) or mate_pos is None:
        raise _bad(where, f"BND/TRA record {record.ID or '.'} names no mate (no bracket ALT, no CHR2/POS2)",
                   "give the caller's unfiltered SV VCF, with both breakends of every junction")
    ct = str(record.INFO.get("CT") or "")
    sides = (CT_SIDES.get(ct[:1]), CT_SIDES.get(ct[-1:])) if re.fullmatch(r"[35]to[35]", ct) else (None, None)
    mate_chrom = _check_chrom(str(mate_chrom), where, contigs)
    return Breakend(here, record.POS, sides[0]), Breakend(mate_chrom, mate_pos, sides[1])


def _inversion(record, where: str, here: str) -> list[tuple[Breakend, Breakend]]:
    end, ct = _end(record, where), str(record.INFO.get("CT") or "")
    left = (Breakend(here, record.POS, LEFT), Breakend(here, end, LEFT))
    right = (Breakend(here, record.POS + 1, RIGHT), Breakend(here, end + 1, RIGHT))
    if record.INFO.get("INV3") or ct == "3to3":
        return [left]
    if record.INFO.get("INV5") or ct == "5to5":
        return [right]
    return [left, right]


def _passes(record, policy: str, accepted: Iterable[str]) -> bool:
    if policy == "all" or record.FILTER in (None, "PASS", "."):
        return True
    return policy == "accepted" and set(str(record.FILTER).split(";")) <= set(accepted)


def _mate_ids(record) -> list[str]:
    value = record.INFO.get("MATEID") or record.INFO.get("PARID")
    if value is None:
        return []
    return [v for v in (value if isinstance(value, tuple) else str(value).split(",")) if v]


def vcf_header(path: Path) -> list[str]:
    """The header lines of a VCF (a BCF's as htslib prints it), in file order, up to ``#CHROM``."""
    return read_header(path, _is_bcf(path)).lines


def read_vcf(path: Path, tumor_sample: str | None = None, filter_policy: str = "pass_only",
             accepted_filters: Iterable[str] = (), build: str | None = None) -> list[Call]:
    bcf = _is_bcf(path)
    header = read_header(path, bcf)
    if not (header.lines and header.lines[-1].startswith("#CHROM")):
        raise _bad(f"{path} line {len(header.lines) + 1}", "the VCF header ends without its #CHROM line",
                   "give the caller's VCF with its whole header")
    if build:
        check_header(path, header.lines, build)
    junctions = _vcf_junctions(header, path, bcf, tumor_sample, filter_policy, accepted_filters)
    return _merge_mates(junctions, path, not bcf)


def _stated_genes(record) -> tuple[str, str] | None:
    for five, three in STATED_GENE_KEYS:
        names = (record.INFO.get(five), record.INFO.get(three))
        if all(isinstance(n, str) and n not in ("", ".") for n in names):
            return names
    return None


def _describes_pairs(header: Header, key: str) -> bool:
    """Does the header declare INFO ``key`` as a count of read pairs (FusionCatcher's SP)?"""
    return bool(re.search(rf'^##INFO=<ID={key},.*Description="[^"]*\bpairs\b', header.text, re.M | re.I))


def _vcf_junctions(header: Header, path: Path, bcf: bool, tumor_sample: str | None, filter_policy: str,
                   accepted_filters: Iterable[str]) -> list[_VcfJunction]:
    """Every junction of the passing SV records; a passing breakend whose mate is not in the file
    is left out (the caller or a filter removed half of its pair), as are single breakends."""
    contigs, column = header.contigs, _tumour_column(header, path, tumor_sample)
    pair_keys = ("PE", "SP") if _describes_pairs(header, "SP") else ("PE",)
    ids, junctions = set(), []
    filtered = 0
    singles = _Skipped("single breakends (ALT like G. or .G) that name no partner")
    for where, record in records(path, header, bcf):
        line = int(where.rsplit(" ", 1)[1])
        ids.add(record.ID)
        if not _passes(record, filter_policy, accepted_filters):
            filtered += 1
            continue
        mates, named = tuple(_mate_ids(record)), _stated_genes(record)
        for a, b in _record_junctions(record, where, contigs, singles):
            support = _vcf_support(record, column, pair_keys)
            junctions.append(_VcfJunction(a, b, support, line, record.ID or ".", mates, named))
    unpaired = _Skipped("breakends whose MATEID is not in the file (filtered record by record)")
    paired = []
    for junction in junctions:
        if junction.mates and not any(mate in ids for mate in junction.mates):
            unpaired.add(f"{path} {'record' if bcf else 'line'} {junction.line} "
                         f"(ID {junction.record_id}, MATEID {','.join(junction.mates)})")
        else:
            paired.append(junction)
    if filtered:
        log.info("%s: %d records do not pass filter_policy %s; not read", path, filtered, filter_policy)
    for skipped in (unpaired, singles):
        if skipped.count:
            log.warning("%s: %d %s skipped; the first: %s", path, skipped.count, skipped.what,
                        skipped.first.removeprefix(f"{path} "))
    return paired


def _ends_key(junction: _VcfJunction, sides: bool = True) -> tuple:
    return tuple(sorted((norm_chrom(e.chrom), e.pos, (e.side or "") if sides else "")
                        for e in (junction.a, junction.b)))


def _unsided(junction: _VcfJunction) -> None:
    junction.a = Breakend(junction.a.chrom, junction.a.pos, None, junction.a.gene, junction.a.strand)
    junction.b = Breakend(junction.b.chrom, junction.b.pos, None, junction.b.gene, junction.b.strand)
    stated = f" (5'/3' from INFO {junction.named[0]}/{junction.named[1]})" if junction.named else ""
    junction.note = "the two BND mates' bracket notations disagree on the sides kept: sides not used" + stated


def _merge_mates(junctions: list[_VcfJunction], path: Path, numbered: bool) -> list[Call]:
    """One call per junction: the two mates of a BND pair (or a repeated record) become one.

    Mates (by MATEID) that join the same two positions but disagree on a side kept say nothing
    reliable about sides: both lose them (FusionCatcher writes every pair as if both genes were on
    +), and the junction is oriented by the 5' gene the file states, if it states one.
    """
    by_id: dict[str, list[_VcfJunction]] = {}
    for junction in junctions:
        by_id.setdefault(junction.record_id, []).append(junction)
    for junction in junctions:
        for mate in (m for mate_id in junction.mates for m in by_id.get(mate_id, ())):
            same_places = _ends_key(mate, False) == _ends_key(junction, False)
            if same_places and _ends_key(mate) != _ends_key(junction):
                _unsided(junction)
                _unsided(mate)
    merged: dict[tuple, list[_VcfJunction]] = {}
    for junction in junctions:
        merged.setdefault(_ends_key(junction), []).append(junction)
    calls = []
    for group in merged.values():
        first = group[0]
        supports = [j.support for j in group if j.support is not None]
        lines = "+".join(str(j.line) for j in group)
        ids = "/".join(j.record_id for j in group)
        where = f"{path} {'line' if numbered else 'record'}{'s' if len(group) > 1 else ''} {lines} (ID {ids})"
        named = next((j.named for j in group if j.named), None)
        calls.append(Call(first.a, first.b, False, max(supports) if supports else None, "vcf", where, named,
                          first.note))
    return calls


# -- dispatch ----------------------------------------------------------------------------------
READERS = {"arriba": read_arriba, "star-fusion": read_star_fusion, "fusioncatcher": read_fusioncatcher,
           "tsv": read_generic}


def read_calls(path: str | Path, fmt: str | None = None, tumor_sample: str | None = None,
               filter_policy: str = "pass_only", accepted_filters: Iterable[str] = (),
               build: str | None = None) -> tuple[str, list[Call]]:
    """(format, calls) of one fusion file; ``fmt`` overrides detection.  With ``build``, a VCF whose
    header names another build is an input error (see :mod:`ros1trace.reference.builds`)."""
    path = Path(path)
    if not path.is_file():
        raise _bad(str(path), "fusion file not found", "check the fusions column of the sample sheet")
    try:
        fmt = fmt or detect_format(path)
        if fmt not in FORMATS:
            raise _bad(str(path), f"unknown fusion_format {fmt!r}", FIX_FORMAT)
        if fmt == "vcf":
            return fmt, read_vcf(path, tumor_sample, filter_policy, accepted_filters, build)
        return fmt, READERS[fmt](path)
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as error:  # truncated gzip, binary bytes
        raise _bad(str(path), f"cannot be read as text ({type(error).__name__}: {error})",
                   "give the caller's output file, plain or gzip-compressed, whole") from None
