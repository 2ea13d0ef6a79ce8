"""The organization's accounts and OUs, read from the management (or a delegated) account.

The whole tree is one fact (ListRoots, then ListOrganizationalUnitsForParent and
ListAccountsForParent per parent), so ``--ou`` can pick a subtree without a parameterised fetch and
every account keeps the OU path it sits under.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from wa_audit.errors import UsageError
from wa_audit.facts.base import FetchContext, fact

AUDITABLE_STATES = frozenset({"ACTIVE"})
"""Suspended, closed or pending accounts cannot be signed in to; they are listed, not audited."""


class MemberAccount(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    email: str = ""
    state: str
    ou_path: tuple[str, ...] = ()
    """The OU ids from the root down to the account's parent (the root id first)."""

    @property
    def auditable(self) -> bool:
        return self.state in AUDITABLE_STATES


class OrganizationTree(BaseModel):
    model_config = ConfigDict(frozen=True)

    accounts: tuple[MemberAccount, ...]
    ou_names: dict[str, str] = {}


def account_state(raw: dict[str, object]) -> str:
    """``State`` (2025) supersedes the deprecated ``Status``; accounts listed before carry only
    ``Status``, whose values (ACTIVE, SUSPENDED, PENDING_CLOSURE) are a subset of ``State``'s."""
    return str(raw.get("State") or raw.get("Status") or "UNKNOWN")


@fact(
    "organizations.tree",
    regional=False,
    permissions=[
        "organizations:ListRoots",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListAccountsForParent",
    ],
)
def organization_tree(ctx: FetchContext) -> OrganizationTree:
    accounts: list[MemberAccount] = []
    names: dict[str, str] = {}
    pending: list[tuple[str, tuple[str, ...]]] = []
    for root in ctx.paginate("organizations", "list_roots", "Roots"):
        names[root["Id"]] = root.get("Name", "Root")
        pending.append((root["Id"], (root["Id"],)))
    while pending:
        parent, path = pending.pop()
        for raw in ctx.paginate(
            "organizations", "list_accounts_for_parent", "Accounts", ParentId=parent
        ):
            accounts.append(
                MemberAccount(
                    id=raw["Id"],
                    name=raw.get("Name", raw["Id"]),
                    email=raw.get("Email", ""),
                    state=account_state(raw),
                    ou_path=path,
                )
            )
        for unit in ctx.paginate(
            "organizations",
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=parent,
        ):
            names[unit["Id"]] = unit.get("Name", unit["Id"])
            pending.append((unit["Id"], (*path, unit["Id"])))
    accounts.sort(key=lambda account: account.id)
    return OrganizationTree(accounts=tuple(accounts), ou_names=names)


def select_accounts(
    tree: OrganizationTree,
    *,
    ou: str | None = None,
    include: Sequence[str] = (),
    skip: Iterable[str] = (),
) -> list[MemberAccount]:
    """The accounts under ``ou`` (any depth), narrowed to ``include``, less ``skip``."""
    known = {account.id for account in tree.accounts}
    for account_id in [*include, *skip]:
        if account_id not in known:
            raise UsageError(f"account {account_id} is not in the organization")
    if ou is not None and ou not in tree.ou_names:
        raise UsageError(f"no OU or root {ou!r} in the organization")
    skipped = set(skip)
    chosen = [
        account
        for account in tree.accounts
        if (ou is None or ou in account.ou_path)
        and (not include or account.id in include)
        and account.id not in skipped
    ]
    if not chosen:
        raise UsageError("no account of the organization matches --ou/--accounts/--skip-accounts")
    return chosen
