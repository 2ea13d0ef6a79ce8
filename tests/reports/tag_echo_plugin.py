"""A third-party-style check for the browser tests: it repeats volumes' tags in its findings.

No built-in check reports tag values yet, so this one carries untrusted account text (EC2 allows
any character in a tag value) through the real path: sandbox → facts → check → Report → HTML.
"""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.api import CheckContext, Finding, Pillar, Severity, check
from wa_audit.facts.ec2 import volumes


@check(
    id="ops.volume-tags",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Volumes say who owns them (test plugin)",
    severity=Severity.LOW,
    best_practices=["OPS02-BP01"],
    remediation="Tag each volume with its owner.",
    docs_url="https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
    facts=[volumes],
    regional=True,
)
def volume_tags(ctx: CheckContext) -> Iterator[Finding]:
    for volume in ctx.fact(volumes):
        resource = f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}:volume/{volume.id}"
        name = volume.tags.get("Name", "")
        if "owner" in volume.tags:
            yield ctx.passed(resource, f"Volume {name} has an owner.", evidence=volume.tags)
        else:
            yield ctx.warned(resource, f"Volume {name} has no owner tag.", evidence=volume.tags)
