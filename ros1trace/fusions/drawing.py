"""A fusion drawn as small inline SVG, the way Arriba draws one: both genes' exons, the part of
each gene the break keeps, and the fused transcript below with the ROS1 kinase domain marked.

Biology encoded here
--------------------
* A breakpoint label is the caller's break placed on a transcript (``fusions.tsv``):
  ``intron n`` lies between exon n and exon n+1 in transcription order, so the 5' gene keeps
  exons 1..n and the 3' gene keeps exons n+1..last; ``exon n`` is a break inside exon n, which
  both sides keep in part.  ``upstream of exon 1`` keeps all of a 3' gene and none of a 5' gene;
  ``downstream of exon <last>`` the reverse.
* ROS1 exons are those of NM_002944.2 (43 exons); the kinase domain (Pfam PF07714, residues
  1945-2215) lies in exons 36-42 (``fusions.classify.kinase_exons``).  A canonical X-ROS1 fusion
  keeps them as ROS1's 3' part; a 5'-ROS1 fusion (ROS1-MRAS) loses them.
* Partner exons come from the bundled partner tables (the GeneFuse transcript when named, else
  the GENCODE canonical one); a partner outside the tables is drawn as one box, exons unknown.

Exon widths follow exon lengths (with a floor so that short exons stay visible).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..reference.transcript import transcript
from .classify import kinase_exons
from .genes import ROS1, GeneTable

WIDTH = 700
ROW = 26  # height of one gene row
MIN_EXON = 3.0
PARTNER, ROS1_COLOUR, KINASE, LOST = "#E69F00", "#56B4E9", "#0072B2", "#DDDDDD"


@dataclass(frozen=True)
class Gene:
    symbol: str
    exon_lengths: tuple[int, ...]  # empty: exons unknown
    transcript: str


def gene_model(symbol: str, build: str) -> Gene:
    """ROS1 on NM_002944.2, a partner on the bundled exon table, else a gene of unknown exons."""
    if symbol == ROS1:
        return Gene(ROS1, tuple(e.end - e.start + 1 for e in transcript(build).exons), "NM_002944.2")
    model = GeneTable(build).exon_model(symbol)
    if model is None:
        return Gene(symbol, (), "")
    return Gene(symbol, tuple(end - start + 1 for start, end in model.exons), model.transcript_id)


def kept_exons(label: str, n_exons: int, five_prime: bool) -> list[int] | None:
    """Exon numbers a break labelled ``label`` keeps on the 5' or 3' side; ``None`` if unknown."""
    if not n_exons:
        return None
    match = re.fullmatch(r"(exon|intron) (\d+)", label or "")
    if match:
        n = int(match[2])
        if five_prime:
            return list(range(1, min(n, n_exons) + 1))
        first = n if match[1] == "exon" else n + 1
        return list(range(first, n_exons + 1))
    if label == "upstream of exon 1":
        return [] if five_prime else list(range(1, n_exons + 1))
    if label and label.startswith("downstream of exon"):
        return list(range(1, n_exons + 1)) if five_prime else []
    return None


def _boxes(lengths: list[int], x0: float, width: float) -> list[tuple[float, float]]:
    """(x, width) of each exon in [x0, x0 + width], proportional to length with a floor."""
    if not lengths:
        return []
    total = sum(lengths)
    scale = (width - MIN_EXON * len(lengths)) / total if total else 0
    scale = max(scale, 0)
    placed, x = [], x0
    for length in lengths:
        w = MIN_EXON + length * scale
        placed.append((x, w))
        x += w
    return placed


def _text(x: float, y: float, text: str, size: int = 10, anchor: str = "start", weight: str = "normal",
          colour: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{colour}">{html.escape(text)}</text>')


def _gene_row(gene: Gene, kept: list[int] | None, y: float, colour: str) -> tuple[str, dict[int, tuple]]:
    """One gene's whole model: kept exons filled, lost ones grey; returns the SVG and exon boxes."""
    label_w = 90
    parts = [_text(4, y + ROW / 2 + 4, gene.symbol, 11, weight="bold")]
    if not gene.exon_lengths:
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{WIDTH - label_w - 10}" height="{ROW - 8}" '
                     f'fill="{colour}" stroke="#555" stroke-width="0.5"/>')
        parts.append(_text(label_w + 6, y + ROW / 2 + 4, "exon structure not in the bundled tables", 9))
        return "".join(parts), {}
    boxes = dict(enumerate(_boxes(list(gene.exon_lengths), label_w, WIDTH - label_w - 10), start=1))
    parts.append(f'<line x1="{label_w}" y1="{y + ROW / 2}" x2="{WIDTH - 10}" y2="{y + ROW / 2}" '
                 'stroke="#888" stroke-width="1"/>')
    for number, (x, w) in boxes.items():
        fill = colour if kept is not None and number in kept else LOST
        parts.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{ROW - 10}" fill="{fill}" '
                     f'stroke="#555" stroke-width="0.4"><title>{html.escape(gene.symbol)} exon {number}'
                     '</title></rect>')
    return "".join(parts), boxes


def fusion_svg(gene5: str, gene3: str, breakpoint5: str, breakpoint3: str, build: str) -> str:
    """SVG of a fusion ``gene5``::``gene3``: each gene with the exons kept, then the fused
    transcript (5' gene's kept exons, then the 3' gene's) with ROS1's kinase exons marked."""
    five, three = gene_model(gene5, build), gene_model(gene3, build)
    kept5 = kept_exons(breakpoint5, len(five.exon_lengths), True)
    kept3 = kept_exons(breakpoint3, len(three.exon_lengths), False)
    kinase = kinase_exons(build)
    colours = {gene: ROS1_COLOUR if gene == ROS1 else PARTNER for gene in (gene5, gene3)}
    rows = []
    row5, _ = _gene_row(five, kept5, 4, colours[gene5])
    row3, _ = _gene_row(three, kept3, 4 + ROW + 4, colours[gene3])
    rows += [row5, row3]
    y = 4 + 2 * (ROW + 4) + 20
    rows.append(_text(4, y - 6, "fused transcript (5' to 3')", 10, weight="bold"))
    if kept5 is None or kept3 is None:
        rows.append(_text(90, y + ROW / 2 + 4,
                          "breakpoint exon unknown: the fused transcript cannot be drawn", 10))
        height = y + ROW + 8
    else:
        segments = [(gene5, n, five.exon_lengths[n - 1]) for n in kept5]
        segments += [(gene3, n, three.exon_lengths[n - 1]) for n in kept3]
        boxes = _boxes([length for _, _, length in segments], 90, WIDTH - 100)
        rows.append(f'<line x1="90" y1="{y + ROW / 2}" x2="{WIDTH - 10}" y2="{y + ROW / 2}" stroke="#888"/>')
        kinase_x = []
        for (symbol, number, _), (x, w) in zip(segments, boxes):
            rows.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{ROW - 10}" '
                        f'fill="{colours[symbol]}" stroke="#555" stroke-width="0.4">'
                        f'<title>{html.escape(symbol)} exon {number}</title></rect>')
            if symbol == ROS1 and kinase.first <= number <= kinase.last:
                kinase_x.append((x, x + w))
        if kept5 and kept3:  # the junction between the two genes' parts
            junction = boxes[len(kept5)][0]
            rows.append(f'<line x1="{junction:.1f}" y1="{y}" x2="{junction:.1f}" y2="{y + ROW}" '
                        'stroke="#D55E00" stroke-width="2"/>')
        labels = []
        for gene, kept, first in ((gene5, kept5, 0), (gene3, kept3, len(kept5))):
            if kept:
                x = boxes[first][0]
                labels.append(_text(x, y + ROW + 11, f"{gene} exons {kept[0]}-{kept[-1]}" if len(kept) > 1
                                    else f"{gene} exon {kept[0]}", 9))
        rows += labels
        height = y + ROW + 16
        if kinase_x:
            start, end = kinase_x[0][0], kinase_x[-1][1]
            rows.append(f'<rect x="{start:.1f}" y="{height}" width="{end - start:.1f}" height="8" '
                        f'fill="{KINASE}"/>')
            rows.append(_text((start + end) / 2, height + 19,
                              f"kinase domain (exons {kinase.first}-{kinase.last})", 9, anchor="middle",
                              colour=KINASE))
            height += 24
        else:
            rows.append(_text(90, height + 10, "ROS1 kinase domain not in the fused transcript", 9,
                              colour="#D55E00"))
            height += 16
    title = (f"{gene5}::{gene3} fusion: {breakpoint5 or 'unknown'} of {gene5}, "
             f"{breakpoint3 or 'unknown'} of {gene3}")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fusion" viewBox="0 0 {WIDTH} {height + 4:.0f}" '
            f'width="{WIDTH}" height="{height + 4:.0f}" role="img" aria-label="{html.escape(title)}">'
            f'<title>{html.escape(title)}</title>{"".join(rows)}</svg>')
