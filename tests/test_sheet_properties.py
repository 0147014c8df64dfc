"""Property-based tests of the sheet readers: any bytes in a sample or patient sheet give a cohort or
one InputError line, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ros1trace.errors import InputError
from ros1trace.sheets import load_cohort

SAMPLES = b"patient_id\tsample_id\ttimepoint\tsample_type\tvcf\tdepth\n"
PATIENTS = b"patient_id\tprogression_site\tage\n"
ROW = st.lists(st.one_of(st.sampled_from([b"P1", b"S1", b"baseline", b"tissue", b"a.vcf", b"500", b"NA", b"",
                                         b"\xe9", b"\x00", b"\xef\xbb\xbf", b'"', b"\r", b"1e400", b"\xc2\xb2"]),
                         st.binary(max_size=8)), min_size=1, max_size=8).map(b"\t".join)


@given(sample_rows=st.lists(ROW, max_size=4), patient_rows=st.lists(ROW, max_size=3),
       header=st.sampled_from([SAMPLES, b"", b"\xef\xbb\xbf" + SAMPLES, SAMPLES.replace(b"\n", b"\r\n")]))
@example(sample_rows=[], patient_rows=[b"P1\textracranial\t50"], header=SAMPLES)  # header only: refused
@example(sample_rows=[b"P1\tS1\tbaseline\ttissue\ta.vcf\t" + b"9" * 5000], patient_rows=[], header=SAMPLES)
@settings(max_examples=examples(300), deadline=None)
def test_any_sheet_bytes_give_a_cohort_or_one_input_error(sample_rows, patient_rows, header):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "a.vcf").write_text("##fileformat=VCFv4.2\n")
        samples, patients = folder / "samples.tsv", folder / "patients.tsv"
        samples.write_bytes(header + b"".join(r + b"\n" for r in sample_rows))
        patients.write_bytes(PATIENTS + b"".join(r + b"\n" for r in patient_rows))
        try:
            cohort = load_cohort(samples, patients)
        except InputError as error:
            assert "\n" not in str(error)
        else:
            assert all(s.patient_id in {p.patient_id for p in cohort.patients} for s in cohort.samples)
