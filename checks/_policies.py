"""Reading resource policies (S3 bucket, Glacier vault): who a statement names, what it covers.

IAM matches actions and condition keys case-insensitively and resources with ``*``/``?``
wildcards (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any


def values(value: Any) -> list[Any]:
    """A policy element that may be one value or a list, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def statements(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not document:
        return []
    return [s for s in values(document.get("Statement")) if isinstance(s, dict)]


def names_everyone(statement: dict[str, Any]) -> bool:
    """``"Principal": "*"`` or ``{"AWS": "*"}``: anyone, signed or anonymous."""
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in values(principal.get("AWS"))


def covers_resource(statement: dict[str, Any], arn: str) -> bool:
    return any(fnmatchcase(arn, pattern) for pattern in values(statement.get("Resource")))


def has_action(statement: dict[str, Any], *actions: str) -> bool:
    wanted = {action.lower() for action in actions}
    return any(str(action).lower() in wanted for action in values(statement.get("Action")))


def condition_values(statement: dict[str, Any], operators: set[str], key: str) -> set[str]:
    """The values a statement's condition tests ``key`` against under any of ``operators``."""
    found: set[str] = set()
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return found
    for operator, tests in condition.items():
        if operator in operators and isinstance(tests, dict):
            for name, value in tests.items():
                if name.lower() == key.lower():
                    found |= {str(v).lower() for v in values(value)}
    return found


def grants_everyone(document: dict[str, Any] | None) -> bool:
    """An Allow to everyone without any condition narrowing it."""
    return any(
        s.get("Effect") == "Allow" and names_everyone(s) and not s.get("Condition")
        for s in statements(document)
    )
