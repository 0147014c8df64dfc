#!/usr/bin/env python3
"""Write a SYNTHETIC cohort (sheets, VCFs, fusion calls, BAMs, CNV, truth table).

    scripts/simulate_cohort.py --out resources/example            # the bundled example
    scripts/simulate_cohort.py --out /tmp/c1000 --patients 1000   # a random cohort of any size

Same as `python -m ros1trace.cli simulate ...`; see ros1trace/synthetic/cohort.py.
"""

import sys

from ros1trace.cli import main

if __name__ == "__main__":
    sys.exit(main(["simulate", *sys.argv[1:]]))
