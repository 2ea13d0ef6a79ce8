"""Account-wide findings carry region "global", wherever their facts were read."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import run_on_facts
from wa_audit.models import Pillar, Severity, SuppressionRule
from wa_audit.registry import check
from wa_audit.suppressions import apply_suppressions


def _check(check_id: str, *, regional: bool):
    @check(
        id=check_id,
        pillar=Pillar.COST_OPTIMIZATION,
        title=check_id,
        severity=Severity.LOW,
        best_practices=["COST01-BP05"],
        remediation="r",
        docs_url="u",
        facts=[],
        regional=regional,
    )
    def speaks_from_us_east_1(ctx):
        yield ctx.failed(ctx.account_arn, "read in us-east-1", region="us-east-1")

    return speaks_from_us_east_1


@pytest.mark.parametrize(
    ("regional", "region"),
    [
        (False, "global"),  # an account-wide check: the region it read from is not its scope
        (True, "us-east-1"),  # a regional check may name another region (a global quota: global)
    ],
)
def test_finding_region(regional, region):
    function = _check("cost.test-region", regional=regional)
    ctx_region = "eu-west-1" if regional else "global"
    [finding] = run_on_facts(function, {}, region=ctx_region, regions=("eu-west-1", "us-east-1"))
    assert finding.region == region


def test_a_global_suppression_matches_account_wide_findings():
    [finding] = run_on_facts(_check("cost.test-global", regional=False), {})
    rule = SuppressionRule(
        check="cost.test-global", region="global", reason="accepted", expires=date(2099, 1, 1)
    )
    result = apply_suppressions(
        [finding], [rule], today=date(2026, 1, 1), checks_run={"cost.test-global"}
    )
    assert [f.suppressed for f in result.findings] == [True]
