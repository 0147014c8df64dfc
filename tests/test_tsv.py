"""Writing results: atomically, and cleaning what an interrupted job left behind."""

from __future__ import annotations

import pytest

from ros1trace.tsv import atomic_path, read_tsv, write_tsv


def test_a_failed_write_leaves_neither_the_output_nor_a_temporary(tmp_path):
    target = tmp_path / "variants.tsv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("disk gone")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_jobs_temporary_is_removed_by_the_next_write(tmp_path):
    orphan = tmp_path / ".lollipop.png.partial"  # what a write left before a kill -9
    orphan.write_bytes(b"\x89PNG half")
    unrelated = tmp_path / ".lollipop.png.notes"
    unrelated.write_text("mine")
    write_tsv(tmp_path / "lollipop.png", ["a"], [{"a": 1}])
    assert not orphan.exists() and unrelated.exists()
    assert read_tsv(tmp_path / "lollipop.png") == [{"a": "1"}]
