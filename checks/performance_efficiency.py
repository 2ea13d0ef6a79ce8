"""Checks of the performance efficiency pillar."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass, regional_arn
from wa_audit.checks._instance_families import instance_families
from wa_audit.context import CheckContext
from wa_audit.facts.compute_optimizer import enrollment
from wa_audit.facts.ec2 import instance_types, instances, volumes
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

RUNNING = "running"


@check(
    id="perf.previous-generation-instances",
    pillar=Pillar.PERFORMANCE,
    title="Instances run current-generation types",
    fail_title="Instances run previous-generation types",
    severity=Severity.LOW,
    best_practices=["PERF02-BP01", "PERF05-BP06"],
    remediation=(
        "Stop the instance, change its type to the current-generation equivalent (check the AMI "
        "supports ENA and NVMe) and start it again: more performance for the same or less money."
    ),
    docs_url="https://aws.amazon.com/ec2/previous-generation/",
    facts=[instances, instance_types],
    regional=True,
)
def previous_generation_instances(ctx: CheckContext) -> Iterator[Finding]:
    running = [i for i in ctx.fact(instances) if i.state == RUNNING]
    types = ctx.fact(instance_types)
    equivalents = instance_families().current_equivalent
    problems = []
    for instance in running:
        known = types.get(instance.type)
        if known is None or known.current_generation:
            continue
        family, _, size = instance.type.partition(".")
        successor = equivalents.get(family)
        suggestion = f"{successor}.{size}" if successor else None
        advice = f"; move to {suggestion}" if suggestion else "; move to a current-generation type"
        problems.append(
            ctx.failed(
                regional_arn(ctx, "ec2", f"instance/{instance.id}"),
                f"Instance {instance.id} runs {instance.type}, a previous-generation type{advice}.",
                evidence={"instance_type": instance.type, "suggested_type": suggestion},
            )
        )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(running),
        passed=(
            f"No running instance in {ctx.region} uses a previous-generation type "
            f"({len(running)} checked)."
        ),
        nothing=f"No running instances in {ctx.region}.",
    )


@check(
    id="perf.gp2-volumes",
    pillar=Pillar.PERFORMANCE,
    title="EBS volumes use gp3 rather than gp2",
    fail_title="EBS volumes still use gp2",
    severity=Severity.LOW,
    best_practices=["PERF03-BP02", "PERF05-BP06"],
    remediation=(
        "Modify the volume to gp3 in place (no downtime): 3,000 IOPS and 125 MiB/s baseline "
        "whatever its size, at a lower price per GiB than gp2."
    ),
    docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/modify-volume.html",
    facts=[volumes],
    regional=True,
)
def gp2_volumes(ctx: CheckContext) -> Iterator[Finding]:
    found = ctx.fact(volumes)
    problems = [
        ctx.failed(
            regional_arn(ctx, "ec2", f"volume/{volume.id}"),
            f"Volume {volume.id} ({volume.size_gib} GiB) is gp2: gp3 gives a 3,000 IOPS baseline "
            "for less.",
            evidence={
                "size_gib": volume.size_gib,
                "iops": volume.iops,
                "attached_to": list(volume.attached_instance_ids),
            },
        )
        for volume in found
        if volume.type == "gp2"
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(found),
        passed=f"No EBS volume in {ctx.region} is gp2 ({len(found)} checked).",
        nothing=f"No EBS volumes in {ctx.region}.",
    )


@check(
    id="perf.compute-optimizer",
    pillar=Pillar.PERFORMANCE,
    title="Account is enrolled in Compute Optimizer",
    fail_title="Account is not enrolled in Compute Optimizer",
    severity=Severity.LOW,
    best_practices=["PERF02-BP04"],
    remediation=(
        "Opt in to AWS Compute Optimizer (free): it recommends right-sized instance types, "
        "volumes and Lambda memory from the last 14 days of metrics."
    ),
    docs_url="https://docs.aws.amazon.com/compute-optimizer/latest/ug/getting-started.html",
    facts=[enrollment],
)
def compute_optimizer(ctx: CheckContext) -> Iterator[Finding]:
    status = ctx.fact(enrollment)
    evidence = {"status": status.status, "status_reason": status.reason}
    if status.enrolled:
        yield ctx.passed(
            ctx.account_arn, "The account is enrolled in Compute Optimizer.", evidence=evidence
        )
    else:
        yield ctx.failed(
            ctx.account_arn,
            f"The account is not enrolled in Compute Optimizer (status {status.status}).",
            evidence=evidence,
        )
