"""AWS WAF (v2) facts: which regional resources a web ACL protects.

ListWebACLs (Scope REGIONAL) has no botocore paginator: it pages with ``NextMarker``. Then
ListResourcesForWebACL per web ACL and resource type, the list-level way to read associations
(the alternative, GetWebACLForResource, is one call per protected resource). CloudFront
distributions name their web ACL themselves (``WebACLId``), so the CLOUDFRONT scope is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_audit.facts.base import FetchContext, fact

PROTECTED_TYPES = ("APPLICATION_LOAD_BALANCER",)


def _web_acls(ctx: FetchContext) -> Iterator[dict[str, Any]]:
    client = ctx.client("wafv2")
    params: dict[str, Any] = {"Scope": "REGIONAL", "Limit": 100}
    while True:
        page = client.list_web_acls(**params)
        yield from page.get("WebACLs", [])
        if not page.get("NextMarker") or not page.get("WebACLs"):
            return
        params["NextMarker"] = page["NextMarker"]


@fact(
    "wafv2.regional_associations",
    regional=True,
    permissions=["wafv2:ListWebACLs", "wafv2:ListResourcesForWebACL"],
)
def regional_associations(ctx: FetchContext) -> dict[str, str]:
    """The web ACL ARN protecting each associated resource, by resource ARN."""
    client = ctx.client("wafv2")
    found: dict[str, str] = {}
    for acl in _web_acls(ctx):
        for kind in PROTECTED_TYPES:
            answer = client.list_resources_for_web_acl(WebACLArn=acl["ARN"], ResourceType=kind)
            for arn in answer.get("ResourceArns", []):
                found[arn] = acl["ARN"]
    return found
