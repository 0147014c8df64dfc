"""VCF reading: tumour column, dialects, chr naming, index vs stream, splitting, left-alignment, errors."""

from __future__ import annotations

import pytest

from conftest import record, write_vcf
from ros1trace.errors import InputError
from ros1trace.reference.transcript import transcript
from ros1trace.variants.normalise import normalise, trim_only
from ros1trace.variants.vcf import Allele, ReferenceSite, Region, VcfReader, VcfSettings

TX = transcript("GRCh38")
G2032R = 117317184  # c.6094G>A, plus strand C>T
ROS1 = [Region("chr6", TX.start - 2000, TX.end + 2000)]


def alleles(path, locus, **settings):
    reader = VcfReader(path, VcfSettings(**settings))
    found = [a for a in reader.alleles(ROS1, locus) if isinstance(a, Allele)]
    reader.close()
    return found


def test_mutect2_tumour_column_comes_from_the_header(tmp_path, locus38):
    path = write_vcf(tmp_path / "m2.vcf", [record(G2032R, "C", "T", "0/0:300,0:0.0:300\t0/1:80,20:0.2:100")],
                     samples=("N1", "T1"), extra_header="##tumor_sample=T1\n")
    [a] = alleles(path, locus38)
    assert (a.counts.alt_reads, a.counts.depth, a.counts.vaf, a.counts.dialect) == (20, 100, 0.2, "ad")
    assert a.called


def test_two_columns_without_a_tumour_name_is_an_error_listing_the_columns(tmp_path, locus38):
    path = write_vcf(tmp_path / "x.vcf", [record(G2032R, "C", "T", "0/1:1,1:.:2\t0/1:1,1:.:2")], samples=("A", "B"))
    with pytest.raises(InputError, match="A, B"):
        VcfReader(path)


def test_sheet_tumour_sample_must_exist(tmp_path):
    path = write_vcf(tmp_path / "x.vcf", [], samples=("A",))
    with pytest.raises(InputError, match="tumor_sample 'T'"):
        VcfReader(path, VcfSettings(tumor_sample="T"))


@pytest.mark.parametrize("fmt,sample,expected", [
    ("GT:DP:VD:AD:AF", "0/1:200:30:170,30:0.15", (30, 200, 0.15, "ad")),
    ("GT:DP:RO:AO", "0/1:100:90:10", (10, 100, 0.1, "freebayes")),
    ("DP:AU:CU:GU:TU", "100:0,0:70,72:0,0:30,31", (30, 100, 0.3, "strelka2_snv")),
    ("GT:GQ:DP:RD:AD:FREQ:DP4", "0/1:.:91:56:35:38.46%:31,25,16,19", (35, 91, 0.3846, "varscan")),
    ("GT:AD:RD:DP", "0/1:35:56:80", (35, 91, 35 / 91, "varscan")),  # DP below RD + AD
    ("GT:AD:BQ:DP:FA", "0/1:11,3:29:14:0.214", (3, 14, 0.214, "ad")),  # MuTect 1
    ("GT:AD:DP:VAF", "0/1:40,10:50:0.2", (10, 50, 0.2, "ad")),  # DeepVariant
    ("GT:AD:DP", "0/1:0,71:51", (71, 71, 1.0, "ad")),  # GATK3: DP after filters, AD before
    ("GT:DPT:ADT", "0/1:29:21,8", (8, 29, 8 / 29, "tcga_adt")),
    ("GT:DP:DP4", "0/1:6:2,2,1,1", (2, 6, 2 / 6, "dp4")),
])
def test_caller_dialects_give_alt_reads_depth_and_vaf(tmp_path, locus38, fmt, sample, expected):
    path = write_vcf(tmp_path / "d.vcf", [record(G2032R, "C", "T", sample, fmt)])
    [a] = alleles(path, locus38)
    assert (a.counts.alt_reads, a.counts.depth, a.counts.vaf, a.counts.dialect) == expected


def test_strelka2_indel_counts_come_from_tar_and_tir(tmp_path, locus38):
    ref = locus38.seq(G2032R - 1, G2032R)
    path = write_vcf(tmp_path / "s.vcf", [record(G2032R - 1, ref, ref[0], "50:40,41:10,11", "DP:TAR:TIR")])
    [a] = alleles(path, locus38)
    assert (a.counts.alt_reads, a.counts.depth, a.counts.dialect) == (10, 50, "strelka2_indel")


def test_info_af_is_the_fallback_for_sites_only_vcfs(tmp_path, locus38):
    line = "\t".join(["chr6", str(G2032R), ".", "C", "T", ".", "PASS", "AF=0.25;DP=80"])
    path = write_vcf(tmp_path / "i.vcf", [line], samples=())
    [a] = alleles(path, locus38)
    assert (a.counts.vaf, a.counts.depth, a.counts.alt_reads, a.carried) == (0.25, 80, None, True)


def test_records_without_any_counts_are_kept_with_empty_vaf(tmp_path, locus38):
    path = write_vcf(tmp_path / "n.vcf", [record(G2032R, "C", "T", "0/1", "GT")])
    [a] = alleles(path, locus38)
    assert a.counts.vaf is None and a.called


@pytest.mark.parametrize("indexed", [True, False])
@pytest.mark.parametrize("chrom", ["chr6", "6"])
def test_chr_naming_and_index_give_the_same_alleles(tmp_path, locus38, indexed, chrom):
    records = [record(G2032R, "C", "T", chrom=chrom), record(1000, "A", "G", chrom=chrom),
               record(G2032R, "C", "T", chrom="chr7")]
    path = write_vcf(tmp_path / "c.vcf", sorted(records, key=lambda r: (r.split("\t")[0], int(r.split("\t")[1]))),
                     chrom=chrom, index=indexed)
    found = alleles(path, locus38)
    assert [(a.chrom, a.pos) for a in found] == [(chrom, G2032R)]


def test_multiallelic_records_are_split_per_allele(tmp_path, locus38):
    path = write_vcf(tmp_path / "m.vcf", [record(G2032R, "C", "T,G", "1/2:50,20,30:0.2,0.3:100", "GT:AD:AF:DP")])
    found = alleles(path, locus38)
    assert [(a.alt, a.counts.alt_reads, a.counts.vaf) for a in found] == [("T", 20, 0.2), ("G", 30, 0.3)]


def test_genotype_decides_which_allele_is_carried(tmp_path, locus38):
    path = write_vcf(tmp_path / "g.vcf", [record(G2032R, "C", "T,G", "0/2:50,0,30:0.0,0.3:80")])
    found = alleles(path, locus38)
    assert [(a.alt, a.carried) for a in found] == [("T", False), ("G", True)]


def test_zero_zero_records_are_depth_not_calls(tmp_path, locus38):
    path = write_vcf(tmp_path / "z.vcf", [record(G2032R, "C", "T", "0/0:500,0:0.0:500")])
    reader = VcfReader(path)
    items = list(reader.alleles(ROS1, locus38))
    assert len(items) == 1 and isinstance(items[0], ReferenceSite) and items[0].depth == 500


def test_filtered_calls_are_listed_but_not_called(tmp_path, locus38):
    path = write_vcf(tmp_path / "f.vcf", [record(G2032R, "C", "T", filt="weak_evidence")])
    [a] = alleles(path, locus38)
    assert a.carried and not a.called and a.filter == "weak_evidence"
    [b] = alleles(path, locus38, filter_policy="accepted", accepted_filters=("weak_evidence",))
    assert b.called


def test_without_gt_alt_reads_decide_the_call(tmp_path, locus38):
    path = write_vcf(tmp_path / "r.vcf", [record(G2032R, "C", "T", "98,2:100", "AD:DP")])
    [a] = alleles(path, locus38)
    assert not a.carried
    [b] = alleles(path, locus38, min_alt_reads=2)
    assert b.carried


def test_indels_are_left_aligned_through_repeats(locus38):
    # Find a homopolymer of length >= 2 in the locus and delete one base at its right end.
    seq, start = locus38.bases, locus38.start
    i = next(i for i in range(3000, len(seq) - 3) if seq[i] == seq[i + 1] != seq[i - 1] and seq[i] != "N")
    left = start + i  # first base of the run (1-based = start + index)
    right_anchor = left  # delete the run's second base, written anchored on the first
    assert normalise(right_anchor, seq[i:i + 2], seq[i], lambda p: locus38.seq(p, p)) == \
        (left - 1, seq[i - 1] + seq[i], seq[i - 1])
    assert trim_only(100, "CAT", "CGT") == (101, "A", "G")


def test_symbolic_alleles_are_skipped_with_a_warning(tmp_path, locus38, caplog):
    path = write_vcf(tmp_path / "sym.vcf", [record(G2032R, "C", "<DEL>", "0/1:10,10:0.5:20"),
                                            record(G2032R + 1, locus38.seq(G2032R + 1, G2032R + 1), "*",
                                                   "0/1:10,10:0.5:20")])
    assert alleles(path, locus38) == []
    assert "symbolic" in caplog.text


def test_ref_mismatch_inside_the_locus_stops_with_the_record_named(tmp_path, locus38):
    wrong = "A" if locus38.seq(G2032R, G2032R) != "A" else "G"
    path = write_vcf(tmp_path / "bad.vcf", [record(G2032R, wrong, "T")])
    with pytest.raises(InputError, match=rf"bad.vcf.gz: record chr6:{G2032R} {wrong}>T: REF .* does not match"):
        alleles(path, locus38)


@pytest.mark.parametrize("sample,message", [
    ("0/1:10,5:1.5:15", "AF must lie in"),
    ("0/1:10,5:0.3:-3", "depth is -3"),
    ("0/1:10,5,2:0.3:17", "AD has 3 values"),
])
def test_impossible_values_stop_with_one_line(tmp_path, locus38, sample, message):
    path = write_vcf(tmp_path / "v.vcf", [record(G2032R, "C", "T", sample)])
    with pytest.raises(InputError, match=message) as error:
        alleles(path, locus38)
    assert "\n" not in str(error.value)


def test_non_integer_pos_names_the_line(tmp_path, locus38):
    path = write_vcf(tmp_path / "p.vcf", [record(G2032R, "C", "T").replace(str(G2032R), "1x7", 1)], index=False)
    with pytest.raises(InputError, match=r"p.vcf line \d+: POS '1x7' is not a positive integer"):
        alleles(path, locus38)


def test_phased_genotypes_carry_their_haplotype_and_phase_set(tmp_path, locus38):
    path = write_vcf(tmp_path / "ph.vcf", [record(G2032R - 1, "C", "T", "0|1:50,50:0.5:100:7", "GT:AD:AF:DP:PS"),
                                           record(G2032R, "C", "T", "1|0:50,50:0.5:100:7", "GT:AD:AF:DP:PS")])
    first, second = alleles(path, locus38)
    assert (first.haplotype, second.haplotype, first.phase_set) == (1, 0, "PS:7")


@pytest.mark.parametrize("records_sorted", [True, False])
def test_bgzipped_vcf_without_index_gives_the_same_alleles(tmp_path, locus38, records_sorted):
    import pysam

    records = [record(G2032R, "C", "T"), record(G2032R + 3, locus38.seq(G2032R + 3, G2032R + 3), "A"),
               record(55_000_000, "A", "G", chrom="chr7")]
    if not records_sorted:  # tabix refuses unsorted input: the reader must fall back to streaming
        records = records[::-1]
    plain = write_vcf(tmp_path / "u.vcf", records, index=False)
    pysam.tabix_compress(str(plain), str(plain) + ".gz", force=True)
    found = alleles(f"{plain}.gz", locus38)
    assert sorted(a.pos for a in found) == [G2032R, G2032R + 3]
    assert not (tmp_path / "u.vcf.gz.tbi").exists()  # the temporary index never lands next to the data


def test_bcf_input_is_read_like_its_vcf(tmp_path, locus38):
    import pysam

    vcf = write_vcf(tmp_path / "b.vcf", [record(G2032R, "C", "T"), record(55_000_000, "A", "G", chrom="chr7")])
    with pysam.VariantFile(str(vcf)) as source, pysam.VariantFile(str(tmp_path / "b.bcf"), "wb",
                                                                  header=source.header) as target:
        for rec in source:
            target.write(rec)
    [a] = alleles(tmp_path / "b.bcf", locus38)
    assert (a.pos, a.ref, a.alt, a.counts.alt_reads) == (G2032R, "C", "T", 20)


@pytest.mark.parametrize("index", [True, False])
def test_a_vcf_without_contig_lines_is_read_through_its_index_names(tmp_path, locus38, index):
    import pysam

    plain = write_vcf(tmp_path / "n.vcf", [record(G2032R, "C", "T")], index=False)
    plain.write_text("".join(line + "\n" for line in plain.read_text().splitlines() if "##contig" not in line))
    if index:
        pysam.tabix_index(str(plain), preset="vcf", force=True)
        plain = plain.with_suffix(".vcf.gz")
    [a] = alleles(plain, locus38)
    assert (a.chrom, a.pos) == ("chr6", G2032R)


def test_a_csi_index_is_used_like_a_tbi(tmp_path, locus38):
    import pysam

    plain = write_vcf(tmp_path / "c.vcf", [record(G2032R, "C", "T"), record(55_000_000, "A", "G", chrom="chr7")],
                      index=False)
    pysam.tabix_index(str(plain), preset="vcf", force=True, csi=True)
    path = tmp_path / "c.vcf.gz"
    assert (tmp_path / "c.vcf.gz.csi").exists() and not (tmp_path / "c.vcf.gz.tbi").exists()
    reader = VcfReader(path)
    assert reader.source._tabix is not None  # queried through the index, not streamed
    [a] = [a for a in reader.alleles(ROS1, locus38) if isinstance(a, Allele)]
    assert (a.pos, a.alt) == (G2032R, "T")


def test_plain_gzip_vcf_is_streamed(tmp_path, locus38):
    import gzip

    plain = write_vcf(tmp_path / "g.vcf", [record(G2032R, "C", "T")], index=False)
    with gzip.open(tmp_path / "g.vcf.gz", "wb") as handle:  # gzip, not BGZF: tabix cannot index it
        handle.write(plain.read_bytes())
    [a] = alleles(tmp_path / "g.vcf.gz", locus38)
    assert (a.pos, a.counts.alt_reads) == (G2032R, 20)


@pytest.mark.parametrize("sample,fmt,message", [
    ("0/1:10,x:0.3:15", "GT:AD:AF:DP", "AD is '10,x', not a comma-separated list of integers"),
    ("0/1:10,5:high:15", "GT:AD:AF:DP", "AF is 'high', not a comma-separated list of numbers"),
    ("0/a:10,5:0.3:15", "GT:AD:AF:DP", "GT is '0/a', not a genotype"),
    ("0/1:90:10", "GT:RO:AO", None),
])
def test_values_that_are_not_numbers_stop_with_the_record_named(tmp_path, locus38, sample, fmt, message):
    path = write_vcf(tmp_path / "n.vcf", [record(G2032R, "C", "T", sample, fmt)])
    if message is None:  # a well-formed record for contrast
        assert alleles(path, locus38)[0].counts.alt_reads == 10
        return
    with pytest.raises(InputError, match=rf"n.vcf.gz: record chr6:{G2032R} C>T: {message}") as error:
        alleles(path, locus38)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("line,message", [
    ("chr6\t117317184\t.\tC", r"line \d+: 4 tab-separated fields, a VCF record needs 8"),
    ("chr6\t117317184\t.\tC\tT\t.\tPASS\t.\tGT:AD", r"line \d+: 9 columns, the header names 10"),
])
def test_short_records_name_their_line(tmp_path, locus38, line, message):
    path = write_vcf(tmp_path / "s.vcf", [line], index=False)
    with pytest.raises(InputError, match=message):
        alleles(path, locus38)


def test_a_file_that_is_not_a_vcf_is_refused_in_one_line(tmp_path):
    path = tmp_path / "calls.vcf"
    path.write_text("chrom\tpos\tref\talt\nchr6\t1\tA\tC\n")
    with pytest.raises(InputError, match="calls.vcf: not a VCF"):
        VcfReader(path)


def test_a_header_without_chrom_line_names_the_line(tmp_path):
    path = tmp_path / "h.vcf"
    path.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr6>\nchr6\t1\t.\tA\tC\t.\tPASS\t.\n")
    with pytest.raises(InputError, match=r"h.vcf line 3: the header has no #CHROM line"):
        VcfReader(path)


def test_gvcf_blocks_are_reference_sites_with_their_span_and_lowest_depth(tmp_path, locus38):
    base = locus38.seq(G2032R - 50, G2032R - 50)
    block = "\t".join(["chr6", str(G2032R - 50), ".", base, "<NON_REF>", ".", ".", f"END={G2032R + 50}",
                       "GT:DP:GQ:MIN_DP", "0/0:95:99:80"])
    site = "\t".join(["chr6", str(G2032R + 60), ".", locus38.seq(G2032R + 60, G2032R + 60), "A,<NON_REF>", ".", ".",
                      ".", "GT:AD:DP", "0/1:30,10,0:40"])
    path = write_vcf(tmp_path / "g.vcf", [block, site],
                     extra_header='##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description="Minimum DP">\n'
                                  '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="GQ">\n')
    items = list(VcfReader(path).alleles(ROS1, locus38))
    assert isinstance(items[0], ReferenceSite)
    assert (items[0].start, items[0].end, items[0].depth) == (G2032R - 50, G2032R + 50, 80)
    assert [(a.alt, a.counts.alt_reads, a.called) for a in items[1:]] == [("A", 10, True)]


def test_a_truncated_bgzipped_vcf_stops_with_one_line(tmp_path, locus38):
    records = [record(G2032R + 3 * i, locus38.seq(G2032R + 3 * i, G2032R + 3 * i), "A") for i in range(3000)]
    path = write_vcf(tmp_path / "t.vcf", [r for r in records if r.split("\t")[3] != "A"])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut mid-file; the index still promises the rest
    with pytest.raises(InputError, match=r"t.vcf.gz: .*(could not read|cannot be read)") as error:
        alleles(path, locus38)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("indexed", [False, True])
def test_damaged_records_stop_with_an_input_error_never_a_traceback(tmp_path, locus38, indexed):
    """Seeded damage to one field of a valid record: the reader either reads it or says what is wrong."""
    import random

    rng = random.Random(7)
    junk = ["", ".", "-1", "x", "1.5", "0/a", ",,", "1,2,3,4", "9" * 30, "nan", "A", "<DEL>", "N[chr6:5[", ";;", "=",
            "\u00e9"]
    base = record(G2032R, "C", "T", "0/1:80,20:0.2:100:7", "GT:AD:AF:DP:PS", info="DP=100;AF=0.2").split("\t")
    outcomes = {"read": 0, "refused": 0}
    for case in range(250):
        fields = list(base)
        column = rng.randrange(len(fields))
        if column == 9:  # damage one value of the sample column
            values = fields[9].split(":")
            values[rng.randrange(len(values))] = rng.choice(junk)
            fields[9] = ":".join(values)
        else:
            fields[column] = rng.choice(junk)
        try:
            path = write_vcf(tmp_path / f"d{case}.vcf", ["\t".join(fields)], index=indexed)
        except (OSError, ValueError):  # tabix itself refuses the file (e.g. POS not a number)
            continue
        try:
            alleles(path, locus38)
            outcomes["read"] += 1
        except InputError as error:
            assert "\n" not in str(error) and f"d{case}.vcf" in str(error)
            outcomes["refused"] += 1
    assert outcomes["read"] and outcomes["refused"]


def test_dp_below_the_reads_in_ad_is_warned_once_per_file(tmp_path, locus38, caplog):
    path = write_vcf(tmp_path / "g.vcf", [record(G2032R, "C", "T", "0/1:10,20:25", "GT:AD:DP"),
                                         record(G2032R + 3, "C", "T", "0/1:10,20:25", "GT:AD:DP")])
    assert [a.counts.depth for a in alleles(path, locus38)] == [30, 30]
    assert caplog.text.count("FORMAT DP is below the reads in AD") == 1


def test_a_zero_zero_genotype_with_somatic_status_2_is_a_call(tmp_path, locus38):
    path = write_vcf(tmp_path / "p.vcf", [record(G2032R, "C", "T", "0/0:47:2:43,4", "GT:DP:SS:AD")],
                     extra_header='##FORMAT=<ID=SS,Number=1,Type=Integer,Description="somatic status">\n')
    [a] = alleles(path, locus38)
    assert a.called and (a.counts.alt_reads, a.counts.depth) == (4, 47)


def test_a_sites_only_record_is_a_call_with_unknown_reads(tmp_path, locus38):
    line = "\t".join(["chr6", str(G2032R), ".", "C", "T", ".", "PASS", "CSQ=T|missense_variant"])
    [a] = alleles(write_vcf(tmp_path / "s.vcf", [line], samples=()), locus38)
    assert a.called and (a.counts.alt_reads, a.counts.depth, a.counts.vaf, a.counts.dialect) == \
        (None, None, None, "sites_only")


@pytest.mark.parametrize("samples, tumour", [
    (("/data/patient_AM_normal.bam", "/data/patient_AM_tumor.bam"), "/data/patient_AM_tumor.bam"),
    (("EMN-3661-T2", "EMN-3661-G1"), "EMN-3661-T2"),
    (("Patient_01_Germline", "Patient_01_Somatic"), "Patient_01_Somatic"),
    (("abc", "abc-match"), "abc"),
])
def test_the_tumour_column_is_chosen_by_its_name(tmp_path, samples, tumour):
    reader = VcfReader(write_vcf(tmp_path / "t.vcf", [], samples=samples), VcfSettings())
    assert reader.source.samples[reader.sample] == tumour
    reader.close()


def test_two_columns_named_alike_still_need_tumor_sample(tmp_path):
    with pytest.raises(InputError, match="set tumor_sample"):
        VcfReader(write_vcf(tmp_path / "t.vcf", [], samples=("S1", "S2")), VcfSettings())


def test_a_breakend_with_ref_n_inside_ros1_is_skipped_not_a_ref_mismatch(tmp_path, locus38, caplog):
    path = write_vcf(tmp_path / "b.vcf", [record(G2032R, "N", "N[chr1:5[", "0/1", "GT"),
                                         record(G2032R + 1, "N", "<DEL>", "0/1", "GT")])
    assert alleles(path, locus38) == []
    assert caplog.text.count("is symbolic or a breakend and is skipped") == 2


def test_a_header_without_fileformat_but_with_chrom_is_read_with_a_warning(tmp_path, locus38, caplog):
    path = tmp_path / "n.vcf"
    path.write_text("00:00:39 Reading samples\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
                    + record(G2032R, "C", "T") + "\n")
    [a] = alleles(path, locus38)
    assert a.called and "no ##fileformat line; read as a VCF from its #CHROM line; line(s) 1" in caplog.text


def test_a_sparse_file_of_a_gigabyte_is_refused_without_reading_it(tmp_path):
    sparse = tmp_path / "huge.vcf"
    with open(sparse, "wb") as handle:
        handle.truncate(1 << 30)  # no line break anywhere
    with pytest.raises(InputError, match="huge.vcf: not a VCF"):
        VcfReader(sparse, VcfSettings())
