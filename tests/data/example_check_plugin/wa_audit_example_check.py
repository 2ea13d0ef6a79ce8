"""An example third-party check: a fact of its own and a check, written with wa_audit.api alone."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.api import CheckContext, FetchContext, Finding, Pillar, Severity, check, fact

TEAM_PREFIX = "team-"


@fact("example.queue_urls", regional=True, permissions=["sqs:ListQueues"])
def queue_urls(ctx: FetchContext) -> tuple[str, ...]:
    return tuple(ctx.paginate("sqs", "list_queues", "QueueUrls"))


@check(
    id="ops.example-queue-owner",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Queue names say which team owns them (example plugin)",
    fail_title="A queue name does not say which team owns it",
    severity=Severity.LOW,
    best_practices=["OPS02-BP01"],
    remediation=f"Name each queue {TEAM_PREFIX}<team>-<purpose>.",
    docs_url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/",
    facts=[queue_urls],
    regional=True,
)
def queue_owner(ctx: CheckContext) -> Iterator[Finding]:
    urls = ctx.fact(queue_urls)
    if not urls:
        yield ctx.not_applicable(
            f"arn:{ctx.partition}:sqs:{ctx.region}:{ctx.account_id}:*", "No queues."
        )
    for url in urls:
        name = url.rsplit("/", 1)[-1]
        arn = f"arn:{ctx.partition}:sqs:{ctx.region}:{ctx.account_id}:{name}"
        if name.startswith(TEAM_PREFIX):
            yield ctx.passed(arn, f"Queue {name} names its team.")
        else:
            yield ctx.failed(arn, f"Queue {name} does not name its team.")
