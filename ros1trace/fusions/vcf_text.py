"""SV VCF records as text: the header's declarations, each data line split into its fields.

Why text and not htslib's records: htslib hands back a record it could not parse (a line with
fewer than 8 columns, a POS that is not a number, a second ``#CHROM`` line) and cyvcf2 then reads
its fields from memory that is not there: a segmentation fault, not an error message.  Splitting
the line in Python costs nothing at the size of an SV VCF and keeps the file's own line numbers.
A BCF is read through cyvcf2 and each record printed back as its VCF line by htslib.

Rules
-----
* The header is every line up to and including ``#CHROM``; its sample names are the columns after
  FORMAT.  INFO/FORMAT ``Type=Integer`` values are read as integers, ``Flag`` as True, anything
  else (and keys the header does not declare, as htslib does) as text.  An integer that is not a
  whole number is taken as absent.
* A data line has the 8 fixed columns or more, POS a whole number; otherwise one ``InputError``
  naming the file and the line.  Empty lines are skipped.
* ``FILTER`` ``PASS`` or ``.`` is passing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from .genes import open_text

_DECLARATION = re.compile(r"^##(INFO|FORMAT)=<ID=([^,>]+).*?\bType=(\w+)", re.IGNORECASE)
_CONTIG = re.compile(r"^##contig=<ID=([^,>]+)", re.IGNORECASE)


@dataclass
class Header:
    lines: list[str]
    samples: list[str]
    info_types: dict[str, str] = field(default_factory=dict)
    format_types: dict[str, str] = field(default_factory=dict)
    contigs: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, lines: list[str]) -> Header:
        columns = lines[-1].split("\t") if lines and lines[-1].startswith("#CHROM") else []
        header = cls(lines, columns[9:])
        for line in lines:
            if declared := _DECLARATION.match(line):
                kind, key, value_type = declared.groups()
                types = header.info_types if kind.upper() == "INFO" else header.format_types
                types[key] = value_type.lower()
            elif contig := _CONTIG.match(line):
                header.contigs.add(contig[1])
        return header

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _integer(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d{1,18}", text) else None


def _value(text: str | None, value_type: str | None):
    if text is None:
        return True  # a flag
    if value_type == "integer":
        values = [_integer(v) for v in text.split(",")]
        if any(v is None for v in values):
            return None
        return values[0] if len(values) == 1 else tuple(values)
    return text


@dataclass
class Record:
    """One data line; the attribute names follow cyvcf2's, which this module replaces."""

    CHROM: str
    POS: int
    ID: str | None
    REF: str
    ALT: list[str]
    FILTER: str
    INFO: dict
    _format: list[str]
    _samples: list[str]
    _header: Header

    def format_ints(self, key: str, column: int) -> list[int] | None:
        """The integer values of FORMAT ``key`` in sample ``column`` (missing ones left out);
        None when the record has no such key or the header does not declare it an Integer."""
        declared = self._header.format_types.get(key)
        if key not in self._format or declared != "integer" or column >= len(self._samples):
            return None
        cells = self._samples[column].split(":")
        index = self._format.index(key)
        if index >= len(cells):
            return []
        return [v for v in (_integer(c) for c in cells[index].split(",")) if v is not None]


def parse(line: str, header: Header, where: str) -> Record:
    fields = line.split("\t")
    if len(fields) < 8:
        raise InputError(f"{where}: {len(fields)} tab-separated column(s), a VCF record has 8 or more; "
                         "fix or remove the line (CHROM POS ID REF ALT QUAL FILTER INFO ...)")
    pos = _integer(fields[1])
    if pos is None or pos < 0:
        raise InputError(f"{where}: POS {fields[1][:30]!r} is not a whole number; fix the record")
    info = {}
    if fields[7] not in ("", "."):
        for entry in fields[7].split(";"):
            key, has_value, text = entry.partition("=")
            if key:
                info[key] = _value(text if has_value else None, header.info_types.get(key))
    return Record(fields[0], pos, None if fields[2] in ("", ".") else fields[2], fields[3],
                  [a for a in fields[4].split(",") if a not in ("", ".")], fields[6], info,
                  fields[8].split(":") if len(fields) > 8 else [], fields[9:], header)


def read_header(path: Path, bcf: bool) -> Header:
    if bcf:
        from cyvcf2 import VCF

        try:
            vcf = VCF(str(path))
        except Exception as error:  # cyvcf2 raises a bare Exception for a header htslib cannot parse
            raise InputError(f"{path}: not a readable BCF ({error}); give a VCF/BCF, plain or "
                             "bgzipped") from None
        try:
            return Header.of(vcf.raw_header.rstrip("\n").splitlines())
        finally:
            vcf.close()
    lines = []
    with open_text(path) as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            lines.append(line.rstrip("\r\n"))
            if line.startswith("#CHROM"):
                break
    return Header.of(lines)


def records(path: Path, header: Header, bcf: bool) -> Iterator[tuple[str, Record]]:
    """(where, record) for every data line: ``path line N`` (``path record N`` in a BCF)."""
    if bcf:
        from cyvcf2 import VCF

        vcf = VCF(str(path))
        try:
            for number, variant in enumerate(vcf, start=1):
                where = f"{path} record {number}"
                yield where, parse(str(variant).rstrip("\n"), header, where)
        finally:
            vcf.close()
        return
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if number <= len(header.lines) or not line.strip():
                continue
            where = f"{path} line {number}"
            yield where, parse(line.rstrip("\r\n"), header, where)
