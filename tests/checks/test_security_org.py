"""Organization-wide checks on facts built in the test: management account only, each verdict."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.checks.security_org import delegated_admins, denies_root, organization_trail, root_scp
from wa_audit.facts.cloudtrail import Trail, trails
from wa_audit.facts.config import ConfigAggregator, aggregators
from wa_audit.facts.organizations import (
    DelegatedAdministrator,
    Organization,
    ServiceControlPolicy,
    delegated_administrators,
    organization,
    service_control_policies,
)
from wa_audit.models import Status

ROOT_ARN = f"arn:aws:iam::{ACCOUNT_ID}:root"
MANAGEMENT = Organization(organization_id="o-abc", management_account_id=ACCOUNT_ID)
MEMBER = Organization(organization_id="o-abc", management_account_id="999999999999")
DENY_ROOT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": ["arn:aws:iam::*:root"]}},
        }
    ],
}


def _trail(organization_trail=True, multi=True, logging=True):
    return Trail(
        name="org",
        arn=f"arn:aws:cloudtrail:us-east-1:{ACCOUNT_ID}:trail/org",
        home_region="us-east-1",
        multi_region=multi,
        log_file_validation=True,
        organization_trail=organization_trail,
        logging=logging,
    )


def _scp(content=DENY_ROOT, targets=("r-ab12",)):
    return ServiceControlPolicy(
        id="p-deny",
        name="DenyRoot",
        aws_managed=False,
        content=json.dumps(content),
        targets=targets,
    )


@pytest.mark.parametrize(
    ("membership", "message"),
    [
        (Organization(), "The account is not in an organization."),
        (MEMBER, "Organization-wide: assessed in the management account 999999999999."),
    ],
)
@pytest.mark.parametrize("function", [organization_trail, delegated_admins, root_scp])
def test_outside_the_management_account_not_applicable(function, membership, message):
    facts = {
        organization: membership,
        trails: (),
        delegated_administrators: (),
        aggregators: (),
        service_control_policies: (),
    }
    [finding] = run_on_facts(function, facts)
    assert (finding.status, finding.resource, finding.message) == (
        Status.NOT_APPLICABLE,
        ROOT_ARN,
        message,
    )


@pytest.mark.parametrize(
    ("found", "status", "resource", "message"),
    [
        ((_trail(),), Status.PASS, _trail().arn, "Organization trail org logs every region."),
        (
            (_trail(logging=False),),
            Status.FAIL,
            _trail().arn,
            "Organization trail org is not logging.",
        ),
        (
            (_trail(multi=False),),
            Status.FAIL,
            _trail().arn,
            "Organization trail org covers one region only.",
        ),
        (
            (_trail(organization_trail=False),),
            Status.FAIL,
            ROOT_ARN,
            "No organization trail: each account logs on its own.",
        ),
        ((), Status.FAIL, ROOT_ARN, "No organization trail: each account logs on its own."),
    ],
)
def test_organization_trail(found, status, resource, message):
    [finding] = run_on_facts(organization_trail, {organization: MANAGEMENT, trails: found})
    assert (finding.status, finding.resource, finding.message) == (status, resource, message)
    assert finding.best_practices == ("SEC04-BP01", "SEC04-BP02")
    assert finding.region == "global"


def test_delegated_admins_each_service_its_own_verdict():
    admins = (
        DelegatedAdministrator(
            account_id="222222222222", service_principals=("guardduty.amazonaws.com",)
        ),
    )
    findings = run_on_facts(
        delegated_admins,
        {organization: MANAGEMENT, delegated_administrators: admins, aggregators: ()},
    )
    assert [(f.resource, f.status) for f in findings] == [
        ("guardduty.amazonaws.com", Status.PASS),
        ("securityhub.amazonaws.com", Status.FAIL),
        ("config.amazonaws.com", Status.FAIL),
    ]
    assert findings[0].message == "GuardDuty is administered by account 222222222222."
    assert all(f.best_practices == ("SEC01-BP01", "SEC04-BP02") for f in findings)


def test_config_aggregated_by_an_organization_aggregator_in_any_region():
    org_wide = ConfigAggregator(name="org", organization_wide=True, all_regions=True)
    findings = run_on_facts(
        delegated_admins,
        {organization: MANAGEMENT, delegated_administrators: ()},
        regions=("us-east-1", "eu-west-1"),
        regional_facts={(aggregators, "us-east-1"): (), (aggregators, "eu-west-1"): (org_wide,)},
    )
    config = next(f for f in findings if f.resource == "config.amazonaws.com")
    assert (config.status, config.message) == (
        Status.PASS,
        "AWS Config is aggregated (eu-west-1/org).",
    )


@pytest.mark.parametrize(
    ("policies", "status", "resource", "message"),
    [
        ((_scp(),), Status.PASS, "p-deny", "SCP DenyRoot denies root users organization-wide."),
        (
            (_scp(targets=("ou-ab12-workload",)),),
            Status.WARN,
            "p-deny",
            "SCP DenyRoot denies root users only under ou-ab12-workload, not the root.",
        ),
        (
            (_scp(targets=()),),
            Status.FAIL,
            ROOT_ARN,
            "No SCP denies the member accounts' root users.",
        ),
        ((), Status.FAIL, ROOT_ARN, "No SCP denies the member accounts' root users."),
    ],
)
def test_root_scp(policies, status, resource, message):
    [finding] = run_on_facts(
        root_scp, {organization: MANAGEMENT, service_control_policies: policies}
    )
    assert (finding.status, finding.resource, finding.message) == (status, resource, message)
    assert finding.best_practices == ("SEC01-BP02", "SEC03-BP05")


def _deny_all(condition):
    return {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": condition}


ROOTS = "arn:aws:iam::*:root"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (DENY_ROOT["Statement"][0], True),
        ({**DENY_ROOT["Statement"][0], "Effect": "Allow"}, False),
        ({**DENY_ROOT["Statement"][0], "Action": "s3:*"}, False),
        ({**DENY_ROOT["Statement"][0], "Resource": "arn:aws:s3:::logs/*"}, False),
        (_deny_all({"ArnLike": {"aws:PrincipalArn": ROOTS}}), True),
        (_deny_all({"ArnEquals": {"aws:PrincipalArn": ROOTS}}), True),  # wildcards, as ArnLike
        (_deny_all({"StringLikeIfExists": {"aws:PrincipalArn": ROOTS}}), True),  # always present
        (_deny_all({"StringLike": {"AWS:PrincipalARN": "arn:*:iam::*:root"}}), True),
        (_deny_all({"StringLike": {"aws:PrincipalArn": "*:root"}}), True),
        (
            _deny_all(
                {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:root"}}
            ),
            True,
        ),
        # Everyone but a break-glass role, which is no root user: still every root denied.
        (
            _deny_all(
                {
                    "StringLike": {"aws:PrincipalArn": ROOTS},
                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"},
                }
            ),
            True,
        ),
        # Deny everyone EXCEPT root users.
        (_deny_all({"StringNotLike": {"aws:PrincipalArn": ROOTS}}), False),
        (_deny_all({"ArnNotLike": {"aws:PrincipalArn": ROOTS}}), False),
        (_deny_all({"StringNotLikeIfExists": {"aws:PrincipalArn": ROOTS}}), False),
        # One account's root only, or a literal `*` that matches no account.
        (_deny_all({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:root"}}), False),
        (_deny_all({"ArnLike": {"aws:PrincipalArn": ["arn:aws:iam::1*:root"]}}), False),
        (_deny_all({"StringEquals": {"aws:PrincipalArn": ROOTS}}), False),
        # Another partition's roots.
        (_deny_all({"StringLike": {"aws:PrincipalArn": "arn:aws-cn:iam::*:root"}}), False),
        # Root denied, but one root excepted again, or only under another condition.
        (
            _deny_all(
                {
                    "StringLike": {"aws:PrincipalArn": ROOTS},
                    "StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:root"},
                }
            ),
            False,
        ),
        (
            _deny_all(
                {
                    "StringLike": {"aws:PrincipalArn": ROOTS},
                    "StringEquals": {"aws:RequestedRegion": "ap-east-1"},
                }
            ),
            False,
        ),
        (_deny_all({"Null": {"aws:PrincipalArn": "false"}}), False),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
        ({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}, False),
    ],
)
def test_denies_root_reads_the_policy_document(statement, expected):
    document = {"Version": "2012-10-17", "Statement": statement}
    assert denies_root(_scp(document), "aws") is expected


def test_denies_root_matches_the_audited_partition():
    china = _deny_all({"StringLike": {"aws:PrincipalArn": "arn:aws-cn:iam::*:root"}})
    assert denies_root(_scp({"Statement": [china]}), "aws-cn") is True
    assert denies_root(_scp(DENY_ROOT), "aws-cn") is False


def test_denies_root_refuses_a_document_that_is_not_json():
    broken = ServiceControlPolicy(
        id="p-x", name="x", aws_managed=False, content="{not json", targets=("r-1",)
    )
    assert denies_root(broken, "aws") is False
