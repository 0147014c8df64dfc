"""The one decoding policy for text that people and tools write (sheets, CNV tables): UTF-8, a
byte-order mark dropped, anything else one line naming the file, the line and the byte.

Why not guess another encoding: ids and paths would change silently.  VCF lines are the exception
(``vcf_lines``): they are passed through byte for byte as Latin-1, since the annotated copy must be
the caller's line unchanged.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError


def decode_utf8(path: Path, data: bytes) -> str:
    """A text file's bytes as UTF-8 (a byte-order mark dropped); anything else is one line naming the
    file, the line and the byte offset: sheets are written by people, and a spreadsheet saves UTF-8
    when asked, while guessing another encoding would silently change ids and paths."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"{path} line {line}: byte {error.start} (0x{data[error.start]:02x}) is not UTF-8; save the "
                         "file as UTF-8 (e.g. 'iconv -f latin1 -t utf-8')") from None
