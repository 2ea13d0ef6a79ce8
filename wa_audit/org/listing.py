"""accounts.json: the organization's accounts as ``wa-audit accounts`` lists them, the work list of
a fan-out (one container per account) and, given to ``wa-audit merge --accounts``, the list that
no account drops out of.

Each row says how the account is audited: with the caller's own credentials (``own_account``: the
management account, where the member role does not exist), through ``role_arn`` (built in the
caller's partition), or not at all (``state`` other than ACTIVE: listed as skipped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import Field, TypeAdapter, ValidationError

from wa_audit.aws import Identity
from wa_audit.errors import UsageError
from wa_audit.models import Frozen
from wa_audit.org.assume import role_arn
from wa_audit.org.models import AccountOutcome, AccountResult
from wa_audit.org.tree import AUDITABLE_STATES, MemberAccount

ACCOUNTS_FILE = "accounts.json"


class ListedAccount(Frozen):
    account_id: str = Field(pattern=r"^\d{12}$")
    name: str
    ou_path: tuple[str, ...] = ()
    state: str = "ACTIVE"
    own_account: bool = False
    """The caller's own account: audited with the caller's credentials, as ``run --org`` does."""
    role_arn: str | None = None
    """The role to assume (None for the caller's own account)."""

    @property
    def auditable(self) -> bool:
        return self.state in AUDITABLE_STATES


def listed(
    accounts: Sequence[MemberAccount], caller: Identity, role_name: str
) -> list[ListedAccount]:
    rows = []
    for account in accounts:
        own = account.id == caller.account_id
        rows.append(
            ListedAccount(
                account_id=account.id,
                name=account.name,
                ou_path=account.ou_path,
                state=account.state,
                own_account=own,
                role_arn=None if own else role_arn(caller.partition, account.id, role_name),
            )
        )
    return rows


def listing_json(rows: Sequence[ListedAccount]) -> str:
    return json.dumps([row.model_dump(mode="json") for row in rows], indent=2) + "\n"


_ROWS = TypeAdapter(list[ListedAccount])


def load_listing(path: Path) -> list[ListedAccount]:
    """accounts.json as ``wa-audit accounts`` wrote it; anything else is a one-line usage error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error
    try:
        return _ROWS.validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"{path}: not an accounts list ({where}: {first['msg']})") from error


def not_audited_row(account: MemberAccount | ListedAccount, reason: str) -> AccountResult:
    """The row of an account that has no Report: skipped if it cannot be signed in to (suspended,
    closed), else failed with ``reason``."""
    account_id = account.id if isinstance(account, MemberAccount) else account.account_id
    if not account.auditable:
        outcome, reason = AccountOutcome.SKIPPED, f"account is {account.state.lower()}"
    else:
        outcome = AccountOutcome.FAILED
    return AccountResult(
        account_id=account_id,
        name=account.name,
        ou_path=account.ou_path,
        outcome=outcome,
        reason=reason,
    )
