"""Reading one setting per resource, where AWS has no call that lists the settings in bulk.

A resource that cannot be read (its own policy denies the auditor, or it was deleted since it was
listed) is marked unreadable, not the whole region: the checks report that resource as ERROR. Only
when every resource is denied is the permission itself missing, and the fact fails.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TypeVar

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.store import ACCESS_DENIED_CODES

T = TypeVar("T")


class Unreadable(BaseModel):
    """Why one resource's setting could not be read; the checks report it as ERROR."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str
    missing_permission: str | None = None


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def read_each(
    names: Iterable[str],
    read: Callable[[str], T],
    *,
    permission: str,
    gone_codes: Collection[str],
) -> dict[str, T | Unreadable]:
    """``read(name)`` for each name; ``read`` itself turns "not configured" errors into values."""
    found: dict[str, T | Unreadable] = {}
    denied: list[ClientError] = []
    for name in names:
        try:
            found[name] = read(name)
        except ClientError as error:
            code = error_code(error)
            if code in ACCESS_DENIED_CODES:
                denied.append(error)
                found[name] = Unreadable(
                    reason=f"access denied: grant {permission} on this resource",
                    missing_permission=permission,
                )
            elif code in gone_codes:
                found[name] = Unreadable(
                    reason=f"it no longer exists ({code}): deleted since it was listed"
                )
            else:
                raise
    if denied and len(denied) == len(found):
        raise denied[0]  # every resource denied: the auditor lacks the permission
    return found
