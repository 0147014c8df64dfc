"""Property-based tests of the small-variant readers: whatever the bytes, a read or one InputError.

* the read counts of any FORMAT/INFO values: either a MalformedRecord, or counts that can be true
  (alt reads never above the depth, a VAF inside [0, 1], nothing negative);
* any VCF text built from plausible and implausible fields: alleles or an InputError, never
  another exception;
* any bytes at all as a VCF: an InputError, or a file read.
"""

from __future__ import annotations

import gzip
import string
import tempfile
from pathlib import Path

from conftest import examples
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ros1trace.errors import InputError
from ros1trace.variants.dialects import MalformedRecord, allele_counts
from ros1trace.variants.vcf import Region, VcfReader, VcfSettings

KEYS = ["GT", "AD", "DP", "AF", "FA", "VAF", "RD", "FREQ", "AO", "RO", "AU", "CU", "GU", "TU", "TAR", "TIR",
        "DP4", "ADT", "DPT", "SS", "PS", "MIN_DP"]
NUMBER = st.one_of(st.integers(-5, 10_000).map(str), st.floats(-1, 2).map(lambda f: f"{f:g}"),
                   st.sampled_from([".", "", "12%", "38.46%", "x", "1e400", "nan", "inf", "²", "0x10"]))
VALUE = st.lists(NUMBER, min_size=1, max_size=5).map(",".join)
FORMAT = st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=8)


@given(fmt=FORMAT, info=st.dictionaries(st.sampled_from(["AF", "DP"]), VALUE, max_size=2),
       alts=st.lists(st.sampled_from(["A", "C", "G", "T", "CA"]), min_size=1, max_size=3), sites_only=st.booleans())
@settings(max_examples=examples(600), deadline=None)
def test_counts_from_any_format_values_are_possible_or_malformed(fmt, info, alts, sites_only):
    for allele in range(1, len(alts) + 1):
        try:
            counts = allele_counts(None if sites_only else fmt, info.get, "C", alts, allele)
        except MalformedRecord as error:
            assert "\n" not in str(error)
            continue
        assert counts.depth is None or counts.depth >= 0
        assert counts.alt_reads is None or counts.alt_reads >= 0
        assert counts.vaf is None or 0 <= counts.vaf <= 1
        if counts.alt_reads is not None and counts.depth is not None and counts.dialect != "format_af":
            assert counts.alt_reads <= counts.depth


FIELD = st.text(alphabet=string.printable.replace("\t", "").replace("\n", "").replace("\r", ""), max_size=12)
POS = st.one_of(st.integers(117_288_000, 117_289_000).map(str), FIELD, st.sampled_from(["²", "1" * 5000, "-1"]))
BASES = st.text(alphabet="ACGTN", min_size=1, max_size=4)
RECORD = st.tuples(st.sampled_from(["chr6", "6", "chr7"]), POS, BASES,
                   st.one_of(BASES, st.sampled_from(["<DEL>", "N[chr1:5[", "*", ".", "A,C"])),
                   st.sampled_from(["PASS", ".", "LowQual"]),
                   st.one_of(st.just("."), FIELD, st.sampled_from(["END=²", "END=" + "9" * 5000, "DP=¹"])),
                   st.sampled_from(["GT:AD:DP", "GT:AD:AF:DP", "GT:RD:AD:FREQ:DP", "AU:CU:GU:TU", "GT", "GT:PS", "GT:MIN_DP"]),
                   st.lists(NUMBER, min_size=1, max_size=4).map(":".join))


@given(records=st.lists(RECORD, max_size=6), compressed=st.booleans())
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_vcf_text_gives_alleles_or_one_input_error(records, compressed):
    header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n"
    body = "".join("\t".join([c, p, ".", r, a, ".", f, i, k, v]) + "\n" for c, p, r, a, f, i, k, v in records)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("t.vcf.gz" if compressed else "t.vcf")
        data = (header + body).encode()
        path.write_bytes(gzip.compress(data) if compressed else data)
        _read_all(path)


@given(data=st.binary(max_size=400), prefix=st.sampled_from([b"", b"##fileformat=VCFv4.2\n", b"#CHROM\tPOS\n",
                                                             b"\x1f\x8b", b"BCF\x02"]))
@settings(max_examples=examples(200), deadline=None)
def test_any_bytes_as_a_vcf_are_read_or_refused_in_one_line(data, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.vcf"
        path.write_bytes(prefix + data)
        _read_all(path)


def _read_all(path: Path) -> None:
    try:
        reader = VcfReader(path, VcfSettings(tumor_sample=None))
        try:
            list(reader.alleles([Region("chr6", 117_288_000, 117_289_000)], None))
        finally:
            reader.close()
    except InputError as error:
        assert "\n" not in str(error)


# Native-backed reading (htslib through pysam for bgzipped VCFs and their indexes, cyvcf2 for BCF) is
# fuzzed in a child process: a crash there (a signal) must show as a failed test, not end the suite.
CHILD = """
import sys
from ros1trace.errors import InputError
from ros1trace.variants.vcf import Region, VcfReader, VcfSettings
try:
    reader = VcfReader(sys.argv[1], VcfSettings())
    list(reader.alleles([Region("chr6", 117_288_000, 117_430_000)], None))
    reader.close()
except InputError as error:
    print(error)
    sys.exit(1)
"""


@pytest.fixture(scope="module")
def native_files(tmp_path_factory):
    """A bgzipped + indexed VCF and its BCF, with records inside ROS1, to damage."""
    import pysam

    from conftest import record, write_vcf

    folder = tmp_path_factory.mktemp("native")
    vcf = write_vcf(folder / "n.vcf", [record(117_317_184 + i, "C", "T") for i in range(0, 300, 3)])
    with pysam.VariantFile(str(vcf)) as source, pysam.VariantFile(str(folder / "n.bcf"), "wb",
                                                                  header=source.header) as target:
        for rec in source:
            target.write(rec)
    return {"vcf.gz": vcf.read_bytes(), "tbi": Path(f"{vcf}.tbi").read_bytes(),
            "bcf": (folder / "n.bcf").read_bytes()}


@given(kind=st.sampled_from(["vcf.gz", "tbi", "bcf"]), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=3))
@example(kind="bcf", cut=1.0, flips=[(0.46875, 2)])  # found by `make fuzz`: zlib.error from a flipped bit
@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_damaged_compressed_vcfs_indexes_and_bcfs_never_crash_the_reader(native_files, kind, cut, flips):
    import subprocess
    import sys

    data = bytearray(native_files["bcf" if kind == "bcf" else "vcf.gz"])
    index = bytearray(native_files["tbi"])
    damaged = index if kind == "tbi" else data
    for where, mask in flips:
        damaged[int(where * (len(damaged) - 1))] ^= mask
    damaged[:] = damaged[: max(1, int(cut * len(damaged)))] if cut < 0.9 else damaged
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("x.bcf" if kind == "bcf" else "x.vcf.gz")
        path.write_bytes(data)
        if kind != "bcf":
            Path(f"{path}.tbi").write_bytes(index)
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), f"the reader died with {done.returncode}: {done.stderr[-500:]}"
    if done.returncode == 1:
        assert len(done.stdout.strip().splitlines()) == 1 and "Traceback" not in done.stderr
