"""Malformed fusion files stop the run with one line naming the file, the line and the fix."""

from __future__ import annotations

import re

import pytest

from ros1trace.errors import InputError
from ros1trace.fusions.formats import read_calls
from ros1trace.fusions.genes import breakpoint_in
from ros1trace.synthetic.fusion_files import FusionEvent, write_fusion_file

ROS1 = breakpoint_in("ROS1", "GRCh38", intron=33)
CD74 = breakpoint_in("CD74", "GRCh38", intron=6)
EVENT = FusionEvent("CD74", "ROS1", *CD74, *ROS1, 10)


def error_of(path, fmt=None) -> str:
    with pytest.raises(InputError) as caught:
        read_calls(path, fmt)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def written(tmp_path, fmt, edit=lambda text: text, name="calls"):
    path = write_fusion_file(tmp_path / f"{name}.{fmt}", fmt, [EVENT], "GRCh38")
    path.write_text(edit(path.read_text()))
    return path


def drop_lines(marker):
    return lambda text: "".join(line for line in text.splitlines(True) if marker not in line)


def header_lines(path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.startswith("#"))


def test_symbolic_bnd_without_any_mate_position_is_an_error(tmp_path):
    path = written(tmp_path, "vcf", lambda t: re.sub(r"\t[N\]\[]*chr\d+:\d+[\]\[]N?\t", "\t<BND>\t", t)
                   .replace("MATEID=fusion1_2;", "").replace("MATEID=fusion1_1;", ""))
    assert re.search(rf"line {header_lines(path) + 1}: BND/TRA record fusion1_\d names no mate", error_of(path))


def test_arriba_file_missing_a_column_names_the_header_line(tmp_path):
    def drop_breakpoint2(text):
        lines = [line.split("\t") for line in text.splitlines()]
        column = lines[0].index("breakpoint2")
        return "".join("\t".join(cells[:column] + cells[column + 1:]) + "\n" for cells in lines)

    message = error_of(written(tmp_path, "arriba", drop_breakpoint2))
    assert re.search(r"line 1: Arriba header lacks column\(s\) breakpoint2; give the caller's unmodified output",
                     message)


def test_row_that_ends_before_a_needed_column_names_its_line(tmp_path):
    path = written(tmp_path, "star-fusion", lambda t: t + "CD74--ROS1\t3\n")
    assert re.search(r"line 3: 2 fields, the header has 17 \(the row ends before column LeftGene\)", error_of(path))


def test_row_with_more_fields_than_the_header_names_its_line(tmp_path):
    path = written(tmp_path, "star-fusion", lambda t: t.rstrip("\n") + "\textra\n")
    assert re.search(r"line 2: 18 fields, the header has 17; keep one tab between columns", error_of(path))


def test_row_without_its_empty_trailing_columns_is_read_with_them_empty(tmp_path):
    # FusionInspector leaves off the empty last cells of a row
    path = written(tmp_path, "star-fusion", lambda t: t.rstrip("\n").rsplit("\t", 3)[0] + "\n")
    (call,) = read_calls(path)[1]
    assert (call.a.gene.split("^")[0], call.b.gene.split("^")[0], call.support) == ("CD74", "ROS1", 10)


@pytest.mark.parametrize("fmt,edit,where", [
    ("arriba", lambda t: t.replace("chr5:", "chrZ:"), r"line 2, column breakpoint1: unknown chromosome 'chrZ'"),
    ("tsv", lambda t: t.replace("\tchr6\t", "\tsix\t"), r"line 2, column chrom3: unknown chromosome 'six'"),
    ("fusioncatcher", lambda t: t.replace("\t5:", "\tchr5q:"), r"line 2, column .*: unknown chromosome 'chr5q'"),
    ("vcf", lambda t: t.replace("[chr5:", "[chrQ:").replace("]chr5:", "]chrQ:"), r"line \d+, ALT .*unknown chromosome"),
])
def test_unknown_chromosome_names_file_line_and_allowed_names(tmp_path, fmt, edit, where):
    message = error_of(written(tmp_path, fmt, edit))
    assert re.search(where, message) and "1-22, X, Y, MT" in message


def test_scaffold_contigs_are_legal_but_hold_no_ros1_fusion(tmp_path):
    path = written(tmp_path, "tsv", lambda t: t.replace("\tchr5\t", "\tchrUn_KI270742v1\t"))
    assert len(read_calls(path)[1]) == 1


def test_position_that_is_not_a_number(tmp_path):
    path = written(tmp_path, "tsv", lambda t: t.replace(f"\t{CD74[1]}\t", "\t15O403996\t"))
    assert re.search(r"line 2: column pos5 is '15O403996', not a whole number", error_of(path))


def test_unknown_header_asks_for_fusion_format(tmp_path):
    path = tmp_path / "calls.txt"
    path.write_text("a\tb\tc\n1\t2\t3\n")
    assert re.search(r"line 1: cannot tell the fusion format .* set fusion_format in the sample sheet", error_of(path))


def test_wrong_override_reports_the_missing_columns(tmp_path):
    path = written(tmp_path, "star-fusion")
    assert re.search(r"line 1: generic fusion TSV header lacks column\(s\) gene5, gene3, chrom5", error_of(path, "tsv"))


@pytest.mark.parametrize("edit,where", [
    (lambda t: t + "chr6\t117325319\tb9\n", r"line 23: 3 tab-separated column\(s\), a VCF record has 8 or more"),
    (lambda t: t + "\n".join(t.splitlines()[-1:]).replace("\t117325319\t", "\t11732531x\t") + "\n",
     r"line 23: POS '11732531x' is not a whole number"),
    (lambda t: t.replace("#CHROM", "#CHROM\tPOS\n#CHROM", 1), r"line 21: POS 'POS' is not a whole number"),
    (lambda t: "".join(line for line in t.splitlines(True) if not line.startswith("#CHROM")),
     r"line 20: the VCF header ends without its #CHROM line"),
])
def test_vcf_line_htslib_could_not_parse_names_its_line(tmp_path, edit, where):
    # htslib returns such a line as a broken record that cyvcf2 reads past its memory: never given to it
    assert re.search(where, error_of(written(tmp_path, "vcf", edit)))


@pytest.mark.parametrize("fmt", ["vcf", "star-fusion"])
def test_truncated_gzip_file_is_refused_in_one_line(tmp_path, fmt):
    import gzip

    path = written(tmp_path, fmt)
    data = gzip.compress(path.read_bytes())
    path.write_bytes(data[: len(data) // 2])
    assert re.search(r"cannot be read as text \((EOFError|BadGzipFile|error)", error_of(path, fmt))


def test_a_sparse_file_of_gigabytes_is_refused_after_one_bounded_line(tmp_path):
    import os

    from ros1trace.fusions.formats import read_calls
    from ros1trace.fusions.genes import MAX_LINE

    sparse = tmp_path / "fusions.tsv"
    with open(sparse, "wb") as handle:
        handle.truncate(MAX_LINE * 3)  # no line break anywhere: read whole, this would be the whole file
    assert os.path.getsize(sparse) == MAX_LINE * 3
    with pytest.raises(InputError, match=r"fusions.tsv line 1: longer than 16 MiB without a line break"):
        read_calls(sparse)


@pytest.mark.parametrize("content, message", [
    (b'chr6\tx\tgene\tabc\t10\t.\t+\t.\tgene_name "A"\n', r"line 1: start 'abc' and end '10' must be whole numbers"),
    (b'chr6\tx\tgene\t1\t10\t.\t+\t.\tgene_name "\xe9"\n', r"the GTF cannot be read as UTF-8 text"),
])
def test_a_malformed_gtf_is_one_line(tmp_path, content, message):
    from ros1trace.fusions.genes import read_gtf_genes

    gtf = tmp_path / "genes.gtf"
    gtf.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_gtf_genes(gtf)


@pytest.mark.parametrize("text, said", [
    ("gene5\tgene3\tchrom5\tpos5\tchrom3\tpos3\nCD74\tROS1\t5\t²\t6\t117324415\n", "not a whole number"),
    ("#FusionName\tJunctionReadCount\tSpanningFragCount\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\n"
     "CD74--ROS1\t3\t2\tCD74\tchr5:²:-\tROS1\tchr6:117324415:-\n", "not chrom:position"),
    ("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
     "chr6\t117317000\tb1\tN\tN[chr5:" + "9" * 5000 + "[\t.\tPASS\tSVTYPE=BND\n", "names no mate"),
])
def test_unicode_digits_and_huge_positions_in_fusion_files_are_one_line(tmp_path, text, said):
    path = tmp_path / "calls.txt"
    path.write_text(text)
    with pytest.raises(InputError, match=said):
        read_calls(path)
