# ROS1 small variants: read (index-aware), normalise, annotate on NM_002944.2, merge same-codon haplotypes.


rule variants:
    input:
        manifest=rules.manifest.output[0],
        fasta=MANIFEST["reference_fasta"],
    output:
        table=f"{OUT}/work/{{batch}}/variants.tsv",
        vcfs=directory(f"{OUT}/annotated_vcf/{{batch}}"),
    params:
        cli=ROS1TRACE,
        files=batch_files_state("vcf", "bam"),  # the batch's VCFs and BAMs (see common.smk)
    log:
        f"{OUT}/logs/variants/{{batch}}.log",
    benchmark:
        f"{OUT}/benchmarks/variants/{{batch}}.tsv"
    conda:
        "../envs/variants.yaml"
    resources:
        mem_mb=lambda wildcards, attempt: 600 * attempt,
        runtime=lambda wildcards, attempt: 30 * attempt,
    shell:
        "{params.cli} variants --manifest {input.manifest} --batch {wildcards.batch}"
        " --table {output.table} --vcf-dir {output.vcfs} --log {log}"
