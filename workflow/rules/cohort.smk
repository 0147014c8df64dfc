# The cohort tables of the contract: the batch tables merged and sorted, and the MAF.
import mimetypes

# `snakemake --report` embeds the MAF by its mimetype; Python does not know .maf (it is text).
mimetypes.add_type("text/plain", ".maf")


rule tables:
    input:
        manifest=rules.manifest.output[0],
        variants=expand(f"{OUT}/work/{{batch}}/variants.tsv", batch=BATCHES),
        fusions=expand(f"{OUT}/work/{{batch}}/fusions.tsv", batch=BATCHES),
        emergence=expand(f"{OUT}/work/{{batch}}/emergence.tsv", batch=BATCHES),
        patients=expand(f"{OUT}/work/{{batch}}/patients.tsv", batch=BATCHES),
    output:
        # "Cohort tables", not "Statistics": that name is Snakemake's own report page (a clash
        # makes docutils warn "Duplicate explicit target name" on every caption).
        variants=report(f"{OUT}/variants.tsv", caption="../report/variants.rst", category="Cohort tables"),
        fusions=report(f"{OUT}/fusions.tsv", caption="../report/fusions.rst", category="Cohort tables"),
        emergence=report(f"{OUT}/emergence.tsv", caption="../report/emergence.rst", category="Cohort tables"),
        patients=report(f"{OUT}/patients.tsv", caption="../report/patients.rst", category="Cohort tables"),
        maf=report(f"{OUT}/variants.maf", caption="../report/maf.rst", category="Cohort tables"),
    params:
        cli=ROS1TRACE,
        work_dir=lambda w, input: os.path.dirname(os.path.dirname(input.variants[0])),
        outdir=lambda w, output: os.path.dirname(output.variants),
    log:
        f"{OUT}/logs/tables/tables.log",
    benchmark:
        f"{OUT}/benchmarks/tables/tables.tsv"
    conda:
        "../envs/cohort.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 1000 * attempt,
        runtime=lambda wildcards, attempt: 15 * attempt,
    shell:
        "{params.cli} tables --manifest {input.manifest} --work-dir {params.work_dir} --outdir {params.outdir} --log {log}"
