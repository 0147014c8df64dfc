"""The CNV reader: amplifications at or above the threshold, and one line for anything malformed."""

from __future__ import annotations

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from ros1trace.errors import InputError
from ros1trace.variants.offtarget import amplifications


def test_amplified_genes_at_or_above_the_threshold_are_named(tmp_path):
    cnv = tmp_path / "c.tsv"
    cnv.write_text("# a comment\ngene\tcopy_number\nMET\t9\nKRAS\t5.5\nEGFR\t6\nTP53\t12\n")
    assert amplifications(str(cnv), 6) == ["EGFR amplification (CN 6)", "MET amplification (CN 9)"]


@pytest.mark.parametrize("body, message", [
    ("gene\tcopy_number\nMET\tnan\n", r"c.tsv line 2: copy_number must be a number; got 'MET\\tnan'"),
    ("gene\tcopy_number\nMET\tinf\n", r"line 2: copy_number must be a number"),
    ("gene\tcopy_number\n\nMET\t-1\n", r"c.tsv line 3: copy_number -1 is negative"),
    ("gene\tcn\nMET\t9\n", r"line 1: CNV file needs columns gene and copy_number"),
])
def test_malformed_cnv_rows_are_one_line_naming_the_line(tmp_path, body, message):
    cnv = tmp_path / "c.tsv"
    cnv.write_text(body)
    with pytest.raises(InputError, match=message):
        amplifications(str(cnv), 6)


def test_a_cnv_file_that_is_not_utf8_names_the_byte(tmp_path):
    cnv = tmp_path / "c.tsv"
    cnv.write_bytes(b"gene\tcopy_number\nMET\t9 \xe9\n")
    with pytest.raises(InputError, match=r"c.tsv line 2: byte 23 \(0xe9\) is not UTF-8"):
        amplifications(str(cnv), 6)


@given(data=st.binary(max_size=300), header=st.sampled_from([b"", b"gene\tcopy_number\n", b"copy_number\tgene\n"]))
@settings(max_examples=examples(300), deadline=None)
def test_any_bytes_as_a_cnv_file_are_read_or_refused_in_one_line(tmp_path_factory, data, header):
    cnv = tmp_path_factory.mktemp("cnv") / "c.tsv"
    cnv.write_bytes(header + data)
    try:
        found = amplifications(str(cnv), 6)
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert all(entry.endswith(")") for entry in found)
