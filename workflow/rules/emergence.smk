# Baseline vs progression per patient (detection power, baseline reads) and the resistance mechanism.


rule emergence:
    input:
        manifest=rules.manifest.output[0],
        variants=rules.variants.output.table,
        fusions=rules.fusions.output.table,
        vcfs=batch_files("vcf"),
        bams=batch_files("bam"),
        cnvs=batch_files("cnv"),
    output:
        emergence=f"{OUT}/work/{{batch}}/emergence.tsv",
        patients=f"{OUT}/work/{{batch}}/patients.tsv",
    params:
        cli=ROS1TRACE,
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
