"""Sustainability checks of databases: storage that grows with the data, not ahead of it."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import rds
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check


@check(
    id="sus.rds-storage-autoscaling",
    pillar=Pillar.SUSTAINABILITY,
    title="RDS storage grows automatically",
    fail_title="RDS storage is provisioned ahead of need",
    severity=Severity.LOW,
    best_practices=["SUS04-BP04"],
    remediation=(
        "Set a maximum storage threshold on the DB instance (storage autoscaling), and size its "
        "allocated storage to today's data rather than years ahead."
    ),
    docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html",
    facts=[rds.db_instances],
    regional=True,
)
def rds_storage_autoscaling(ctx: CheckContext) -> Iterator[Finding]:
    """Per DB instance outside a cluster: Aurora's cluster volume grows by itself. AWS omits
    ``MaxAllocatedStorage`` when storage autoscaling is off."""
    for db in ctx.fact(rds.db_instances):
        if db.cluster_id is not None:
            continue
        ceiling = db.max_allocated_storage_gib
        evidence = {
            "allocated_storage_gib": db.allocated_storage_gib,
            "max_allocated_storage_gib": ceiling,
        }
        yield verdict(
            ctx,
            db.arn,
            ceiling is not None and ceiling > db.allocated_storage_gib,
            f"DB instance {db.id} grows its {db.allocated_storage_gib} GiB of storage "
            f"automatically up to {ceiling} GiB.",
            f"DB instance {db.id} has storage autoscaling off: its {db.allocated_storage_gib} GiB "
            "are provisioned up front and must be resized by hand.",
            evidence,
        )
