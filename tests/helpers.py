"""Run one check on facts built in the test: no AWS, no server."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from wa_audit.aws import AwsSession, Identity
from wa_audit.context import CheckContext
from wa_audit.facts.base import Fact
from wa_audit.facts.store import FactFailure, FactStore
from wa_audit.models import GLOBAL_REGION, Finding
from wa_audit.registry import Check
from wa_audit.runner import run_check

ACCOUNT_ID = "123456789012"
# The two root checks: CLI tests of the engine run only these, so new checks elsewhere don't move
# the numbers those tests assert.
ROOT_CHECKS = ("--check", "sec.root-mfa", "--check", "sec.root-access-keys")
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
IDENTITY = Identity(
    account_id=ACCOUNT_ID, arn=f"arn:aws:iam::{ACCOUNT_ID}:user/auditor", partition="aws"
)


def check_of(function: Callable[..., Any]) -> Check:
    marked = getattr(function, "__wa_audit_check__", None)
    assert isinstance(marked, Check), f"{function} is not a @check"
    return marked


def run_on_facts(
    function: Callable[..., Any],
    facts: Mapping[Fact[Any], Any],
    *,
    region: str = GLOBAL_REGION,
    regions: tuple[str, ...] = ("us-east-1",),
    params: BaseModel | None = None,
    failures: Mapping[Fact[Any], FactFailure] | None = None,
    now: datetime = NOW,
    regional_facts: Mapping[tuple[Fact[Any], str], Any] | None = None,
    identity: Identity = IDENTITY,
) -> list[Finding]:
    """Findings of one check given its facts; ``failures`` make facts unavailable instead.

    ``regional_facts`` gives a regional fact a different value in each region (``facts`` gives
    it the same value everywhere).
    """
    check = check_of(function)
    store = FactStore(AwsSession.__new__(AwsSession), identity)
    for fact_, value in facts.items():
        for fact_region in regions if fact_.regional else (GLOBAL_REGION,):
            store.seed(fact_, fact_region, value)
    for (fact_, fact_region), value in (regional_facts or {}).items():
        store.seed(fact_, fact_region, value)
    for fact_, failure in (failures or {}).items():
        store.seed_failure(fact_, region if fact_.regional else GLOBAL_REGION, failure)
    if params is None and check.params is not None:
        params = check.params()
    ctx = CheckContext(check.spec, store, region=region, regions=regions, now=now, params=params)
    return run_check(check, ctx)
