"""Security checks of EC2 instances and what they are built from: the metadata service, public
addresses, and snapshots or AMIs every AWS account may copy."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import problems_or_pass
from wa_audit.checks._network import ec2_arn, labelled, shared_ec2_arn
from wa_audit.context import CheckContext
from wa_audit.facts.ec2 import Instance, instances
from wa_audit.facts.ec2_sharing import own_images, public_snapshots
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

GONE = ("shutting-down", "terminated")


def _present(ctx: CheckContext) -> list[Instance]:
    """Instances that exist (running, stopped, pending): terminated ones are only history."""
    return [i for i in ctx.fact(instances) if i.state not in GONE]


def _instance(instance: Instance) -> str:
    return f"Instance {labelled(instance.id, instance.tags.get('Name', ''))}"


@check(
    id="sec.ec2-imdsv2",
    pillar=Pillar.SECURITY,
    title="Instances require IMDSv2",
    fail_title="Instances accept IMDSv1",
    severity=Severity.MEDIUM,
    best_practices=["SEC06-BP02"],
    remediation=(
        "Set the instance metadata option HttpTokens to required (aws ec2 "
        "modify-instance-metadata-options), in launch templates too, and make it the account "
        "default per region (aws ec2 modify-instance-metadata-defaults)."
    ),
    docs_url="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
    facts=[instances],
    regional=True,
)
def ec2_imdsv2(ctx: CheckContext) -> Iterator[Finding]:
    """IMDSv1 answers any GET from the instance, so a request forged through the application
    (SSRF) can read the role's credentials; a disabled metadata endpoint answers nothing."""
    present = _present(ctx)
    problems = []
    for instance in present:
        if instance.http_endpoint == "disabled" or instance.http_tokens == "required":
            continue
        evidence = {"HttpTokens": instance.http_tokens, "HttpEndpoint": instance.http_endpoint}
        arn = ec2_arn(ctx, "instance", instance.id)
        if instance.http_tokens is None:
            message = f"{_instance(instance)}: AWS reported no metadata options to judge."
            problems.append(ctx.warned(arn, message, evidence=evidence))
        else:
            message = (
                f"{_instance(instance)} accepts IMDSv1 (HttpTokens {instance.http_tokens}): a "
                "forged request can read its role's credentials."
            )
            problems.append(ctx.failed(arn, message, evidence=evidence))
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(present),
        passed=f"Every instance in {ctx.region} requires IMDSv2 ({len(present)} checked).",
        nothing=f"No instances in {ctx.region}.",
    )


@check(
    id="sec.ec2-public-instances",
    pillar=Pillar.SECURITY,
    title="Instances have no public IP address",
    fail_title="Instances have public IP addresses",
    severity=Severity.MEDIUM,
    best_practices=["SEC05-BP01"],
    remediation=(
        "Move the instance to a private subnet behind a load balancer (or reach it through "
        "Session Manager), turn off auto-assigned public IPv4 addresses on the subnet, and "
        "release Elastic IPs it does not need."
    ),
    docs_url="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html",
    facts=[instances],
    regional=True,
)
def ec2_public_instances(ctx: CheckContext) -> Iterator[Finding]:
    present = _present(ctx)
    problems = [
        ctx.failed(
            ec2_arn(ctx, "instance", instance.id),
            f"{_instance(instance)} has the public IP address {instance.public_ip}: the "
            "internet reaches it directly, past any load balancer or firewall layer.",
            evidence={"public_ip": instance.public_ip, "state": instance.state},
        )
        for instance in present
        if instance.public_ip
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(present),
        passed=f"No instance in {ctx.region} has a public IP address ({len(present)} checked).",
        nothing=f"No instances in {ctx.region}.",
    )


@check(
    id="sec.public-snapshots-amis",
    pillar=Pillar.SECURITY,
    title="No EBS snapshot or AMI is public",
    fail_title="EBS snapshots or AMIs are public",
    severity=Severity.HIGH,
    best_practices=["SEC03-BP07", "SEC08-BP04"],
    remediation=(
        "Remove the 'all' group from the snapshot's create-volume permission or the AMI's launch "
        "permission, share with named accounts instead, and turn on block public access for "
        "EBS snapshots and for AMIs in every region."
    ),
    docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
    facts=[public_snapshots, own_images],
    regional=True,
)
def public_snapshots_amis(ctx: CheckContext) -> Iterator[Finding]:
    """Anyone can copy a public snapshot's or AMI's disks, with whatever data they hold."""
    images = ctx.fact(own_images)
    problems = [
        ctx.failed(
            shared_ec2_arn(ctx, "snapshot", snapshot.id),
            f"EBS snapshot {snapshot.id}"
            + (f" (of volume {snapshot.volume_id})" if snapshot.volume_id else "")
            + " is public: any AWS account can create a volume from it and read its data.",
            evidence={"volume": snapshot.volume_id, "encrypted": snapshot.encrypted},
        )
        for snapshot in ctx.fact(public_snapshots)
    ]
    problems += [
        ctx.failed(
            shared_ec2_arn(ctx, "image", image.id),
            f"AMI {labelled(image.id, image.name)} is public: any AWS account can launch it "
            "and read its disks.",
            evidence={"state": image.state},
        )
        for image in images
        if image.public
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=1,  # the account's snapshots are always assessed, through one listing
        passed=f"No EBS snapshot or AMI of the account in {ctx.region} is public "
        f"({plural(len(images), 'AMI')} checked).",
        nothing="",
    )
