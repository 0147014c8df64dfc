"""Where a VCF's lines come from: its header, and the data lines overlapping some regions.

* bgzipped VCF with a .tbi/.csi index: htslib's tabix reader (pysam) fetches only the lines of
  each region, so the cost does not grow with the file.  The lines stay text: splitting a line in
  Python is 3x cheaper than building an htslib record and reading it back field by field, and the
  annotated copy of a record is then its input line with one INFO entry added.
* bgzipped VCF without an index: htslib indexes it once into a temporary .tbi (one pass in C,
  3x faster than reading the records in Python), then as above.  An unsorted file cannot be
  indexed and is streamed instead.
* plain-text or plain-gzip VCF: streamed once; lines outside the regions are skipped on CHROM and
  POS alone.  Streamed lines carry their line number, for error messages.
* BCF (binary): read through cyvcf2 (index query with a .csi, else streamed), each record turned
  into its VCF text line by htslib.

A record's span is POS .. POS + len(REF) - 1, or INFO END when that is larger (gVCF blocks), as
tabix computes it.  ``chr6`` and ``6`` name one contig, whichever spelling the file uses.

Lines are decoded as latin-1: every byte is one character, so a line written back is the input's
bytes whatever their encoding.
"""

from __future__ import annotations

import gzip
import logging
import re
import tempfile
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..reference.genome import contig_aliases, resolve_contig

log = logging.getLogger(__name__)
ENCODING = "latin-1"
_END = re.compile(r"(?:^|;)END=([0-9]{1,18})(?:;|$)")


def is_count(text: str) -> bool:
    """A non-negative integer as VCF writes one: ASCII digits (``str.isdigit`` also takes '²'), at
    most 18 of them (a longer one is no coordinate or count, and Python refuses to parse 4,300+)."""
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()


@dataclass(frozen=True)
class Region:
    chrom: str  # any spelling (6 or chr6)
    start: int
    end: int


def record_end(pos: int, ref: str, info: str) -> int:
    """Last base a record covers: REF's end, or INFO END when larger (tabix's rule)."""
    end = pos + len(ref) - 1
    if "END=" in info:
        match = _END.search(info)
        if match:
            end = max(end, int(match[1]))
    return end


def _spans_by_contig(regions: list[Region]) -> dict[str, list[tuple[int, int]]]:
    """Each region's (start, end) under both spellings of its contig (6 and chr6), for streaming."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    for region in regions:
        for name in contig_aliases(region.chrom):
            wanted.setdefault(name, []).append((region.start, region.end))
    return wanted


# What a damaged or cut gzip stream raises in Python's reader: an OSError (BadGzipFile), EOFError
# (cut short) or zlib.error (a flipped bit).
DAMAGED_STREAM = (OSError, EOFError, zlib.error)
HEADER_SCAN_LINES = 10_000
MAX_HEADER_LINE = 1 << 20  # bytes read at most per header line: a file without line breaks is no VCF  # how far to look for #CHROM in a file without ##fileformat


def _sniff(path: Path) -> tuple[str, list[str], list[int]]:
    """(kind, header lines, numbers of stray lines) in one read of the file's start.

    kind: ``bgzf_vcf``, ``gzip_vcf``, ``vcf``, ``bcf`` or ``unknown``; the header lines (up to and
    including ``#CHROM``) only for text VCFs.  A file that does not open with ``##fileformat=VCF``
    is still a VCF when a ``#CHROM`` line follows its ``##`` lines (SnpEff's examples; tools that
    rewrite headers): the stray lines (non-``#`` lines before ``#CHROM``, e.g. a log line a tool
    printed into its output) are listed by number so the reader can say they were skipped.
    """
    with open(path, "rb") as handle:
        head = handle.read(18)
    compressed = head[:2] == b"\x1f\x8b"
    stray: list[int] = []
    with gzip.open(path, "rb") if compressed else open(path, "rb") as handle:
        first = handle.readline(MAX_HEADER_LINE)
        if first.startswith(b"BCF"):
            return "bcf", [], []
        if len(first) == MAX_HEADER_LINE and not first.endswith(b"\n"):
            return "unknown", [], []  # a megabyte without a line break: no VCF (a binary or sparse file)
        header = [first]
        if first.startswith(b"##fileformat=VCF"):
            for line in iter(lambda: handle.readline(MAX_HEADER_LINE), b""):
                header.append(line)
                if not line.startswith(b"##"):
                    break
        else:
            if not first.startswith(b"#"):
                stray.append(1)
                header = []
            for number, line in enumerate(iter(lambda: handle.readline(MAX_HEADER_LINE), b""), start=2):
                if line.startswith(b"#CHROM"):
                    header.append(line)
                    break
                if number > HEADER_SCAN_LINES or (not line.startswith(b"#") and header):
                    return "unknown", [], []  # records before any #CHROM line: no column names
                if line.startswith(b"#"):
                    header.append(line)
                else:
                    stray.append(number)
            else:
                return "unknown", [], []
    if not compressed:
        kind = "vcf"
    else:
        kind = "bgzf_vcf" if len(head) == 18 and head[3] & 4 and head[12:14] == b"BC" else "gzip_vcf"
    return kind, [line.decode(ENCODING).rstrip("\r\n") for line in header], stray


class LineSource:
    """The header lines and region-filtered data lines of one VCF/BCF file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.kind, self.header, stray = _sniff(self.path)
        except DAMAGED_STREAM as exc:
            raise InputError(f"{self.path}: cannot be read ({exc}); give a VCF, bgzipped VCF or BCF") from exc
        if self.kind == "unknown":
            raise InputError(f"{self.path}: not a VCF (no ##fileformat=VCF first line and no #CHROM header line "
                             "before the records); give a VCF, bgzipped VCF or BCF")
        if self.kind != "bcf" and not self.header[0].startswith("##fileformat=VCF"):
            skipped = f"; line(s) {', '.join(map(str, stray[:5]))} before the header are not VCF and were skipped" \
                if stray else ""
            log.warning("%s: no ##fileformat line; read as a VCF from its #CHROM line%s", self.path, skipped)
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._tabix = None
        self._bcf = None
        if self.kind == "bcf":
            self._open_bcf()
        else:
            if not self.header[-1].startswith("#CHROM"):
                raise InputError(f"{self.path} line {len(self.header)}: the header has no #CHROM line before "
                                 "the records; fix the VCF header")
            if self.kind == "bgzf_vcf":
                self._open_tabix()
        self.samples = self._samples()

    # -- opening ----------------------------------------------------------------------------------
    def _open_tabix(self) -> None:
        import pysam

        index = next((f"{self.path}{s}" for s in (".tbi", ".csi") if Path(f"{self.path}{s}").exists()), None)
        if index is None:
            index = self._temporary_index()
            if index is None:
                return
        try:
            self._tabix = pysam.TabixFile(str(self.path), index=index, encoding=ENCODING)
        except (OSError, ValueError) as exc:
            raise InputError(f"{self.path}: its index {index} cannot be read ({exc}); "
                             f"re-index with 'tabix -f -p vcf {self.path}'") from exc

    def _temporary_index(self) -> str | None:
        """Index a bgzipped, sorted VCF into a scratch .tbi; None (stream instead) when impossible."""
        import pysam

        self._scratch = tempfile.TemporaryDirectory(prefix="ros1trace-index-")
        index = str(Path(self._scratch.name) / "records.tbi")
        try:
            pysam.tabix_index(str(self.path), preset="vcf", index=index, force=True, keep_original=True)
        except (OSError, ValueError) as exc:
            log.info("%s: no temporary index (%s); streaming the file once", self.path, exc)
            self._scratch.cleanup()
            self._scratch = None
            return None
        return index

    def _open_bcf(self) -> None:
        import cyvcf2

        try:
            self._bcf = cyvcf2.VCF(str(self.path))
            self.header = self._bcf.raw_header.rstrip("\n").split("\n")  # decoded by cyvcf2: may fail too
        except Exception as exc:  # cyvcf2 raises bare Exception on unreadable files
            raise InputError(f"{self.path}: cannot be read as BCF ({type(exc).__name__}: {exc}); validate it with "
                             "'bcftools view'") from exc
        self._bcf_indexed = Path(f"{self.path}.csi").exists()

    def _samples(self) -> list[str]:
        columns = self.header[-1].split("\t")
        if len(columns) < 8:
            raise InputError(f"{self.path}: the #CHROM line has {len(columns)} columns, a VCF needs 8 "
                             "(#CHROM POS ID REF ALT QUAL FILTER INFO); fix the header")
        return columns[9:]

    # -- lines ------------------------------------------------------------------------------------
    def lines(self, regions: list[Region]) -> Iterator[tuple[int | None, str]]:
        """(line number or None, data line) for records overlapping any region, in file order per region."""
        if self._tabix is not None:
            yield from self._fetched(regions)
        elif self._bcf is not None:
            yield from self._bcf_lines(regions)
        else:
            yield from self._streamed(regions)

    def _fetched(self, regions: list[Region]) -> Iterator[tuple[None, str]]:
        contigs = set(self._tabix.contigs)
        for region in regions:
            contig = resolve_contig(region.chrom, contigs)
            if contig is None:
                continue
            try:
                for line in self._tabix.fetch(contig, region.start - 1, region.end):
                    yield None, line
            except (OSError, ValueError) as exc:  # a truncated or corrupt block
                raise InputError(f"{self.path}: htslib could not read the records in {contig}:{region.start}-"
                                 f"{region.end} ({exc}); check the file with 'bgzip -t' and re-index it") from exc

    def _streamed(self, regions: list[Region]) -> Iterator[tuple[int, str]]:
        wanted = _spans_by_contig(regions)
        opener = gzip.open if self.kind != "vcf" else open
        try:
            yield from self._streamed_lines(opener, wanted)
        except DAMAGED_STREAM as exc:  # a gzip stream cut or damaged after its first block
            raise InputError(f"{self.path}: cannot be read to its end ({exc}); check the file with "
                             f"'gzip -t {self.path}' (or 'bgzip -t') and write it again") from exc

    def _streamed_lines(self, opener, wanted) -> Iterator[tuple[int, str]]:
        with opener(self.path, "rt", encoding=ENCODING, newline="") as handle:
            for number, line in enumerate(handle, start=1):
                spans = wanted.get(line[:line.find("\t")])  # header lines never match a contig name
                if not spans:
                    continue
                fields = line.split("\t", 8)
                if len(fields) < 8:
                    raise InputError(f"{self.path} line {number}: {len(fields)} tab-separated fields, "
                                     "a VCF record needs 8 or more; fix the record")
                pos_text, ref, info = fields[1], fields[3], fields[7]
                if not is_count(pos_text):
                    raise InputError(f"{self.path} line {number}: POS {pos_text!r} is not a positive integer; "
                                     "fix the record")
                pos = int(pos_text)
                end = record_end(pos, ref, info)
                if any(s <= end and pos <= e for s, e in spans):
                    yield number, line.rstrip("\r\n")

    def _bcf_lines(self, regions: list[Region]) -> Iterator[tuple[None, str]]:
        try:
            if self._bcf_indexed:
                contigs = set(self._bcf.seqnames)
                for region in regions:
                    contig = resolve_contig(region.chrom, contigs)
                    if contig is None:
                        continue
                    with warnings.catch_warnings():  # an empty region is not worth a warning
                        warnings.filterwarnings("ignore", message="no intervals found")
                        for variant in self._bcf(f"{contig}:{region.start}-{region.end}"):
                            yield None, str(variant).rstrip("\n")
            else:
                import cyvcf2

                wanted = _spans_by_contig(regions)
                # A fresh reader each time: a cyvcf2 stream is read once, and callers read twice
                # (the variants, then the annotated copy).
                for variant in cyvcf2.VCF(str(self.path)):
                    spans = wanted.get(variant.CHROM)
                    if spans and any(s <= variant.end and variant.POS <= e for s, e in spans):
                        yield None, str(variant).rstrip("\n")
        except Exception as exc:  # htslib parse failures surface as bare Exceptions
            raise InputError(f"{self.path}: htslib could not read a BCF record ({exc}); "
                             "validate the file with 'bcftools view'") from exc

    def indexed_contigs(self) -> list[str] | None:
        """The contigs an index holds records for; None when the file is streamed (not known in advance)."""
        if self._tabix is not None:
            return list(self._tabix.contigs)
        if self._bcf is not None and self._bcf_indexed:
            return list(self._bcf.seqnames)
        return None

    def close(self) -> None:
        for handle in (self._tabix, self._bcf):
            if handle is not None:
                handle.close()
        self._tabix = self._bcf = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
