# The cohort tables of the contract: the batch tables merged and sorted, and the MAF.


rule tables:
    input:
        manifest=rules.manifest.output[0],
        variants=expand(f"{OUT}/work/{{batch}}/variants.tsv", batch=BATCHES),
        fusions=expand(f"{OUT}/work/{{batch}}/fusions.tsv", batch=BATCHES),
        emergence=expand(f"{OUT}/work/{{batch}}/emergence.tsv", batch=BATCHES),
        patients=expand(f"{OUT}/work/{{batch}}/patients.tsv", batch=BATCHES),
    output:
        variants=f"{OUT}/variants.tsv",
        fusions=f"{OUT}/fusions.tsv",
        emergence=f"{OUT}/emergence.tsv",
        patients=f"{OUT}/patients.tsv",
        maf=f"{OUT}/variants.maf",
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
