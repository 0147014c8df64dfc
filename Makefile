# Two commands on a fresh machine (see README):
#   make example   - install everything, then run the workflow on the bundled example cohort
#   make test      - install everything, then run the test suite
VENV ?= .venv
# The venv's interpreter: the distribution's python3 when it is 3.11+ (Debian builds it with PGO and
# LTO; the per-record Python of the variants job runs ~20% faster on it than on a plain source build
# such as pyenv's), else the first python3 on PATH.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, venv; print(sys.executable if sys.version_info >= (3, 11) else "")' 2>/dev/null | grep . || echo python3)
CORES ?= 8
DEBIAN_PACKAGES = python3-venv python3-dev bcftools tabix samtools chromium chromium-driver libpq-dev slurm-wlm munge time

.PHONY: example test fuzz setup debian venv bench clean

example: setup
	$(VENV)/bin/snakemake --cores $(CORES)

test: setup
	$(VENV)/bin/python -m pytest -q

# The property-based (fuzz) tests with 40x their CI budget and a random seed; Hypothesis prints how
# many inputs each test tried.  Every failure found becomes an @example (a regression) in its test.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/python -m pytest -q --hypothesis-show-statistics \
		tests/test_vcf_properties.py tests/test_fusion_properties.py tests/test_sheet_properties.py \
		tests/test_offtarget_cnv.py

setup: debian venv

# Debian packages: python3-venv/-dev (the venv's interpreter and headers for packages that compile),
# bcftools (benchmark reference), chromium + chromium-driver (report screenshots, PDF print and the
# Selenium test of the patient table), libpq-dev
# (builds psycopg2 for the hgvs test parser), slurm-wlm + munge (the SLURM test).  Skipped when
# present or when apt-get is not available (then the tests that need them are skipped).
debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test,slurm]'
	touch $@

bench: setup
	$(VENV)/bin/python scripts/bench_annotate.py
	$(VENV)/bin/python scripts/bench_cohort.py
	$(VENV)/bin/python scripts/bench_memory.py
	$(VENV)/bin/python scripts/bench_report.py

clean:
	rm -rf results .snakemake
