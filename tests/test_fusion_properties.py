"""Property-based tests of the fusion readers: whatever the bytes, rows or one InputError line.

A fusion file goes through what the workflow's stage does with it (detect, read, check the build,
orient, classify), so any exception but ``InputError`` from any layer fails the test:

* any bytes at all, behind the first bytes of each format;
* the lines of real files (../shared/real-data, when present) and of every synthetic format, with
  fields replaced, dropped, repeated or cut.
"""

from __future__ import annotations

import gzip
import string
import tempfile
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings, strategies as st

from real_data import CALLER_OUTPUTS, caller_output
from ros1trace.errors import InputError
from ros1trace.fusions.classify import CANONICAL, FIVE_PRIME, OTHER
from ros1trace.fusions.formats import FORMATS
from ros1trace.fusions.genes import GeneTable, breakpoint_in
from ros1trace.fusions.samples import sample_rows
from ros1trace.synthetic.fusion_files import FusionEvent, write_fusion_file

BUILD = "GRCh38"
GENES = GeneTable(BUILD)
REAL = [  # (file, lines kept: the header and these data lines, 1-based; the ROS1 ones where there are)
    ("arriba/test_fusions.tsv", (2,)),
    ("ctat-lr-fusion/SeraCareFusions_Isoseq.ctat-LR-fusion.v0.10.0.fusion_predictions.tsv", (3, 6)),
    ("delly/vcf2maf_test_delly.vcf", ()),
    ("fusioncatcher/test_final-list_candidate-fusion-genes.txt", (5, 24)),
    ("fusioncatcher/test_final-list_candidate-fusion-genes.vcf", (32, 33, 56, 57)),
    ("fusioninspector/ex1.finspector.fusion_predictions.final.abridged.FFPM", (2, 3)),
    ("gridss/colo829_1.gridss.somatic.vcf", ()),
    ("lumpy/snpeff_tests_old_HDC134P-lumpy.snpeff.EML4-ALK_fusion.vcf", (97, 98, 99)),
    ("manta/somaticSV.vcf.gz", ()),
    ("star-fusion/fuco_star-fusion.fusion_candidates.final.abridged", (9, 10)),
]


def _text(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def _real_sample(file: str, keep: tuple[int, ...]) -> list[str]:
    """The file's header and the chosen data lines (all data lines for a short file, else the first 20)."""
    lines = _text(caller_output(file))
    header = [line for line in lines if line.startswith("#")]
    data = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    chosen = [line for n, line in data if n in keep] or [line for _, line in data[:20]]
    if not any(line.startswith("#") for line in lines[:1]):  # a text table's header has no '#'
        header, chosen = lines[:1], [line for n, line in data[1:] if n in keep] or [line for _, line in data[1:20]]
    return header + chosen


def _synthetic(fmt: str) -> list[str]:
    ends = {"ROS1": breakpoint_in("ROS1", BUILD, intron=33), "CD74": breakpoint_in("CD74", BUILD, intron=6),
            "GOPC": breakpoint_in("GOPC", BUILD, intron=7)}
    events = [FusionEvent("CD74", "ROS1", *ends["CD74"], *ends["ROS1"], 12),
              FusionEvent("ROS1", "GOPC", *ends["ROS1"], *ends["GOPC"], 3)]
    with tempfile.TemporaryDirectory() as folder:
        return write_fusion_file(Path(folder) / "x", fmt, events, BUILD).read_text().splitlines()


CORPUS = [("synthetic " + fmt, _synthetic(fmt)) for fmt in FORMATS]
if CALLER_OUTPUTS.is_dir():
    CORPUS += [(file, _real_sample(file, keep)) for file, keep in REAL]

FIELD = st.one_of(
    st.text(alphabet=string.printable.replace("\t", "").replace("\n", "").replace("\r", ""), max_size=12),
    st.sampled_from(["", ".", "-1", "NA", "1e400", "nan", "²", "9" * 40, "chr6", "chr6:abc", "6:117324415:-",
                     "chr6:117324415:+:x", "N[6:117324415[", "]chrQ:5]N", "[6:-5[N", "N.", ".ACGT", "<TRA>", "<DEL>",
                     "SVTYPE=BND;MATEID=zz", "SVTYPE=DEL;END=1", "SVTYPE=TRA;CHR2=6;POS2=x;CT=3to5",
                     "GENE5=ROS1;GENE3=ROS1", "ROS1^ENSG00000047936", "MCF3", "GOPC(12),ROS1(4)", "0/1:x,3"]))


@st.composite
def damaged_file(draw) -> tuple[str, str]:
    name, lines = draw(st.sampled_from(CORPUS))
    lines = list(lines)
    for _ in range(draw(st.integers(1, 3))):
        number = draw(st.integers(0, len(lines) - 1))
        cells = lines[number].split("\t")
        where = draw(st.integers(0, len(cells) - 1))
        action = draw(st.sampled_from(["replace", "drop", "repeat", "cut", "drop line", "repeat line"]))
        if action == "replace":
            cells[where] = draw(FIELD)
        elif action == "drop":
            del cells[where]
        elif action == "repeat":
            cells.insert(where, cells[where])
        elif action == "cut":
            cells[where] = cells[where][:draw(st.integers(0, max(0, len(cells[where]) - 1)))]
        if action == "drop line":
            del lines[number]
        elif action == "repeat line":
            lines.insert(number, lines[number])
        else:
            lines[number] = "\t".join(cells)
        if not lines:
            break
    return name, "\n".join(lines) + "\n"


def _stage_reads(path: Path) -> None:
    """Rows with possible values, or one InputError line that names the file."""
    sample = {"patient_id": "P1", "sample_id": "P1-T", "timepoint": "progression", "fusions": str(path)}
    try:
        rows = sample_rows(sample, GENES, {})
    except InputError as error:
        assert "\n" not in str(error) and path.name in str(error), str(error)
        return
    for row in rows:
        assert row["fusion_class"] in (CANONICAL, FIVE_PRIME, OTHER)
        assert row["support"] is None or row["support"] >= 0
        assert "ROS1" in (row["gene5"], row["gene3"])


@given(damaged=damaged_file(), compressed=st.booleans())
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_lines_of_real_and_synthetic_files_give_rows_or_one_input_error(damaged, compressed):
    name, text = damaged
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("calls.gz" if compressed else "calls")
        path.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
        _stage_reads(path)


PREFIXES = [b"", b"##fileformat=VCFv4.2\n", b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
            b"#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\t"
            b"split_reads1\tsplit_reads2\tdiscordant_mates\n",
            b"#FusionName\tJunctionReadCount\tSpanningFragCount\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\n",
            b"gene5\tgene3\tchrom5\tpos5\tchrom3\tpos3\n", b"\x1f\x8b", b"BCF\x02"]


@given(data=st.binary(max_size=300), prefix=st.sampled_from(PREFIXES))
@settings(max_examples=examples(300), deadline=None)
def test_any_bytes_as_a_fusion_file_give_rows_or_one_input_error(data, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.txt"
        path.write_bytes(prefix + data)
        _stage_reads(path)


def test_the_corpus_holds_every_format_and_the_real_files_when_present():
    names = [name for name, _ in CORPUS]
    assert all(f"synthetic {fmt}" in names for fmt in FORMATS)
    if not CALLER_OUTPUTS.is_dir():
        pytest.skip(f"real data not found at {CALLER_OUTPUTS}: only synthetic lines are damaged")
    assert all(file in names for file, _ in REAL)
