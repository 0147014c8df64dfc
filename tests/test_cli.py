"""The command line: input errors, machine failures and Ctrl-C are one line, never a traceback."""

from __future__ import annotations

import errno

from ros1trace import cli


def _failing_stage(monkeypatch, exception):
    class Stage:
        @staticmethod
        def add_arguments(parser):
            parser.add_argument("--out")

        @staticmethod
        def run(args):
            raise exception

    monkeypatch.setitem(cli.STAGES, "boom", ("fake_stage", "raises"))
    monkeypatch.setattr(cli.importlib, "import_module", lambda name: Stage)


def test_a_full_disk_is_one_line_naming_the_path_and_the_fix(monkeypatch, capsys):
    _failing_stage(monkeypatch, OSError(errno.ENOSPC, "No space left on device", "/data/results/variants.tsv"))
    assert cli.main(["boom", "--out", "x"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if "ERROR" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "/data/results/variants.tsv: No space left on device; free space there or set outdir to a disk with room")


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    _failing_stage(monkeypatch, KeyboardInterrupt())
    assert cli.main(["boom"]) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err and "interrupted; nothing of this job was kept" in err
