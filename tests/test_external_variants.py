"""Every published ROS1 variant of TCGA MC3, GENIE, GDC and DoCM (ros1_external_variants.tsv), run
through the workflow on the synthetic locus, gets the published c., p., exon/intron and consequence.

The records are MAF style (``-`` is the empty allele of an indel): each becomes a VCF record (an
indel anchored on the base before it, read from the locus).  One snakemake run per build; no two
variants of one codon share a sample, since the workflow merges same-VAF changes of a codon into
one haplotype.  Published notation differs from ours only in spelling, and NORMALISED below says
how each spelling is read.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pysam

from real_data import ROS1_VARIANTS, requires_real_data, run_cohort, table
from ros1trace.reference.genome import load_locus
from ros1trace.reference.transcript import BUILDS, read_tsv, transcript
from ros1trace.synthetic.locus import CHR6_LENGTH, bundled_fasta
from ros1trace.variants.normalise import normalise

NORMALISED = """
c.3851delA, c.-140dupA     -> c.3851del, c.-140dup (current HGVS does not repeat the bases)
p.Y228Y (MAF silent)       -> Y228=
p.X1509_splice, .          -> no protein change (vcf2maf's placeholder; ours is empty off the CDS)
Missense_Mutation ...      -> the SO term vcf2maf made it from (MAF_CLASS); Splice_Site by the c. sign
frameshift whose first new residue is a stop (p.L1167*): ours adds stop_gained to frameshift_variant;
                              VEP prints frameshift_variant only (its codon window 'tTa/ta' shows no stop;
                              Ensembl/ensembl-vep#1830 calls the missing stop_gained future work)
"""
MAF_CLASS = {"Missense_Mutation": "missense_variant", "missense": "missense_variant",
             "Silent": "synonymous_variant", "Nonsense_Mutation": "stop_gained",
             "Frame_Shift_Del": "frameshift_variant", "Frame_Shift_Ins": "frameshift_variant",
             "3'UTR": "3_prime_UTR_variant", "5'UTR": "5_prime_UTR_variant"}
DEPTH, ALT_READS = 200, 60


def distinct_variants() -> dict[tuple, list[dict]]:
    """(build, pos, ref, alt) -> the published rows of that variant."""
    found = defaultdict(list)
    for row in read_tsv(ROS1_VARIANTS / "ros1_external_variants.tsv"):
        found[(row["build"], int(row["pos"]), row["ref"], row["alt"])].append(row)
    return found


def vcf_allele(locus, pos: int, ref: str, alt: str) -> tuple[int, str, str]:
    """MAF alleles -> VCF: an indel keeps the base before it (for an insertion, Start_Position)."""
    if ref == "-":
        return pos, locus.seq(pos, pos), locus.seq(pos, pos) + alt
    if alt == "-":
        anchor = locus.seq(pos - 1, pos - 1)
        return pos - 1, anchor + ref, anchor
    return pos, ref, alt


def touched(tx, pos: int, ref: str) -> set:
    """Codons (or, off the CDS, bases) a record touches: two in one sample must not share one."""
    span = range(pos - 1, pos + max(len(ref), 1) + 1)
    return {("codon", (tx.c_of(p) - 1) // 3) if tx.c_of(p) else ("base", p) for p in span}


def groups(keys: list[tuple], tx) -> list[list[tuple]]:
    placed: list[tuple[set, list]] = []
    for key in keys:
        mine = touched(tx, key[1], key[2])
        target = next((g for g in placed if not g[0] & mine), None)
        if target is None:
            target = (set(), [])
            placed.append(target)
        target[0].update(mine)
        target[1].append(key)
    return [members for _, members in placed]


def write_vcf(path, chrom: str, build: str, records: list[tuple[int, str, str]]):
    header = ["##fileformat=VCFv4.2", f"##contig=<ID={chrom},length={CHR6_LENGTH[build]}>",
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
              '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">',
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR"]
    sample = f"0/1:{DEPTH - ALT_READS},{ALT_READS}:{DEPTH}"
    body = [f"{chrom}\t{p}\t.\t{r}\t{a}\t.\tPASS\t.\tGT:AD:DP\t{sample}" for p, r, a in sorted(records)]
    path.write_text("\n".join(header + body) + "\n")
    pysam.tabix_index(str(path), preset="vcf", force=True)
    return f"{path}.gz"


def published_consequence(row: dict) -> set[str]:
    """The SO terms the source printed, or the one its MAF class was made from."""
    maf_class, _, terms = row["consequence_if_given"].partition(";")
    if terms:
        return set(terms.replace(",", "&").split("&"))
    if maf_class == "Splice_Site":
        return {"splice_donor_variant" if "+" in row["hgvs_c"] else "splice_acceptor_variant"}
    return {MAF_CLASS[maf_class]}


def expected_numbering(row: dict, tx) -> tuple[str, str] | None:
    """(exon, intron) cells: from ``exon_given`` (``43/43``), or for an intronic c. from its exon."""
    if row["exon_given"] not in ("", "."):
        return row["exon_given"].split("/")[0], ""
    intronic = re.match(r"c\.(\d+)([+-])\d+", row["hgvs_c"])
    if intronic:
        exon = tx.locate(tx.c_to_genome(int(intronic[1]))).exon
        return "", str(exon if intronic[2] == "+" else exon - 1)  # intron n lies between exons n and n + 1
    return None


def differences(row: dict, got: dict, tx) -> list[str]:
    found = []
    hgvs_c = re.sub(r"(del|dup)[ACGT]+$", r"\1", row["hgvs_c"])
    if got["hgvs_c"] != hgvs_c:
        found.append(f"hgvs_c {got['hgvs_c']} != {row['hgvs_c']}")
    short = row["hgvs_p"].removeprefix("p.")
    silent = re.fullmatch(r"([A-Z])(\d+)\1", short)
    if silent:
        short = f"{silent[1]}{silent[2]}="
    elif short == "." or short.endswith("_splice"):
        short = ""
    if got["protein_change"] != short:
        found.append(f"protein_change {got['protein_change']} != {row['hgvs_p']}")
    if row["hgvs_p_long"] and got["hgvs_p"] != row["hgvs_p_long"]:
        found.append(f"hgvs_p {got['hgvs_p']} != {row['hgvs_p_long']}")
    if not short and got["hgvs_p"]:
        found.append(f"hgvs_p {got['hgvs_p']} where none is published")
    numbering = expected_numbering(row, tx)
    if numbering and (got["exon"], got["intron"]) != numbering:
        found.append(f"exon/intron {got['exon']}/{got['intron']} != {numbering}")
    ours, theirs = got["consequence"].split("&"), published_consequence(row)
    if "frameshift_variant" in ours and short.endswith("*") and "fs" not in short:
        ours.remove("stop_gained")  # see NORMALISED: a frameshift stopping at once
    if ";" in row["consequence_if_given"]:  # the SO terms were printed: all of them must agree
        same = set(ours) == theirs
    else:  # a MAF class names the most severe term only (ours come most severe first)
        same = ours[0] in theirs
    if not same:
        found.append(f"consequence {got['consequence']} != {row['consequence_if_given']}")
    return found


@requires_real_data
def test_every_published_external_variant_annotates_as_published(tmp_path):
    variants = distinct_variants()
    compared, mismatches = defaultdict(int), []
    for build in BUILDS:
        tx = transcript(build)
        locus = load_locus(bundled_fasta(build), tx)
        keys = sorted(k for k in variants if k[0] == build)
        samples, expected = [], {}
        for number, members in enumerate(groups(keys, tx), start=1):
            sample_id = f"X{number:02d}-{build}"
            records = {key: vcf_allele(locus, *key[1:]) for key in members}
            chrom = variants[members[0]][0]["chrom"]
            vcf = write_vcf(tmp_path / f"{sample_id}.vcf", chrom, build, list(records.values()))
            samples.append({"patient_id": f"X{number:02d}", "sample_id": sample_id, "vcf": vcf})
            for key, record in records.items():
                expected[(sample_id, *normalise(*record, lambda p: locus.seq(p, p)))] = key
        target = tmp_path / build / "results" / "variants.tsv"  # the table only: no stats, figures, report
        _, outdir = run_cohort(tmp_path / build, samples, build, "--", str(target))
        rows = {(r["sample_id"], int(r["pos"]), r["ref"], r["alt"]): r for r in table(outdir, "variants.tsv")}
        for found_key, key in expected.items():
            got = rows.get(found_key)
            for row in variants[key]:
                problems = ["no row in variants.tsv"] if got is None else differences(row, got, tx)
                where = f"{build} {key[1]} {key[2]}>{key[3]} ({row['source_repo']})"
                mismatches += [f"{where}: {p}" for p in problems]
            compared[build] += 1
    assert not mismatches, "\n".join(mismatches)
    assert sum(compared.values()) == len(variants)
    assert compared == {b: sum(1 for k in variants if k[0] == b) for b in BUILDS}
    genie_deletion = [k for k, rows in variants.items() if any(r["hgvs_c"] == "c.3851del" for r in rows)]
    assert len(genie_deletion) == 1  # the GENIE deletion is among those compared
