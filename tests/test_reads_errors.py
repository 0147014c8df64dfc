"""The BAM/CRAM reader: a file that is not one, or a damaged one, is one line, never a crash."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO
from ros1trace.errors import InputError
from ros1trace.variants.reads import Bam, ReadSettings

EXAMPLE_BAM = REPO / "resources" / "example" / "data" / "P03" / "P03-B1.bam"


def test_a_text_file_named_bam_is_refused_before_htslib_sees_it(tmp_path):
    fake = tmp_path / "x.bam"
    fake.write_text("not reads\n")
    (tmp_path / "x.bam.bai").write_text("")
    with pytest.raises(InputError, match=r"x.bam: not a BAM or CRAM"):
        Bam(str(fake), ReadSettings(20, 20))


def test_a_truncated_bam_is_one_line(tmp_path):
    cut = tmp_path / "cut.bam"
    cut.write_bytes(EXAMPLE_BAM.read_bytes()[: EXAMPLE_BAM.stat().st_size // 2])
    shutil.copy(f"{EXAMPLE_BAM}.bai", f"{cut}.bai")
    with pytest.raises(InputError, match=r"cut.bam: cannot be read as BAM/CRAM .*samtools quickcheck"):
        Bam(str(cut), ReadSettings(20, 20))
