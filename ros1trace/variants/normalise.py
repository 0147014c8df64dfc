"""Variant normalisation: the minimal, left-aligned representation of one REF/ALT pair.

Two callers describe one indel in different places inside a repeat, and pad alleles with
different context bases; comparing timepoints only works once both are reduced to one form.
This is the algorithm of vt normalize (Tan et al. 2015), which bcftools norm also implements:

1. while both alleles end with the same base, drop it; whenever an allele becomes empty, extend
   both alleles one base to the left from the reference (this walks an indel left through a
   repeat until its last bases differ);
2. then drop common leading bases while both alleles are longer than one base (an indel keeps
   exactly one anchor base, VCF style; an SNV or MNV keeps none).

Left-aligned on the plus strand is also the HGVS 3' position on a minus-strand transcript such
as ROS1's, so no second shift is needed for c. notation.
"""

from __future__ import annotations

from typing import Callable


def normalise(pos: int, ref: str, alt: str, base_at: Callable[[int], str] | None) -> tuple[int, str, str]:
    """Return (pos, ref, alt) trimmed and, when ``base_at`` can read the reference, left-aligned.

    ``base_at(p)`` gives the reference base at 1-based ``p``; without it indels are only trimmed.
    """
    ref, alt = ref.upper(), alt.upper()
    if ref == alt:
        return pos, ref, alt
    while True:
        if ref and alt and ref[-1] == alt[-1]:
            ref, alt = ref[:-1], alt[:-1]
        elif (not ref or not alt) and base_at is not None and pos > 1:
            pos -= 1
            base = base_at(pos)
            ref, alt = base + ref, base + alt
        else:
            break
    if not ref or not alt:  # no reference to extend with: keep the anchor the record had
        raise ValueError("cannot anchor an indel without the reference base before it")
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return pos, ref, alt


def trim_only(pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """Minimal representation without reference access (for records outside the loaded locus)."""
    ref, alt = ref.upper(), alt.upper()
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    return pos, ref, alt
