"""Operational checks of fleet management: instances under Systems Manager and patched, stacks
that match their templates and roll back, and runbooks as code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._findings import problems_or_pass, regional_arn
from wa_audit.context import CheckContext
from wa_audit.facts import cloudformation, ec2, ssm
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import agree, every, plural

RUNNING = "running"
ONLINE = "Online"


def _node_arn(ctx: CheckContext, node_id: str) -> str:
    if node_id.startswith("mi-"):
        return regional_arn(ctx, "ssm", f"managed-instance/{node_id}")
    return regional_arn(ctx, "ec2", f"instance/{node_id}")


@check(
    id="ops.ssm-managed-instances",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Running instances are managed by Systems Manager",
    fail_title="Running instances are not managed by Systems Manager",
    severity=Severity.MEDIUM,
    best_practices=["SEC06-BP03", "OPS05-BP05", "REL08-BP05"],
    remediation=(
        "Give the instance an instance profile with AmazonSSMManagedInstanceCore (or turn on "
        "Default Host Management Configuration) and run the SSM Agent, so it can be patched, "
        "inventoried and reached through Session Manager instead of SSH."
    ),
    docs_url="https://docs.aws.amazon.com/systems-manager/latest/userguide/managed_instances.html",
    facts=[ec2.instances, ssm.managed_nodes],
    regional=True,
)
def ssm_managed_instances(ctx: CheckContext) -> Iterator[Finding]:
    """FAIL for a running instance SSM does not know; WARN when SSM lost contact with it."""
    nodes = {node.id: node for node in ctx.fact(ssm.managed_nodes)}
    running = [i for i in ctx.fact(ec2.instances) if i.state == RUNNING]
    problems: list[Finding] = []
    for instance in running:
        arn = regional_arn(ctx, "ec2", f"instance/{instance.id}")
        node = nodes.get(instance.id)
        if node is None:
            problems.append(
                ctx.failed(
                    arn,
                    f"Instance {instance.id} is running but not managed by Systems Manager: it "
                    "cannot be patched or reached without SSH keys.",
                    evidence={"ping_status": None},
                )
            )
        elif node.ping_status != ONLINE:
            problems.append(
                ctx.warned(
                    arn,
                    f"Systems Manager lost contact with instance {instance.id} "
                    f"(ping status {node.ping_status}).",
                    evidence={"ping_status": node.ping_status},
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(running),
        passed=f"{every(len(running), 'running instance')} {agree(len(running), 'is', 'are')} managed by Systems Manager.",
        nothing="No running instances in this region.",
    )


class PatchComplianceParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_scan_age_days: int = Field(default=14, ge=1, le=365)
    """WARN when the last patch scan or install is older than this."""


@check(
    id="ops.patch-compliance",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Managed instances are patched",
    fail_title="Managed instances are missing patches or were never scanned",
    severity=Severity.HIGH,
    best_practices=["OPS05-BP05", "SEC06-BP01", "REL08-BP05"],
    remediation=(
        "Scan and install patches on a schedule with Patch Manager (a Quick Setup patch policy or "
        "a maintenance window running AWS-RunPatchBaseline), then fix the failed installs."
    ),
    docs_url="https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager.html",
    facts=[ssm.managed_nodes, ssm.patch_states],
    regional=True,
    params=PatchComplianceParams,
)
def patch_compliance(ctx: CheckContext) -> Iterator[Finding]:
    """Per managed node: patches missing or failed, never scanned (FAIL), or a stale scan (WARN)."""
    params = ctx.params(PatchComplianceParams)
    states = ctx.fact(ssm.patch_states)
    nodes = ctx.fact(ssm.managed_nodes)
    oldest = ctx.now - timedelta(days=params.max_scan_age_days)
    problems: list[Finding] = []
    for node in nodes:
        arn = _node_arn(ctx, node.id)
        state = states.get(node.id)
        if state is None:
            problems.append(
                ctx.failed(arn, f"Managed node {node.id} has never been scanned for patches.")
            )
            continue
        evidence = {
            "baseline_id": state.baseline_id,
            "missing": state.missing,
            "failed": state.failed,
            "installed_pending_reboot": state.installed_pending_reboot,
            "last_operation": state.operation,
            "last_operation_end": state.operation_end.isoformat(),
        }
        if state.non_compliant:
            problems.append(
                ctx.failed(
                    arn,
                    f"Managed node {node.id} is missing {plural(state.missing, 'patch')} and "
                    f"{state.failed} failed to install (baseline {state.baseline_id}).",
                    evidence=evidence,
                )
            )
        elif state.operation_end < oldest:
            problems.append(
                ctx.warned(
                    arn,
                    f"Managed node {node.id} was last scanned {state.operation_end:%Y-%m-%d}, "
                    f"more than {params.max_scan_age_days} days ago.",
                    evidence=evidence,
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(nodes),
        passed=f"{every(len(nodes), 'managed node')} {agree(len(nodes), 'has', 'have')} a recent patch scan with nothing missing.",
        nothing="No Systems Manager managed nodes in this region.",
    )


class DriftParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_check_age_days: int = Field(default=30, ge=1, le=365)
    """WARN when drift was last detected longer ago than this."""


@check(
    id="ops.cfn-drift",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="CloudFormation stacks match their templates",
    fail_title="CloudFormation stacks have drifted from their templates",
    severity=Severity.MEDIUM,
    best_practices=["OPS05-BP01", "OPS05-BP04"],
    remediation=(
        "Run drift detection on the stack (on a schedule, e.g. the AWS Config rule "
        "cloudformation-stack-drift-detection-check), then bring the changes made outside "
        "CloudFormation back into the template or undo them."
    ),
    docs_url="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html",
    facts=[cloudformation.stacks],
    regional=True,
    params=DriftParams,
)
def cfn_drift(ctx: CheckContext) -> Iterator[Finding]:
    """Root stacks only: drift detection on a root stack covers its nested stacks."""
    params = ctx.params(DriftParams)
    oldest = ctx.now - timedelta(days=params.max_check_age_days)
    roots = [stack for stack in ctx.fact(cloudformation.stacks) if not stack.parent_id]
    problems: list[Finding] = []
    for stack in roots:
        checked = stack.drift_checked_at
        evidence = {
            "drift_status": stack.drift_status,
            "last_check": checked.isoformat() if checked else None,
        }
        if stack.drift_status == "DRIFTED":
            problems.append(
                ctx.failed(
                    stack.id,
                    f"Stack {stack.name} has drifted: resources were changed outside "
                    "CloudFormation.",
                    evidence=evidence,
                )
            )
        elif stack.drift_status != "IN_SYNC" or checked is None:
            problems.append(
                ctx.warned(
                    stack.id,
                    f"Drift of stack {stack.name} is unknown (status "
                    f"{stack.drift_status or 'not reported'}): drift detection has not run.",
                    evidence=evidence,
                )
            )
        elif checked < oldest:
            problems.append(
                ctx.warned(
                    stack.id,
                    f"Stack {stack.name} was last checked for drift {checked:%Y-%m-%d}, more "
                    f"than {params.max_check_age_days} days ago.",
                    evidence=evidence,
                )
            )
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(roots),
        passed=f"{every(len(roots), 'stack')} {agree(len(roots), 'was', 'were')} recently checked and "
        f"{agree(len(roots), 'matches its template', 'match their templates')}.",
        nothing="No CloudFormation stacks in this region.",
    )


@check(
    id="ops.cfn-rollback",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="CloudFormation stacks roll back failed operations",
    fail_title="CloudFormation stacks keep failed operations half-applied",
    severity=Severity.MEDIUM,
    best_practices=["OPS06-BP04"],
    remediation=(
        "Update the stack with rollback on failure enabled (--no-disable-rollback), so a failed "
        "deployment returns to the last working state by itself."
    ),
    docs_url="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-failure-options.html",
    facts=[cloudformation.stacks],
    regional=True,
)
def cfn_rollback(ctx: CheckContext) -> Iterator[Finding]:
    roots = [stack for stack in ctx.fact(cloudformation.stacks) if not stack.parent_id]
    problems = [
        ctx.failed(
            stack.id,
            f"Stack {stack.name} has rollback on failure disabled: a failed deployment leaves "
            f"resources half-updated (status {stack.status}).",
            evidence={"disable_rollback": True, "status": stack.status},
        )
        for stack in roots
        if stack.disable_rollback
    ]
    yield from problems_or_pass(
        ctx,
        problems,
        assessed=len(roots),
        passed=f"{every(len(roots), 'stack')} {agree(len(roots), 'rolls', 'roll')} back failed operations.",
        nothing="No CloudFormation stacks in this region.",
    )


@check(
    id="ops.automation-runbooks",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Operational procedures are codified as Systems Manager Automation runbooks",
    fail_title="No Systems Manager Automation runbooks of the account's own",
    severity=Severity.LOW,
    best_practices=["OPS07-BP03"],
    remediation=(
        "Write the procedures you run by hand (restarts, failovers, restores) as Automation "
        "runbooks, starting from AWS's AWS-* runbooks, and run them from incidents and alarms."
    ),
    docs_url="https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-documents.html",
    facts=[ssm.own_automation_runbooks],
)
def automation_runbooks(ctx: CheckContext) -> Iterator[Finding]:
    """Account-wide, over the audited regions. WARN rather than FAIL: runbooks may live in another
    tool; none here only says procedures are not automated with Systems Manager."""
    found = {region: ctx.fact(ssm.own_automation_runbooks, region=region) for region in ctx.regions}
    evidence = {"runbooks": {region: list(names) for region, names in found.items() if names}}
    total = sum(len(names) for names in found.values())
    if total:
        yield ctx.passed(
            ctx.account_arn,
            f"The account owns {plural(total, 'Automation runbook')} in the audited regions.",
            evidence=evidence,
        )
    else:
        yield ctx.warned(
            ctx.account_arn,
            "The account owns no Systems Manager Automation runbooks in the audited regions: "
            "operational procedures are not codified there.",
            evidence=evidence,
        )
