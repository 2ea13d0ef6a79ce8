"""Amazon Glacier vaults (the original vault API) and their lock and access policies.

AWS closed the vault API to new customers on 2025-12-15: an account that never stored data in a
vault gets ``NoLongerSupportedException``, which says it has no vaults. Lock and access policy
are one call per vault (``GetVaultLock``, ``GetVaultAccessPolicy``); ``ResourceNotFoundException``
there means the vault has none.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless
from wa_audit.facts.per_resource import Unreadable, error_code, read_each

NOT_FOUND = "ResourceNotFoundException"
NO_LONGER_SUPPORTED = "NoLongerSupportedException"
_OWN_ACCOUNT = "-"  # the API's way of saying "the caller's account"


class Vault(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str


class VaultLock(BaseModel):
    """``state`` is ``InProgress`` (abortable for 24 hours) or ``Locked``; None: no lock."""

    model_config = ConfigDict(frozen=True)

    state: str | None = None


class VaultPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    document: dict[str, Any] | None = None


@fact("glacier.vaults", regional=True, permissions=["glacier:ListVaults"])
def vaults(ctx: FetchContext) -> tuple[Vault, ...]:
    try:
        listed = list(ctx.paginate("glacier", "list_vaults", "VaultList", accountId=_OWN_ACCOUNT))
    except ClientError as error:
        if error_code(error) == NO_LONGER_SUPPORTED:
            return ()
        raise
    return tuple(Vault(name=raw["VaultName"], arn=raw["VaultARN"]) for raw in listed)


@fact("glacier.vault_locks", regional=True, permissions=["glacier:GetVaultLock"], needs=(vaults,))
def vault_locks(ctx: FetchContext) -> dict[str, VaultLock | Unreadable]:
    client = ctx.client("glacier")

    def read(name: str) -> VaultLock:
        raw = response_unless(
            {NOT_FOUND}, client.get_vault_lock, accountId=_OWN_ACCOUNT, vaultName=name
        )
        return VaultLock(state=None if raw is None else raw.get("State"))

    names = [vault.name for vault in ctx.get(vaults)]
    return read_each(names, read, permission="glacier:GetVaultLock", gone_codes=())


@fact(
    "glacier.vault_access_policies",
    regional=True,
    permissions=["glacier:GetVaultAccessPolicy"],
    needs=(vaults,),
)
def vault_access_policies(ctx: FetchContext) -> dict[str, VaultPolicy | Unreadable]:
    client = ctx.client("glacier")

    def read(name: str) -> VaultPolicy:
        raw = response_unless(
            {NOT_FOUND}, client.get_vault_access_policy, accountId=_OWN_ACCOUNT, vaultName=name
        )
        text = None if raw is None else raw.get("policy", {}).get("Policy")
        return VaultPolicy(document=json.loads(text) if text else None)

    names = [vault.name for vault in ctx.get(vaults)]
    return read_each(names, read, permission="glacier:GetVaultAccessPolicy", gone_codes=())
