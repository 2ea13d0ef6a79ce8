"""The fact store against the sandbox: one fetch per fact and region, failures kept with reasons."""

from __future__ import annotations

from tests.helpers import check_of
from wa_audit.aws import AwsSession
from wa_audit.facts.iam import account_summary
from wa_audit.facts.regions import account_regions
from wa_audit.models import Pillar, Severity, Status
from wa_audit.registry import check
from wa_audit.runner import RunOptions, run_audit


def _reader(check_id: str, facts):
    @check(
        id=check_id,
        pillar=Pillar.SECURITY,
        title=check_id,
        severity=Severity.LOW,
        best_practices=["SEC01-BP02"],
        remediation="r",
        docs_url="u",
        facts=facts,
    )
    def read(ctx):
        for fact_ in facts:
            ctx.fact(fact_)
        yield ctx.passed(ctx.account_arn, f"{check_id} read its facts")

    return check_of(read)


def test_three_checks_one_fetch(sandbox):
    session = AwsSession()
    checks = [_reader(f"sec.reader-{n}", [account_summary]) for n in range(3)]
    report = run_audit(session, checks, RunOptions(regions=("us-east-1",)))
    assert [f.status for f in report.findings] == [Status.PASS] * 3
    assert report.api_calls["iam:GetAccountSummary"] == 1
    assert report.api_calls["sts:GetCallerIdentity"] == 1


def test_regional_fact_fetched_once_per_region(sandbox):
    session = AwsSession()
    regions = ("us-east-1", "eu-west-1", "ap-southeast-2")
    from wa_audit.facts.base import fact

    @fact("test.vpcs", regional=True, permissions=["ec2:DescribeVpcs"])
    def vpcs(ctx):
        return len(list(ctx.paginate("ec2", "describe_vpcs", "Vpcs")))

    checks = [_reader(f"sec.vpc-reader-{n}", [vpcs]) for n in range(2)]
    for c in checks:
        object.__setattr__(c.spec, "regional", True)
    run_audit(session, checks, RunOptions(regions=regions, workers=4))
    per_region = session.calls.by_action_and_region()
    assert {region: per_region[("ec2:DescribeVpcs", region)] for region in regions} == {
        region: 1 for region in regions
    }


def test_access_denied_only_errors_the_checks_that_need_it(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["iam:GetAccountSummary"])
    checks = [
        _reader("sec.needs-iam", [account_summary]),
        _reader("sec.needs-regions", [account_regions]),
    ]
    report = run_audit(AwsSession(), checks, RunOptions(regions=("us-east-1",)))
    statuses = {f.check_id: f.status for f in report.findings}
    assert statuses == {"sec.needs-iam": Status.ERROR, "sec.needs-regions": Status.PASS}
    [error] = report.errors
    assert (error.fact, error.missing_permission, error.checks) == (
        "iam.account_summary",
        "iam:GetAccountSummary",
        ("sec.needs-iam",),
    )
