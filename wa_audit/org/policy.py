"""``wa-audit policy --org``: the member accounts' role policy and the management account's.

Members need exactly the audit's read-only policy. The management account needs it too (it is
audited like any account) plus listing the organization, the organization-wide checks' reads, and
sts:AssumeRole on the member role only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from wa_audit.facts.base import all_permissions
from wa_audit.facts.organizations import organization
from wa_audit.org.tree import organization_tree
from wa_audit.policy import policy_document
from wa_audit.registry import Check

ORG_LISTING = frozenset(all_permissions(organization_tree) | all_permissions(organization))


def org_policies(checks: Sequence[Check], role_name: str) -> dict[str, Any]:
    member = policy_document(checks)
    management = policy_document(checks)
    statements = management["Statement"]
    statements[0]["Action"] = sorted({*statements[0]["Action"], *ORG_LISTING})
    statements.append(
        {
            "Sid": "WaAuditAssumeMemberRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": f"arn:*:iam::*:role/{role_name}",
        }
    )
    return {"member_role": member, "management_account": management}


def org_policies_json(checks: Sequence[Check], role_name: str) -> str:
    return json.dumps(org_policies(checks, role_name), indent=2) + "\n"
