"""Stage ``manifest``: the sheets and config validated into ``work/manifest.json``."""

from __future__ import annotations

import json
import logging

from ..manifest import prepare_run
from ..tsv import atomic_path

log = logging.getLogger(__name__)


def add_arguments(parser) -> None:
    parser.add_argument("--config-json", required=True, help="the run's config as JSON")
    parser.add_argument("--workdir", default=".")
    parser.add_argument("--out", required=True)
    parser.add_argument("--batch-size", type=int, help="patients per batch, as the Snakefile resolved it")


def run(args) -> None:
    manifest = prepare_run(json.loads(args.config_json), args.workdir, batch_size=args.batch_size)
    for warning in manifest["warnings"]:
        log.warning("%s", warning)
    with atomic_path(args.out) as temporary, open(temporary, "w") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)  # streamed: no whole-file string in memory
        handle.write("\n")
