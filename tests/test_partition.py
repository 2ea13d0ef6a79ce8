"""Every ARN wa-audit builds names the account's partition: an aws-cn account gets arn:aws-cn:."""

from __future__ import annotations

from datetime import UTC, datetime

from botocore.stub import Stubber

from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.aws import AwsSession, Identity
from wa_audit.checks.cost_optimization import cost_budget
from wa_audit.checks.cost_waste import unattached_volumes
from wa_audit.checks.security import root_access_keys
from wa_audit.facts.budgets import budgets
from wa_audit.facts.ec2 import Volume, volumes
from wa_audit.facts.guardduty import detectors
from wa_audit.facts.iam import AccountSummary, account_summary
from wa_audit.facts.store import FactFailure, FactStore
from wa_audit.models import Status

CHINA = Identity(
    account_id=ACCOUNT_ID, arn=f"arn:aws-cn:iam::{ACCOUNT_ID}:user/auditor", partition="aws-cn"
)
REGION = "cn-north-1"


def test_account_wide_findings_name_the_partition_root():
    summary = AccountSummary(summary={"AccountAccessKeysPresent": 0})
    [finding] = run_on_facts(root_access_keys, {account_summary: summary}, identity=CHINA)
    assert finding.resource == f"arn:aws-cn:iam::{ACCOUNT_ID}:root"


def test_an_error_about_the_whole_account_names_the_partition_root():
    failure = FactFailure("access denied: grant budgets:ViewBudget", "budgets:ViewBudget")
    [finding] = run_on_facts(cost_budget, {}, failures={budgets: failure}, identity=CHINA)
    assert (finding.status, finding.resource) == (
        Status.ERROR,
        f"arn:aws-cn:iam::{ACCOUNT_ID}:root",
    )


def test_regional_resources_name_the_partition():
    volume = Volume(
        id="vol-0123456789abcdef0",
        state="available",
        type="gp3",
        size_gib=10,
        availability_zone="cn-north-1a",
        create_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    [finding] = run_on_facts(
        unattached_volumes,
        {volumes: (volume,)},
        region=REGION,
        regions=(REGION,),
        identity=CHINA,
    )
    assert finding.resource == f"arn:aws-cn:ec2:{REGION}:{ACCOUNT_ID}:volume/vol-0123456789abcdef0"


def test_facts_build_arns_in_the_partition(monkeypatch):
    """No double serves aws-cn, so Stubber answers GuardDuty here (the fact builds the ARN)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    session = AwsSession()
    client = session.client("guardduty", REGION)
    stubber = Stubber(client)
    stubber.add_response("list_detectors", {"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]})
    stubber.add_response(
        "get_detector",
        {"ServiceRole": "role", "Status": "ENABLED"},
        {"DetectorId": "12abc34d567e8fa901bc2d34e56789f0"},
    )
    with stubber:
        [detector] = FactStore(session, CHINA).get(detectors, REGION)
    assert detector.arn == (
        f"arn:aws-cn:guardduty:{REGION}:{ACCOUNT_ID}:detector/12abc34d567e8fa901bc2d34e56789f0"
    )
