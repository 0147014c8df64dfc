#!/usr/bin/env python3
"""Build resources/reference/offtarget_genes_GRCh3{7,8}.tsv: spans of the bypass genes.

Source: the GENCODE V24 canonical annotation shipped inside the PyPI wheel spliceai 1.3.1
(`spliceai/annotations/grch37.txt` and `grch38.txt`; TX_START is 0-based and gets +1 here), the
same files resources/reference/SOURCES.md uses for the ROS1 exons.  Get the wheel with
`pip download --no-deps spliceai==1.3.1` and pass its path.

    scripts/build_offtarget_genes.py spliceai-1.3.1-py2.py3-none-any.whl
"""

import sys
import zipfile
from pathlib import Path

from ros1trace.reference.transcript import resources_dir
from ros1trace.variants.offtarget import AMPLIFIABLE, BYPASS_GENES

GENES = sorted(set(BYPASS_GENES) | set(AMPLIFIABLE))


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for build, member in (("GRCh37", "grch37.txt"), ("GRCh38", "grch38.txt")):
            lines = archive.read(f"spliceai/annotations/{member}").decode().splitlines()
            rows = {}
            for line in lines[1:]:
                name, chrom, strand, start, end = line.split("\t")[:5]
                if name in GENES:
                    rows[name] = (name, chrom, strand, str(int(start) + 1), end)
            missing = set(GENES) - set(rows)
            if missing:
                sys.exit(f"{wheel}: {member} lacks {sorted(missing)}")
            out = resources_dir() / "reference" / f"offtarget_genes_{build}.tsv"
            header = (f"# Bypass/off-target resistance genes, {build}: transcript span (1-based, closed) of the GENCODE V24\n"
                      f"# canonical transcript from PyPI spliceai 1.3.1 spliceai/annotations/{member} (TX_START + 1).\n"
                      "# Made by scripts/build_offtarget_genes.py; used to query indexed VCFs for these genes only.\n"
                      "gene\tchrom\tstrand\tstart\tend\n")
            Path(out).write_text(header + "".join("\t".join(rows[g]) + "\n" for g in GENES))
            print(out)


if __name__ == "__main__":
    main(sys.argv[1])
