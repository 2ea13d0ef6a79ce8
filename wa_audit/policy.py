"""The least-privilege IAM policy for a set of checks, derived from the facts they read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from wa_audit.facts.base import all_permissions
from wa_audit.facts.regions import account_regions
from wa_audit.registry import Check
from wa_audit.runner import sections_for
from wa_audit.sections import ReportSection

# Every run lists regions; sts:GetCallerIdentity needs no permission.
ALWAYS_NEEDED = frozenset(all_permissions(account_regions))


def required_actions(checks: Iterable[Check]) -> list[str]:
    actions = set(ALWAYS_NEEDED)
    selected = list(checks)
    readers: list[Check | ReportSection] = [*selected, *sections_for(selected)]
    for reader in readers:
        actions |= reader.permissions()
    return sorted(actions)


def policy_document(checks: Iterable[Check]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WaAuditReadOnly",
                "Effect": "Allow",
                "Action": required_actions(checks),
                "Resource": "*",
            }
        ],
    }


def policy_json(checks: Iterable[Check]) -> str:
    return json.dumps(policy_document(checks), indent=2) + "\n"
