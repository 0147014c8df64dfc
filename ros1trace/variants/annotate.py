"""Consequence and HGVS of one normalised ROS1 allele on NM_002944.2.

The rules, in the order the code applies them (edge cases after each):

Edit.  A normalised allele (``variants/normalise.py``) is one of: substitution (REF and ALT of equal
length: SNV or MNV), pure deletion or insertion (one shared anchor base, VCF style), or a complex
replacement (delins).  The anchor is never part of the change.

Placement.  Each changed base (for an insertion: both flanking bases) is placed on the transcript
(``Transcript.locate``).  ROS1 is on the minus strand: the lowest genomic position is the highest
c. position, and c. bases are the complement of the plus-strand bases.

c. notation (HGVS).  ``c.6094G>A``; ``c.6094_6095delinsAA``; ``c.6202_6203del`` (the deleted
bases are not repeated, as current HGVS recommends); ``c.6202dup`` when inserted bases repeat the
bases just 5' of the insertion on the transcript; ``c.X_Yins...`` otherwise; intronic positions
as ``c.5777+3`` / ``c.5778-10``, UTR positions as ``c.-15`` / ``c.*20``.  The 3' rule: VCF
normalisation left-aligns on the plus strand, which for a minus-strand gene *is* the 3'-most
transcript position, so the c. positions need no further shift.

Consequence (Sequence Ontology, most severe first, joined by ``&``): splice_acceptor/donor for
intronic +-1..2; splice_region for exonic bases 1-3 from an exon-intron boundary and intronic
3..8; intron_variant for other intronic bases; 5'/3' UTR; upstream/downstream outside the
transcript; for changes entirely inside the CDS, the protein effect below.  A change that spans
an exon-intron boundary gets the splice terms plus coding_sequence_variant and ``p.?``.

p. notation.  The mutated CDS is translated (reading on into the 3'UTR and beyond when a
frameshift or stop loss needs it) and compared with the reference protein.  Common leading
residues are trimmed first and then common trailing ones, which puts in-frame deletions and
insertions at their most C-terminal position (the protein 3' rule).  Results: ``p.Gly2032Arg``,
``p.Gly2032=``, ``p.Ser1986Ter``, ``p.Val2068LeufsTer15`` (the count includes the new first residue
and the stop), ``p.Lys2003del``, ``p.Gly2032dup``, ``p.Lys2003_Phe2004insGly``, ``p.Gly2032_Asp2033delinsLysAsn``,
``p.Met1?`` (start lost), ``p.Ter2348Glnext*12`` (stop lost).  ``protein_change`` is the short
one-letter form used by the literature: G2032R, G2032=, S1986*, V2068Lfs*15.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..reference.genome import Locus, coding_sequence
from ..reference.transcript import (CODON_TABLE, THREE_LETTER, Transcript, TxPos, complement, residue_in_kinase_domain,
                        reverse_complement, translate)

SEVERITY = (
    "transcript_ablation splice_acceptor_variant splice_donor_variant stop_gained frameshift_variant "
    "stop_lost start_lost inframe_insertion inframe_deletion missense_variant protein_altering_variant "
    "splice_region_variant start_retained_variant stop_retained_variant synonymous_variant "
    "coding_sequence_variant 5_prime_UTR_variant 3_prime_UTR_variant intron_variant "
    "upstream_gene_variant downstream_gene_variant"
).split()
RANK = {term: rank for rank, term in enumerate(SEVERITY)}
_BASE_PAIR = {"A": "T", "C": "G", "G": "C", "T": "A"}  # complement of one base, without str.translate


def consequence_text(terms: set[str]) -> str:
    """SO terms, most severe first, joined by '&'."""
    if len(terms) == 1:
        return next(iter(terms))
    return "&".join(sorted(terms, key=RANK.__getitem__))


@dataclass(slots=True)  # one per distinct allele: slots, not frozen (3x faster to make)
class Annotation:
    exon: int | None
    intron: int | None
    hgvs_c: str
    hgvs_p: str
    protein_change: str
    consequence: str
    residue: int | None  # first residue changed, for the kinase-domain flag

    @property
    def in_kinase_domain(self) -> bool:
        return self.residue is not None and bool(self.hgvs_p) and residue_in_kinase_domain(self.residue)


@dataclass(slots=True)
class Edit:
    """Replaced plus-strand bases ``start..end`` (empty when start == end + 1: an insertion)."""

    start: int
    end: int
    deleted: str
    inserted: str

    @classmethod
    def from_allele(cls, pos: int, ref: str, alt: str) -> "Edit":
        if len(ref) != len(alt) and ref[0] == alt[0] and (len(ref) == 1 or len(alt) == 1):
            return cls(pos + 1, pos + len(ref) - 1, ref[1:], alt[1:])  # anchored indel
        return cls(pos, pos + len(ref) - 1, ref, alt)

    @property
    def is_insertion(self) -> bool:
        return not self.deleted


def _aa3(aa: str) -> str:
    return THREE_LETTER.get(aa, "Xaa")


def translate_to_stop(seq: str) -> str:
    """Translate codon by codon up to and including the first stop."""
    protein = []
    for i in range(0, len(seq) - 2, 3):
        protein.append(CODON_TABLE.get(seq[i:i + 3], "X"))
        if protein[-1] == "*":
            break
    return "".join(protein)


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix (binary search on slice equality: C speed on 2,348 residues)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the common suffix, at most ``limit``."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:] == b[len(b) - middle:]:
            low = middle
        else:
            high = middle - 1
    return low


class Annotator:
    """Annotates alleles on one transcript with the reference bases of ``locus``."""

    def __init__(self, tx: Transcript, locus: Locus, protein: str | None = None):
        """``protein``: the CDS's translation when already known (the run's reference check proved
        it is P08922); else translated on first use."""
        self.tx = tx
        self.locus = locus
        self.cds = coding_sequence(locus, tx)
        self.codons = len(self.cds) // 3  # the stop codon included
        if protein is not None:
            if len(protein) != self.codons:
                raise ValueError(f"protein has {len(protein)} residues, the CDS {self.codons} codons")
            self.protein = protein  # fills the cached property below
        self._memo: dict[tuple[int, str, str], Annotation] = {}

    # Made on first use: most variants of a ROS1 region are intronic and need neither.
    @cached_property
    def protein(self) -> str:
        """The reference translation of the CDS, stop included."""
        return translate(self.cds)

    @cached_property
    def readthrough(self) -> str:
        """What follows the stop codon on the transcript strand (3'UTR exons, then the genome), for
        frameshifts and stop losses that read on past c.7044."""
        tx, locus = self.tx, self.locus
        low = tx.cds_genomic_last  # minus strand: c.7044, the last coding base
        utr3 = "".join(locus.seq(e.start, min(e.end, low - 1))
                       for e in sorted(tx.exons, key=lambda e: e.start) if e.start < low)
        beyond = locus.seq(locus.start, tx.start - 1) if tx.start > locus.start else ""
        return reverse_complement(beyond + utr3)

    # -- placement -----------------------------------------------------------------------------
    def _c(self, pos: int) -> str | None:
        return self.tx.c_label(pos)

    def _region_terms(self, pos: int, located: TxPos | None | bool = False) -> set[str]:
        """SO terms of one base (``coding`` for a CDS base); ``located``: its placement, when known."""
        if located is False:
            located = self.tx.locate(pos)
        if located is None:
            return {"upstream_gene_variant" if pos > self.tx.end else "downstream_gene_variant"}
        if located.offset:
            distance = abs(located.offset)
            if distance <= 2:
                return {"splice_donor_variant" if located.offset > 0 else "splice_acceptor_variant"}
            return {"splice_region_variant", "intron_variant"} if distance <= 8 else {"intron_variant"}
        terms = set()
        exon = self.tx.exons[located.exon - 1]
        # Exonic bases 1-3 from an edge that borders an intron.
        if located.exon < len(self.tx.exons) and pos - exon.start < 3:
            terms.add("splice_region_variant")
        if located.exon > 1 and exon.end - pos < 3:
            terms.add("splice_region_variant")
        c = located.cdna - self.tx.utr5_length
        if c <= 0:
            terms.add("5_prime_UTR_variant")
        elif c > self.tx.cds_length:
            terms.add("3_prime_UTR_variant")
        else:
            terms.add("coding")
        return terms

    # -- c. ------------------------------------------------------------------------------------
    def _c_range(self, start: int, end: int) -> str:
        """c. range of plus-strand span start..end (minus strand: end comes first)."""
        first, last = self._c(end), self._c(start)
        return first if start == end else f"{first}_{last}"

    def hgvs_c(self, edit: Edit) -> str:
        if edit.is_insertion:
            p = edit.end  # insertion between p and p + 1
            size = len(edit.inserted)
            following = self.locus.seq(p + 1, p + size) if self.locus.contains(p + 1, p + size) else ""
            if following == edit.inserted:
                return f"c.{self._c_range(p + 1, p + size)}dup"
            return f"c.{self._c(p + 1)}_{self._c(p)}ins{reverse_complement(edit.inserted)}"
        where = self._c_range(edit.start, edit.end)
        if not edit.inserted:
            return f"c.{where}del"
        if len(edit.deleted) == 1 and len(edit.inserted) == 1:
            return f"c.{where}{complement(edit.deleted)}>{complement(edit.inserted)}"
        return f"c.{where}delins{reverse_complement(edit.inserted)}"

    # -- annotation ----------------------------------------------------------------------------
    def annotate(self, pos: int, ref: str, alt: str) -> Annotation:
        """Annotation of a normalised allele (memoised: samples of a batch share their variants)."""
        key = (pos, ref, alt)
        if key not in self._memo:
            self._memo[key] = self._annotate(pos, ref, alt)
        return self._memo[key]

    def _annotate(self, pos: int, ref: str, alt: str) -> Annotation:
        if len(ref) == 1 == len(alt):
            return self._snv(pos, ref, alt)
        return self._general(pos, ref, alt)

    def _snv(self, pos: int, ref: str, alt: str) -> Annotation:
        """A single-base substitution: ``_general`` specialised to one base (a test compares them).

        Most variants in a ROS1 region are intronic SNVs; this path skips the edit bookkeeping.
        """
        located = self.tx.locate(pos)
        terms = self._region_terms(pos, located)
        if located is None:
            return Annotation(None, None, "", "", "", consequence_text(terms), None)
        hgvs_c = f"c.{self.tx.label(located)}{_BASE_PAIR.get(ref) or complement(ref)}>" \
                 f"{_BASE_PAIR.get(alt) or complement(alt)}"
        hgvs_p = short = ""
        residue = None
        if "coding" in terms:
            protein_terms, hgvs_p, short, residue = self._protein(Edit(pos, pos, ref, alt))
            terms.discard("coding")
            terms |= protein_terms
        return Annotation(located.exon, located.intron, hgvs_c, hgvs_p, short, consequence_text(terms), residue)

    def _general(self, pos: int, ref: str, alt: str) -> Annotation:
        edit = Edit.from_allele(pos, ref, alt)
        bases = [edit.end, edit.end + 1] if edit.is_insertion else range(edit.start, edit.end + 1)
        terms: set[str] = set()
        per_base = [self._region_terms(b) for b in bases]
        if edit.is_insertion:
            # Only an insertion between two intronic splice-site bases hits the site itself.
            both = per_base[0] & per_base[1]
            merged = per_base[0] | per_base[1]
            for site in ("splice_donor_variant", "splice_acceptor_variant"):
                if site in merged and site not in both:
                    merged.discard(site)
                    merged.add("splice_region_variant")
            terms = merged
        else:
            for t in per_base:
                terms |= t
        exon, intron = self._numbering(bases)
        outside = {"upstream_gene_variant", "downstream_gene_variant"}
        hgvs_c = "" if terms <= outside else self.hgvs_c(edit)
        hgvs_p, short, residue = "", "", None
        coding_everywhere = all("coding" in t for t in per_base)
        if coding_everywhere:
            protein_terms, hgvs_p, short, residue = self._protein(edit)
            terms |= protein_terms
        elif any("coding" in t for t in per_base):
            terms.add("coding_sequence_variant")
            hgvs_p = "p.?"
        terms.discard("coding")
        return Annotation(exon, intron, hgvs_c, hgvs_p, short, consequence_text(terms), residue)

    def _numbering(self, bases) -> tuple[int | None, int | None]:
        placed = [self.tx.exon_numbering(b) for b in bases]
        exons = [e for e, _ in placed if e is not None]
        if exons:
            return min(exons), None
        introns = [i for _, i in placed if i is not None]
        return None, (min(introns) if introns else None)

    def _protein(self, edit: Edit) -> tuple[set[str], str, str, int | None]:
        tx = self.tx
        inserted = reverse_complement(edit.inserted)
        if len(edit.deleted) == len(edit.inserted):
            fast = self._substitution(tx.c_of(edit.end), inserted)
            if fast is not None:
                return fast
        if edit.is_insertion:
            c_from = tx.c_of(edit.end + 1)  # c. just 5' of the insertion
            alt_cds = self.cds[:c_from] + inserted + self.cds[c_from:]
            changed_end = c_from + len(inserted)
        else:
            c_from, c_hi = tx.c_of(edit.end), tx.c_of(edit.start)
            alt_cds = self.cds[: c_from - 1] + inserted + self.cds[c_hi:]
            changed_end = c_from - 1 + len(inserted)
        first_residue = (c_from - 1) // 3 + 1 if c_from >= 1 else 1
        unchanged = first_residue - 1  # residues before the change keep the reference translation
        delta = len(alt_cds) - len(self.cds)
        if delta % 3:
            tail = translate_to_stop(alt_cds[3 * unchanged:] + self.readthrough)
            return self._frameshift(self.protein[:unchanged] + tail, first_residue)
        # In frame: only the changed codons need translating; the rest is the reference protein.
        window_end = max(-(-changed_end // 3) * 3, 3 * unchanged)
        resume = (window_end - delta) // 3
        if resume >= len(self.protein):  # the stop codon itself changed: read on into the 3'UTR
            alt_protein = translate_to_stop(alt_cds[3 * unchanged:] + self.readthrough)
            alt_protein = self.protein[:unchanged] + alt_protein
        else:
            alt_protein = self.protein[:unchanged] + translate(alt_cds[3 * unchanged:window_end]) + self.protein[resume:]
            stop = alt_protein.find("*")
            alt_protein = alt_protein[: stop + 1] if stop >= 0 else alt_protein
        return self._inframe(self.protein, alt_protein, first_residue)

    def _substitution(self, c_from: int, inserted: str):
        """SNVs and MNVs away from the start and stop codons: only the touched codons are translated.

        Same result as the general in-frame path (a test compares them), at a fraction of the cost:
        no 7 kb alternative CDS, no whole-protein comparison.  None sends the edit to the general path.
        """
        first = (c_from - 1) // 3  # 0-based index of the first touched codon
        last = (c_from + len(inserted) - 2) // 3
        if first == 0 or last >= self.codons - 1:
            return None  # start or stop codon: start_lost / stop_lost / stop_retained need the general path
        ref_codons = self.cds[3 * first: 3 * last + 3]
        offset = c_from - 1 - 3 * first
        alt_codons = ref_codons[:offset] + inserted + ref_codons[offset + len(inserted):]
        ref_aa, alt_aa = translate(ref_codons), translate(alt_codons)
        if ref_aa == alt_aa:
            r = first + 1
            return {"synonymous_variant"}, f"p.{_aa3(ref_aa[0])}{r}=", f"{ref_aa[0]}{r}=", r
        start = next(i for i, (a, b) in enumerate(zip(ref_aa, alt_aa)) if a != b)
        residue = first + start + 1
        if alt_aa[start] == "*":
            return {"stop_gained"}, f"p.{_aa3(ref_aa[start])}{residue}Ter", f"{ref_aa[start]}{residue}*", residue
        if "*" in alt_aa[start:]:
            return None  # a later stop in the window: let the general path truncate
        end = max(i for i, (a, b) in enumerate(zip(ref_aa, alt_aa)) if a != b)
        if end == start:
            return ({"missense_variant"}, f"p.{_aa3(ref_aa[start])}{residue}{_aa3(alt_aa[start])}",
                    f"{ref_aa[start]}{residue}{alt_aa[start]}", residue)
        return None  # two changed residues: delins naming stays with the general path

    def _frameshift(self, alt_protein: str, first_residue: int):
        ref = self.protein
        i = first_residue - 1
        while i < len(ref) and i < len(alt_protein) and alt_protein[i] == ref[i]:
            i += 1
        position = i + 1
        if i >= len(ref) or i >= len(alt_protein):
            return {"frameshift_variant"}, "p.?", "", position
        if alt_protein[i] == "*":
            return ({"stop_gained", "frameshift_variant"}, f"p.{_aa3(ref[i])}{position}Ter",
                    f"{ref[i]}{position}*", position)
        stop = alt_protein.find("*", i)
        count = "?" if stop < 0 else str(stop - i + 1)
        hgvs = f"p.{_aa3(ref[i])}{position}{_aa3(alt_protein[i])}fsTer{count}"
        short = f"{ref[i]}{position}{alt_protein[i]}fs*{count}"
        return {"frameshift_variant"}, hgvs, short, position

    def _inframe(self, ref: str, alt: str, first_residue: int):
        if alt == ref:
            r = first_residue
            if ref[r - 1] == "*":
                return {"stop_retained_variant"}, "p.Ter{}=".format(r), f"*{r}=", r
            return {"synonymous_variant"}, f"p.{_aa3(ref[r - 1])}{r}=", f"{ref[r - 1]}{r}=", r
        prefix = common_prefix(ref, alt)
        if prefix < len(alt) and alt[prefix] == "*" and ref[prefix] != "*":  # nonsense: the protein ends here
            return {"stop_gained"}, f"p.{_aa3(ref[prefix])}{prefix + 1}Ter", f"{ref[prefix]}{prefix + 1}*", prefix + 1
        if ref[prefix] == "*":  # the stop codon is lost: the protein runs on to the next stop
            ext_stop = alt.find("*", prefix)
            count = "?" if ext_stop < 0 else str(ext_stop - prefix)
            new = alt[prefix] if prefix < len(alt) else "X"
            start = prefix + 1
            return ({"stop_lost"}, f"p.Ter{start}{_aa3(new)}extTer{count}", f"*{start}{new}ext*{count}", start)
        suffix = common_suffix(ref, alt, min(len(ref), len(alt)) - prefix)
        ref_mid, alt_mid = ref[prefix: len(ref) - suffix], alt[prefix: len(alt) - suffix]
        start = prefix + 1  # first residue changed (1-based)
        if start == 1 and ref_mid[:1] == "M":
            return {"start_lost"}, "p.Met1?", "M1?", 1
        if len(ref_mid) == 1 and len(alt_mid) == 1:
            return ({"missense_variant"}, f"p.{_aa3(ref_mid)}{start}{_aa3(alt_mid)}",
                    f"{ref_mid}{start}{alt_mid}", start)
        end = start + len(ref_mid) - 1
        span3 = f"{_aa3(ref[start - 1])}{start}" + (f"_{_aa3(ref[end - 1])}{end}" if end > start else "")
        span1 = f"{ref[start - 1]}{start}" + (f"_{ref[end - 1]}{end}" if end > start else "")
        if not alt_mid:
            return {"inframe_deletion"}, f"p.{span3}del", f"{span1}del", start
        inserted3 = "".join(_aa3(a) for a in alt_mid)
        if not ref_mid:
            # Insertion between residues prefix and prefix + 1; a copy of the residues before it is a dup.
            size = len(alt_mid)
            if prefix >= size and ref[prefix - size: prefix] == alt_mid:
                d_start, d_end = prefix - size + 1, prefix
                d3 = f"{_aa3(ref[d_start - 1])}{d_start}" + (f"_{_aa3(ref[d_end - 1])}{d_end}" if d_end > d_start else "")
                d1 = f"{ref[d_start - 1]}{d_start}" + (f"_{ref[d_end - 1]}{d_end}" if d_end > d_start else "")
                return {"inframe_insertion"}, f"p.{d3}dup", f"{d1}dup", d_start
            left, right = prefix, prefix + 1
            hgvs = f"p.{_aa3(ref[left - 1])}{left}_{_aa3(ref[right - 1])}{right}ins{inserted3}"
            return {"inframe_insertion"}, hgvs, f"{ref[left - 1]}{left}_{ref[right - 1]}{right}ins{alt_mid}", left
        kind = ("inframe_insertion" if len(alt_mid) > len(ref_mid)
                else "inframe_deletion" if len(alt_mid) < len(ref_mid) else "missense_variant")
        if kind == "missense_variant" and len(ref_mid) > 1:
            kind = "protein_altering_variant"
        return {kind}, f"p.{span3}delins{inserted3}", f"{span1}delins{alt_mid}", start
