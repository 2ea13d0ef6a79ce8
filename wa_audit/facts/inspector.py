"""Amazon Inspector: whether it scans ECR images for this account in a region (enhanced scanning)."""

from __future__ import annotations

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.ecr import registry_scan_type


@fact(
    "inspector2.ecr_status",
    regional=True,
    permissions=["inspector2:BatchGetAccountStatus"],
    needs=(registry_scan_type,),
)
def ecr_status(ctx: FetchContext) -> str | None:
    """Inspector's ECR scanning status for the caller's account (``ENABLED``, ``DISABLED``,
    ``SUSPENDED`` …); None, and not read, where the registry uses basic scanning (Inspector does
    not scan it then)."""
    if ctx.get(registry_scan_type) != "ENHANCED":
        return None
    response = ctx.client("inspector2").batch_get_account_status()
    for account in response["accounts"]:  # required in the model
        if account["accountId"] == ctx.account_id:
            return str(account["resourceState"]["ecr"]["status"])
    return "UNKNOWN"
