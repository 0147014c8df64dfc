"""Annotation on NM_002944.2: published coordinates, every SNV of a codon, exon edges, indels."""

from __future__ import annotations

import hgvs.parser
import pytest

from ros1trace.reference.transcript import BUILDS, CODON_TABLE, complement, read_tsv, resources_dir, reverse_complement, transcript
from ros1trace.synthetic.variants import protein_change_alleles
from ros1trace.variants.normalise import normalise

PARSER = hgvs.parser.Parser()
KNOWN = [r for r in read_tsv(resources_dir() / "reference" / "known_mutation_coordinates.tsv")]
PUBLISHED = [r for r in KNOWN if r["hgvs_c"] not in ("", ".")]
CODON_ONLY = [r for r in KNOWN if r["hgvs_c"] in ("", ".")]


def annotate(annotators, loci, build, pos, ref, alt):
    locus = loci[build]
    return annotators[build].annotate(*normalise(pos, ref, alt, lambda p: locus.seq(p, p)))


def assert_parses(note):
    if note.hgvs_c:
        PARSER.parse(f"NM_002944.2:{note.hgvs_c}")
    if note.hgvs_p and note.hgvs_p != "p.?":
        PARSER.parse(f"NP_002935.2:{note.hgvs_p}")


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("row", PUBLISHED, ids=lambda r: r["variant"])
def test_published_coordinates_give_the_published_hgvs(annotators, loci, build, row):
    key = build.lower()
    note = annotate(annotators, loci, build, int(row[f"{key}_pos"]), row[f"{key}_ref"], row[f"{key}_alt"])
    # Current HGVS does not repeat deleted bases: c.6202_6203delGT is written c.6202_6203del.
    published = row["hgvs_c"]
    if "del" in published and "delins" not in published:
        published = published[: published.index("del") + 3]
    assert note.hgvs_c == published
    assert note.protein_change == row["variant"]
    assert note.exon == int(row["exon"]) and note.intron is None
    assert_parses(note)


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("row", CODON_ONLY, ids=lambda r: r["variant"])
def test_catalog_codons_sit_where_the_table_says_and_annotate_to_their_change(annotators, loci, build, row):
    tx = transcript(build)
    residue = int(row["variant"][1:-1])
    expected_positions = tuple(int(p) for p in row[f"codon_{build.lower()}_b1_b2_b3"].split(","))
    assert tx.codon_positions(residue) == expected_positions
    name = "V1174F" if row["variant"] == "L1174F" else row["variant"]  # P08922 has V at 1174
    changes = protein_change_alleles(name, tx, loci[build])
    if len(changes) == 1:
        note = annotate(annotators, loci, build, *changes[0])
    else:  # G2032K: two bases of one codon, annotated as one MNV
        low = min(p for p, _, _ in changes)
        high = max(p for p, _, _ in changes)
        ref = loci[build].seq(low, high)
        alt = list(ref)
        for p, _, a in changes:
            alt[p - low] = a
        note = annotate(annotators, loci, build, low, ref, "".join(alt))
    assert note.protein_change == name
    assert note.consequence.split("&")[0] == "missense_variant"  # K2003 sits at an exon edge


def test_every_snv_of_codon_2032_translates_by_the_genetic_code(annotator38, locus38):
    tx = transcript("GRCh38")
    positions = tx.codon_positions(2032)
    codon = "".join(complement(locus38.seq(p, p)) for p in positions)
    for i, pos in enumerate(positions):
        for base in "ACGT":
            if base == codon[i]:
                continue
            new = codon[:i] + base + codon[i + 1:]
            note = annotator38.annotate(pos, complement(codon[i]), complement(base))
            aa = CODON_TABLE[new]
            expected = "G2032=" if aa == "G" else ("G2032*" if aa == "*" else f"G2032{aa}")
            assert note.protein_change == expected, (new, note)
            assert note.hgvs_c == f"c.{6094 + i}{codon[i]}>{base}"
            assert_parses(note)


def exon_edge(build, exon_number, side):
    """Genomic position of the 5' ('first') or 3' ('last') base of an exon on the transcript."""
    exon = transcript(build).exons[exon_number - 1]
    return exon.end if side == "first" else exon.start


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("offset,label,consequence", [
    (0, "c.5777", None),
    (-1, "c.5777+1", "splice_donor_variant"),
    (-2, "c.5777+2", "splice_donor_variant"),
    (-3, "c.5777+3", "splice_region_variant&intron_variant"),
    (-8, "c.5777+8", "splice_region_variant&intron_variant"),
    (-9, "c.5777+9", "intron_variant"),
])
def test_positions_after_exon_35_use_plus_offsets(annotators, loci, build, offset, label, consequence):
    pos = exon_edge(build, 35, "last") + offset  # minus strand: downstream = lower coordinate
    ref = loci[build].seq(pos, pos)
    alt = "A" if ref != "A" else "C"
    note = annotators[build].annotate(pos, ref, alt)
    assert note.hgvs_c.startswith(label) and note.hgvs_c[len(label)] in "ACGT"
    if consequence:
        assert note.consequence == consequence
        assert note.intron == 35 and note.exon is None and note.hgvs_p == ""
    else:
        assert "splice_region_variant" in note.consequence and note.exon == 35
    assert_parses(note)


@pytest.mark.parametrize("offset,label,consequence", [
    (1, "c.5778-1", "splice_acceptor_variant"),
    (2, "c.5778-2", "splice_acceptor_variant"),
    (10, "c.5778-10", "intron_variant"),
])
def test_positions_before_exon_36_use_minus_offsets(annotator38, locus38, offset, label, consequence):
    pos = exon_edge("GRCh38", 36, "first") + offset
    ref = locus38.seq(pos, pos)
    note = annotator38.annotate(pos, ref, "A" if ref != "A" else "C")
    assert note.hgvs_c.startswith(label) and note.consequence == consequence and note.intron == 35


def test_utr_positions_are_counted_from_the_cds_ends(annotator38, locus38):
    tx = transcript("GRCh38")
    for pos, label, term in [(tx.cds_genomic_first + 1, "c.-1", "5_prime_UTR_variant"),
                             (tx.cds_genomic_first + 15, "c.-15", "5_prime_UTR_variant"),
                             (tx.cds_genomic_last - 1, "c.*1", "3_prime_UTR_variant"),
                             (tx.cds_genomic_last - 20, "c.*20", "3_prime_UTR_variant")]:
        ref = locus38.seq(pos, pos)
        note = annotator38.annotate(pos, ref, "A" if ref != "A" else "C")
        assert note.hgvs_c.startswith(label) and note.hgvs_c[len(label)] in "ACGT", note
        assert note.consequence == term and note.protein_change == "" and not note.in_kinase_domain
        assert_parses(note)


def test_outside_the_transcript_is_upstream_or_downstream(annotator38, locus38):
    tx = transcript("GRCh38")
    up, down = tx.end + 100, tx.start - 100
    assert annotator38.annotate(up, locus38.seq(up, up), "N").consequence == "upstream_gene_variant"
    assert annotator38.annotate(down, locus38.seq(down, down), "N").consequence == "downstream_gene_variant"


def codon_alleles(locus, build, residue, new_codon):
    """Plus-strand MNV turning codon ``residue`` into ``new_codon``."""
    positions = transcript(build).codon_positions(residue)
    low = min(positions)
    ref = locus.seq(low, low + 2)
    alt = list(ref)
    for p, base in zip(positions, new_codon):
        alt[p - low] = complement(base)
    return low, ref, "".join(alt)


def test_start_loss_stop_gain_and_stop_loss(annotator38, locus38):
    assert annotator38.annotate(*codon_alleles(locus38, "GRCh38", 1, "CTG")).hgvs_p == "p.Met1?"
    note = annotator38.annotate(*codon_alleles(locus38, "GRCh38", 1986, "TAA"))
    assert (note.protein_change, note.hgvs_p, note.consequence) == ("S1986*", "p.Ser1986Ter", "stop_gained")
    note = annotator38.annotate(*codon_alleles(locus38, "GRCh38", 2348, "CAA"))
    assert note.consequence == "stop_lost" and note.hgvs_p.startswith("p.Ter2348GlnextTer")
    assert_parses(note)


def test_inframe_deletion_of_one_codon_is_named_on_the_protein(annotator38, locus38):
    tx = transcript("GRCh38")
    first, _, third = tx.codon_positions(2010)
    anchor = third - 1
    ref = locus38.seq(anchor, first)
    note = annotator38.annotate(*normalise(anchor, ref, ref[0], lambda p: locus38.seq(p, p)))
    assert note.consequence == "inframe_deletion"
    assert note.protein_change.endswith("del") and note.hgvs_c.endswith("del")
    assert_parses(note)


def test_insertion_repeating_the_preceding_base_is_a_dup(annotator38, locus38):
    pos = transcript("GRCh38").c_to_genome(6094)  # c.6094; insert its own base just 3' of it
    base = locus38.seq(pos, pos)
    anchor = pos - 1
    note = annotator38.annotate(*normalise(anchor, locus38.seq(anchor, anchor),
                                           locus38.seq(anchor, anchor) + base, lambda p: locus38.seq(p, p)))
    assert "dup" in note.hgvs_c and note.consequence == "frameshift_variant"
    assert_parses(note)


@pytest.mark.parametrize("build", BUILDS)
@pytest.mark.parametrize("c,residue", [(3500, 1167), (3851, 1284)])
def test_a_one_base_deletion_whose_shifted_codon_is_a_stop_is_named_as_nonsense(annotators, loci, build, c,
                                                                                residue):
    # TCGA MC3 c.3500delT and GENIE c.3851del: both codons are TTA (real bases the locus keeps) and the
    # published p.L1167* / p.L1284* put a purine after them, so TA + A/G: the first shifted codon stops.
    pos = transcript(build).c_to_genome(c)
    ref = loci[build].seq(pos - 1, pos)
    note = annotate(annotators, loci, build, pos - 1, ref, ref[0])
    assert (note.hgvs_c, note.hgvs_p) == (f"c.{c}del", f"p.Leu{residue}Ter")
    assert note.protein_change == f"L{residue}*"
    assert note.consequence == "stop_gained&frameshift_variant"
    assert_parses(note)


def test_three_base_insertion_between_codons_is_inframe(annotator38, locus38):
    tx = transcript("GRCh38")
    after = tx.c_to_genome(6096)  # last base of codon 2032; insertion after it (lower coordinate side)
    anchor = after - 1
    inserted = "CCC" if locus38.seq(anchor, anchor) != "C" else "ACA"
    note = annotator38.annotate(*normalise(anchor, locus38.seq(anchor, anchor),
                                           locus38.seq(anchor, anchor) + inserted, lambda p: locus38.seq(p, p)))
    assert note.consequence in ("inframe_insertion", "protein_altering_variant", "stop_gained")
    assert note.hgvs_c.startswith("c.") and ("ins" in note.hgvs_c or "dup" in note.hgvs_c)
    assert_parses(note)


def test_kinase_domain_flag_follows_pfam_bounds(annotator38, locus38):
    inside = annotator38.annotate(*codon_alleles(locus38, "GRCh38", 2032, "AGA"))
    outside = annotator38.annotate(*codon_alleles(locus38, "GRCh38", 1174, "TTT"))
    assert inside.in_kinase_domain and not outside.in_kinase_domain


def test_substitution_fast_path_equals_the_general_in_frame_path(annotator38, locus38):
    """Every SNV of exons 36-38 (the kinase domain's start) and every adjacent-pair MNV: both paths agree."""
    from ros1trace.variants.annotate import Edit

    tx = transcript("GRCh38")
    checked = 0
    for exon in tx.exons[35:38]:
        for pos in range(exon.start, exon.end + 1):
            ref = locus38.seq(pos, pos + 1)
            for alt in ("A", "C", "G", "T"):
                for edit in (Edit(pos, pos, ref[0], alt), Edit(pos, pos + 1, ref, alt + alt)):
                    if edit.inserted == edit.deleted or tx.c_of(edit.start) is None or tx.c_of(edit.end) is None:
                        continue
                    fast = annotator38._substitution(tx.c_of(edit.end), reverse_complement(edit.inserted))
                    if fast is None:
                        continue
                    annotator38._substitution = lambda *args: None  # force the general path
                    try:
                        general = annotator38._protein(edit)
                    finally:
                        del annotator38._substitution
                    assert fast == general, (edit, fast, general)
                    checked += 1
    assert checked > 1000


def test_snv_fast_path_equals_the_general_path_at_every_kind_of_position(annotator38, locus38):
    """Every SNV within 12 bases of each exon edge (splice sites, UTRs, start/stop codons) and outside the gene."""
    tx = transcript("GRCh38")
    edges = {edge for exon in tx.exons for edge in (exon.start, exon.end)} | {tx.start - 20, tx.end + 20}
    checked = 0
    for edge in sorted(edges):
        for pos in range(edge - 12, edge + 13):
            ref = locus38.seq(pos, pos)
            for alt in "ACGT":
                if alt != ref:
                    assert annotator38._snv(pos, ref, alt) == annotator38._general(pos, ref, alt), (pos, ref, alt)
                    checked += 1
    assert checked > 6000


@pytest.mark.parametrize("build", BUILDS)
def test_the_verified_protein_handed_to_the_annotator_is_the_translation_of_the_cds(loci, build):
    from ros1trace.variants.annotate import Annotator
    from ros1trace.variants.samples import manifest_annotator

    tx = transcript(build)
    given = manifest_annotator({"reference_encodes_p08922": True}, tx, loci[build])
    translated = manifest_annotator({"reference_encodes_p08922": False}, tx, loci[build])
    assert "protein" in vars(given) and "protein" not in vars(translated)  # the second translates on use
    assert given.protein == translated.protein
    with pytest.raises(ValueError, match="residues"):
        Annotator(tx, loci[build], protein="MK*")
