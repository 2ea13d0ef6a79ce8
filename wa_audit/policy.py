"""The least-privilege IAM policy for a set of checks, derived from the facts they read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from wa_audit.facts.base import all_permissions
from wa_audit.facts.iam import account_aliases
from wa_audit.facts.regions import account_regions
from wa_audit.registry import Check
from wa_audit.runner import sections_for
from wa_audit.sections import ReportSection

# Every run lists regions and reads the account alias; sts:GetCallerIdentity needs no permission.
ALWAYS_NEEDED = frozenset(all_permissions(account_regions) | all_permissions(account_aliases))


def required_actions(checks: Iterable[Check]) -> list[str]:
    actions = set(ALWAYS_NEEDED)
    selected = list(checks)
    readers: list[Check | ReportSection] = [*selected, *sections_for(selected)]
    for reader in readers:
        actions |= reader.permissions()
    return sorted(actions)


def policy_document(
    checks: Iterable[Check], *, quota_requests: bool = False, wa_tool: bool = False
) -> dict[str, Any]:
    """The read-only statement; with ``quota_requests`` the quota reads join it and the write of
    ``wa-audit quotas request`` gets a statement of its own, easy to grant separately."""
    reads = required_actions(checks)
    statements: list[dict[str, Any]] = []
    if quota_requests:
        from wa_audit.quotas.reader import QUOTA_COMMAND_READS
        from wa_audit.quotas.requests import WRITE_ACTIONS

        reads = sorted({*reads, *QUOTA_COMMAND_READS})
        statements.append(
            {
                "Sid": "WaAuditQuotaRequests",
                "Effect": "Allow",
                "Action": sorted(WRITE_ACTIONS),
                "Resource": "*",
            }
        )
    if wa_tool:
        from wa_audit.wa_tool import client as wa_tool_client

        reads = sorted({*reads, *wa_tool_client.READ_ACTIONS})
        statements.append(
            {
                "Sid": "WaAuditWaToolWrites",
                "Effect": "Allow",
                "Action": list(wa_tool_client.WRITE_ACTIONS),
                "Resource": "*",
            }
        )
    read_only = {"Sid": "WaAuditReadOnly", "Effect": "Allow", "Action": reads, "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [read_only, *statements]}


def policy_json(
    checks: Iterable[Check], *, quota_requests: bool = False, wa_tool: bool = False
) -> str:
    document = policy_document(checks, quota_requests=quota_requests, wa_tool=wa_tool)
    return json.dumps(document, indent=2) + "\n"
