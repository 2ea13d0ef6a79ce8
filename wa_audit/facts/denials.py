"""Access denied by an AWS Organizations service control policy, told apart from a missing grant.

AWS words the policy type into access denied messages (IAM User Guide, "Access denied error
messages"): "User: <arn> is not authorized to perform: <action> on resource: <arn> with an explicit
deny in a service control policy", since 2025 followed by the policy's ARN where the caller is in
the same organization (": arn:aws:organizations::<mgmt>:policy/o-…/service_control_policy/p-…"),
and "… because no service control policy allows the <action> action" for an implicit deny. Either
way no IAM grant in the account helps: only the organization's administrators can change it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCP = re.compile(
    r"(?P<explicit>explicit deny in a service control policy)"
    r"(?::\s*(?P<arn>arn:[\w-]+:organizations::\d{12}:policy/[\w/-]+))?"
    r"|(?P<implicit>no service control policy allows)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScpDenial:
    """An access denial an SCP caused; ``policy_arn`` when AWS named the policy."""

    explicit: bool
    policy_arn: str | None = None

    @property
    def policy(self) -> str:
        return self.policy_arn or "a service control policy of the organization"

    @property
    def reason(self) -> str:
        how = "explicitly denied" if self.explicit else "not allowed"
        return f"{how} by {self.policy} (AWS Organizations): no IAM grant in this account helps"


def scp_denial(message: str) -> ScpDenial | None:
    """The SCP behind an access denied message, or None when another policy (or none) denied."""
    match = _SCP.search(message)
    if match is None:
        return None
    return ScpDenial(explicit=match["explicit"] is not None, policy_arn=match["arn"])
