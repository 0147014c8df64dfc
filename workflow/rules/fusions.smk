# ROS1 fusions: parse any supported caller format, orient 5' and 3' partners, classify, breakpoint exon/intron.


rule fusions:
    input:
        manifest=rules.manifest.output[0],
        gtf=[CONFIG["gtf"]] if CONFIG.get("gtf") else [],
    output:
        table=f"{OUT}/work/{{batch}}/fusions.tsv",
    params:
        cli=ROS1TRACE,
        files=batch_files_state("fusions"),  # the batch's fusion calls (see common.smk)
    log:
        f"{OUT}/logs/fusions/{{batch}}.log",
    benchmark:
        f"{OUT}/benchmarks/fusions/{{batch}}.tsv"
    conda:
        "../envs/fusions.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 400 * attempt,
        runtime=lambda wildcards, attempt: 15 * attempt,
    shell:
        "{params.cli} fusions --manifest {input.manifest} --batch {wildcards.batch}"
        " --table {output.table} --log {log}"
