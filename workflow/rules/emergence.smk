# Baseline vs progression per patient (detection power, baseline reads) and the resistance mechanism.


rule emergence:
    input:
        manifest=rules.manifest.output[0],
        # A changed VCF or BAM of the batch reruns `variants` and so this job, through its table.
        variants=rules.variants.output.table,
        fusions=rules.fusions.output.table,
    output:
        emergence=f"{OUT}/work/{{batch}}/emergence.tsv",
        patients=f"{OUT}/work/{{batch}}/patients.tsv",
    params:
        cli=ROS1TRACE,
        files=batch_files_state("cnv"),  # the batch's CNV files (see common.smk)
    log:
        f"{OUT}/logs/emergence/{{batch}}.log",
    benchmark:
        f"{OUT}/benchmarks/emergence/{{batch}}.tsv"
    conda:
        "../envs/emergence.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 600 * attempt,
        runtime=lambda wildcards, attempt: 30 * attempt,
    shell:
        "{params.cli} emergence --manifest {input.manifest} --batch {wildcards.batch}"
        " --variants {input.variants} --fusions {input.fusions}"
        " --emergence {output.emergence} --patients {output.patients} --log {log}"
