"""Cost of the edge: load balancers that serve no one still bill every hour."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts import elbv2
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

SERVING_STATES = frozenset({"healthy", "initial", "draining"})
ANSWERS_ITSELF = frozenset({"redirect", "fixed-response"})


def _serving(group: elbv2.TargetGroup, states: tuple[str, ...]) -> int:
    """Targets that take traffic; a Lambda target with health checks off is ``unavailable``
    yet invoked (ELB User Guide, "Target health status")."""
    lambda_ok = {"unavailable"} if group.target_type == "lambda" else set()
    return sum(state in SERVING_STATES | lambda_ok for state in states)


@check(
    id="cost.idle-load-balancers",
    pillar=Pillar.COST_OPTIMIZATION,
    title="Load balancers have targets to serve",
    fail_title="Load balancers have no targets",
    severity=Severity.LOW,
    best_practices=["COST04-BP03", "SUS02-BP03", "SUS03-BP02"],
    remediation=(
        "Delete load balancers that no longer front anything (after moving any DNS alias), or "
        "register the targets they should serve."
    ),
    docs_url="https://docs.aws.amazon.com/awssupport/latest/user/cost-optimization-checks.html#idle-load-balancers",
    facts=[elbv2.load_balancers, elbv2.listeners, elbv2.target_groups, elbv2.target_health],
    regional=True,
)
def idle_load_balancers(ctx: CheckContext) -> Iterator[Finding]:
    """FAIL without registered targets, WARN when none is healthy. A load balancer whose every
    listener redirects or answers itself is serving (an HTTP→HTTPS redirector), not idle."""
    groups = ctx.fact(elbv2.target_groups)
    health = ctx.fact(elbv2.target_health)
    listeners = ctx.fact(elbv2.listeners)
    for balancer in ctx.fact(elbv2.load_balancers):
        own = [g for g in groups if balancer.arn in g.load_balancer_arns]
        registered = sum(len(health.get(g.arn, ())) for g in own)
        serving = sum(_serving(g, health.get(g.arn, ())) for g in own)
        actions = {
            a.type
            for listener in listeners
            if listener.load_balancer_arn == balancer.arn
            for a in listener.default_actions
        }
        evidence = {
            "target_groups": [g.name for g in own],
            "registered_targets": registered,
            "serving_targets": serving,
        }
        if serving:
            yield ctx.passed(
                balancer.arn,
                f"{balancer.label} has {plural(serving, 'target')} taking traffic.",
                evidence=evidence,
            )
        elif not registered and actions and actions <= ANSWERS_ITSELF:
            yield ctx.passed(
                balancer.arn,
                f"{balancer.label} answers requests itself ({', '.join(sorted(actions))}).",
                evidence=evidence,
            )
        elif not registered:
            yield ctx.failed(
                balancer.arn,
                f"{balancer.label} has no registered targets: it bills every hour and serves "
                "nothing.",
                evidence=evidence,
            )
        else:
            yield ctx.warned(
                balancer.arn,
                f"{balancer.label} has {plural(registered, 'registered target')}, none of them healthy.",
                evidence=evidence,
            )
