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


def test_every_stage_is_a_module_of_stages_with_add_arguments_and_run():
    import importlib

    for name, (module, _) in cli.STAGES.items():
        assert module == f"ros1trace.stages.{name.replace('-', '_')}"
        stage = importlib.import_module(module)
        public = {n for n, v in vars(stage).items() if callable(v) and getattr(v, "__module__", "") == module}
        assert public == {"add_arguments", "run"}, (module, public)


PER_BATCH_STAGES = ("variants", "fusions", "emergence")


def test_a_per_batch_stage_imports_neither_pandas_nor_scipy_nor_matplotlib():
    import subprocess
    import sys

    for name in PER_BATCH_STAGES:
        code = (f"import sys, ros1trace.cli, {cli.STAGES[name][0]}; "
                "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'scipy', 'matplotlib'}))")
        heavy = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert heavy.strip() == "[]", (name, heavy)
