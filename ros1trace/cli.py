"""Command line: one subcommand per workflow rule, nothing else.

``python -m ros1trace.cli <stage> --log LOG ...``.  Each stage lives in its own module,
``ros1trace/stages/<rule>.py``, with ``add_arguments(parser)`` and ``run(args)``; it is imported
only when called, so a per-sample job pays for the imports of its own stage (never pandas/scipy/matplotlib for the VCF stages).

Bad input (``InputError``) is printed as one line on stderr and in the log, with exit code 1 and
no traceback; so is a failure of the machine (``OSError``: a full disk, an unwritable folder), with
the path and what to do, and a Ctrl-C (exit 130).  A stage writes every output through
``tsv.atomic_path``, so a failed job leaves no partial output.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import sys
import time

from .errors import InputError

STAGES = {
    "manifest": ("ros1trace.stages.manifest", "validate the sheets and config into the run manifest"),
    "variants": ("ros1trace.stages.variants", "annotate the ROS1 small variants of a batch of samples"),
    "fusions": ("ros1trace.stages.fusions", "annotate the ROS1 fusion calls of a batch of samples"),
    "emergence": ("ros1trace.stages.emergence", "baseline vs progression and the mechanism, per patient"),
    "tables": ("ros1trace.stages.tables", "merge the batch tables into the cohort tables and the MAF"),
    "stats": ("ros1trace.stages.stats", "the study's statistics and tables"),
    "power": ("ros1trace.stages.power", "the power of each 2 x 2 comparison and the n it needed"),
    "audit": ("ros1trace.stages.audit", "a paper's reported numbers against the run's tables"),
    "survival": ("ros1trace.stages.survival", "PFS/OS: Kaplan-Meier, log-rank, Cox hazard ratios and figures"),
    "figures": ("ros1trace.stages.figures", "the study's figures"),
    "report": ("ros1trace.stages.report", "the self-contained HTML report"),
    "patient-pages": ("ros1trace.stages.patient_pages", "one HTML page (and JSON) per patient"),
    "simulate": ("ros1trace.stages.simulate", "write a synthetic cohort (sheets, VCFs, fusions, BAMs, truth)"),
}


def _setup_logging(log_path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w"))
    logging.basicConfig(level=logging.INFO, handlers=handlers,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)


FIXES = {errno.ENOSPC: "free space there or set outdir to a disk with room",
         errno.EDQUOT: "free space there or set outdir to a disk with room",
         errno.EACCES: "make it writable or set outdir to a folder you may write",
         errno.EROFS: "set outdir to a writable disk"}


def _system_error(error: OSError) -> str:
    """One line for a failure of the machine (disk full, no permission) while a stage ran."""
    where = error.filename or "a file of this job"
    fix = FIXES.get(error.errno, "check the path and the disk, then rerun")
    return f"{where}: {error.strerror or error}; {fix}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="ros1trace", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="stage", required=True)
    chosen = argv[0] if argv and argv[0] in STAGES else None
    for name, (module, help_text) in STAGES.items():
        stage_parser = sub.add_parser(name, help=help_text)
        stage_parser.add_argument("--log", help="write the log here as well as to stderr")
        if name == chosen:  # only the chosen stage's module is imported
            importlib.import_module(module).add_arguments(stage_parser)
    args = parser.parse_args(argv)
    _setup_logging(args.log)
    log = logging.getLogger(f"ros1trace.{args.stage}")
    started = time.perf_counter()
    try:
        importlib.import_module(STAGES[args.stage][0]).run(args)
    except InputError as error:
        log.error("%s", error)  # one line, on stderr and in the log
        return 1
    except OSError as error:  # the machine, not the input: a full disk, a folder we may not write
        log.error("%s", _system_error(error))
        return 1
    except KeyboardInterrupt:
        log.error("interrupted; nothing of this job was kept (rerun the same snakemake command to go on)")
        return 130
    log.info("done in %.2f s", time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
