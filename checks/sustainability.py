"""Checks of the sustainability pillar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._findings import problems_or_pass, regional_arn
from wa_audit.checks._instance_families import instance_families
from wa_audit.context import CheckContext
from wa_audit.facts.ec2 import Instance, InstanceType, instance_types, instances
from wa_audit.facts.s3 import bucket_lifecycles, buckets
from wa_audit.models import Finding, Pillar, Severity, Status
from wa_audit.registry import check
from wa_audit.text import agree, plural

RUNNING = "running"
STOPPED = "stopped"


class GravitonParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minimum_arm_share_percent: float = Field(default=25.0, ge=0, le=100)


def _vcpus(instance: Instance, types: dict[str, InstanceType]) -> int:
    if instance.vcpus is not None:
        return instance.vcpus
    known = types.get(instance.type)
    return known.default_vcpus if known else 0


@check(
    id="sus.graviton-adoption",
    pillar=Pillar.SUSTAINABILITY,
    title="Compute runs on Graviton where it can",
    fail_title="Compute that could run on Graviton does not",
    severity=Severity.INFO,
    best_practices=["SUS05-BP02"],
    remediation=(
        "Move x86 instances whose family has a Graviton (arm64) counterpart to it, starting with "
        "interpreted or managed runtimes: up to 60% less energy for the same performance."
    ),
    docs_url="https://aws.amazon.com/ec2/graviton/",
    facts=[instances, instance_types],
    params=GravitonParams,
)
def graviton_adoption(ctx: CheckContext) -> Iterator[Finding]:
    """One finding for the account: the share of running vCPUs on arm64 across audited regions."""
    params = ctx.params(GravitonParams)
    graviton = instance_families().graviton_equivalent
    arm_vcpus = total_vcpus = 0
    candidates: list[dict[str, Any]] = []
    for region in ctx.regions:
        types = ctx.fact(instance_types, region=region)
        for instance in ctx.fact(instances, region=region):
            if instance.state != RUNNING:
                continue
            vcpus = _vcpus(instance, types)
            total_vcpus += vcpus
            if instance.architecture.startswith("arm64"):
                arm_vcpus += vcpus
            elif instance.family in graviton:
                size = instance.type.partition(".")[2]
                suggested = f"{graviton[instance.family]}.{size}"
                candidates.append(
                    {
                        "instance": instance.id,
                        "region": region,
                        "type": instance.type,
                        "suggested_type": suggested,
                        "vcpus": vcpus,
                    }
                )
    if total_vcpus == 0:
        yield ctx.not_applicable(ctx.account_arn, "No running instances in the audited regions.")
        return
    share = round(100 * arm_vcpus / total_vcpus, 1)
    evidence = {
        "arm64_vcpus": arm_vcpus,
        "total_vcpus": total_vcpus,
        "arm64_share_percent": share,
        "minimum_arm_share_percent": params.minimum_arm_share_percent,
        "graviton_candidates": candidates,
    }
    summary = f"{share}% of running vCPUs ({arm_vcpus} of {total_vcpus}) are on Graviton (arm64)"
    if share >= params.minimum_arm_share_percent:
        yield ctx.passed(ctx.account_arn, f"{summary}.", evidence=evidence)
    elif candidates:
        example = candidates[0]
        yield ctx.warned(
            ctx.account_arn,
            f"{summary}, below {params.minimum_arm_share_percent:g}%; "
            f"{plural(len(candidates), 'x86 instance')} {agree(len(candidates), 'has', 'have')} "
            f"a Graviton equivalent (e.g. {example['type']} → "
            f"{example['suggested_type']}).",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            ctx.account_arn,
            f"{summary}; none of the x86 instances has a Graviton equivalent.",
            evidence=evidence,
        )


@check(
    id="sus.s3-lifecycle",
    pillar=Pillar.SUSTAINABILITY,
    title="S3 buckets have a lifecycle configuration",
    fail_title="S3 buckets have no lifecycle configuration",
    severity=Severity.LOW,
    best_practices=["SUS04-BP03", "SUS04-BP02"],
    remediation=(
        "Add a lifecycle configuration: expire data nobody needs, move data read rarely to "
        "colder storage classes (or Intelligent-Tiering), and abort incomplete multipart uploads."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
    facts=[buckets, bucket_lifecycles],
    regional=True,
)
def s3_lifecycle(ctx: CheckContext) -> Iterator[Finding]:
    """Buckets are reported in their own region, so only buckets of audited regions appear; a
    bucket whose configuration could not be read is ERROR on its own."""
    lifecycles = ctx.fact(bucket_lifecycles)
    for name, lifecycle in sorted(lifecycles.items()):
        if lifecycle.unreadable is not None:
            evidence = {"reason": lifecycle.unreadable}
            if lifecycle.missing_permission:
                evidence["missing_permission"] = lifecycle.missing_permission
            message = (
                f"Not assessed: bucket {name}'s lifecycle unreadable ({lifecycle.unreadable})."
            )
            yield ctx.finding(Status.ERROR, _bucket_arn(ctx, name), message, evidence=evidence)
    readable = {n: lc for n, lc in lifecycles.items() if lc.unreadable is None}
    problems = [
        ctx.failed(
            _bucket_arn(ctx, name),
            f"Bucket {name} has no lifecycle configuration: its data is kept, in its storage "
            "class, until someone deletes it."
            if lifecycle.rules == 0
            else f"Bucket {name} has lifecycle rules, but none is enabled.",
            evidence={"rules": lifecycle.rules, "enabled_rules": lifecycle.enabled_rules},
        )
        for name, lifecycle in sorted(readable.items())
        if lifecycle.enabled_rules == 0
    ]
    if readable or not lifecycles:
        yield from problems_or_pass(
            ctx,
            problems,
            assessed=len(readable),
            passed=(
                f"No S3 bucket in {ctx.region} lacks enabled lifecycle rules "
                f"({len(readable)} checked)."
            ),
            nothing=f"No S3 buckets in {ctx.region}.",
        )


def _bucket_arn(ctx: CheckContext, name: str) -> str:
    return f"arn:{ctx.partition}:s3:::{name}"


class StoppedParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_stopped_days: int = Field(default=30, ge=1)


@check(
    id="sus.idle-stopped-instances",
    pillar=Pillar.SUSTAINABILITY,
    title="No long-stopped instances keep their volumes",
    fail_title="Long-stopped instances keep their volumes",
    severity=Severity.LOW,
    best_practices=["SUS02-BP03", "COST04-BP03"],
    remediation=(
        "Terminate the instance if nobody needs it (snapshot or keep an AMI of its volumes "
        "first); its EBS volumes are provisioned, and billed, while it stays stopped."
    ),
    docs_url="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Stop_Start.html",
    facts=[instances],
    regional=True,
    params=StoppedParams,
)
def idle_stopped_instances(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(StoppedParams)
    found = ctx.fact(instances)
    stopped = [i for i in found if i.state == STOPPED and i.volume_ids]
    unknown = [i.id for i in stopped if i.transition_time is None]
    problems = []
    for instance in stopped:
        since = instance.transition_time
        if since is None:
            continue
        days = (ctx.now - since).days
        if days > params.max_stopped_days:
            problems.append(
                ctx.failed(
                    regional_arn(ctx, "ec2", f"instance/{instance.id}"),
                    f"Instance {instance.id} has been stopped for {days} days and keeps "
                    f"{plural(len(instance.volume_ids), 'EBS volume')}.",
                    evidence={
                        "stopped_since": since.isoformat(),
                        "days_stopped": days,
                        "volumes": list(instance.volume_ids),
                        "max_stopped_days": params.max_stopped_days,
                    },
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(found),
        passed=(
            f"No instance in {ctx.region} has been stopped for more than "
            f"{params.max_stopped_days} days with EBS volumes attached."
        ),
        nothing=f"No instances in {ctx.region}.",
        evidence={"max_stopped_days": params.max_stopped_days, "stop_time_unknown": unknown},
    )
