"""The security pillar as a whole: the demo accounts, the calls it makes, the policy it needs."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from wa_audit.models import Pillar, Status
from wa_audit.org.models import ORG_CHECK_IDS
from wa_audit.registry import discover, select

REGIONS = ("us-east-1", "eu-west-1")
REPORT_ACTIONS = ["iam:GenerateCredentialReport", "iam:GetCredentialReport"]

_ECS_TASK_DEFINITIONS = [
    "ecs:ListClusters",
    "ecs:DescribeClusters",
    "ecs:ListServices",
    "ecs:DescribeServices",
    "ecs:ListTaskDefinitionFamilies",
    "ecs:DescribeTaskDefinition",
]

# What each check needs, written out: ec2:DescribeRegions and iam:ListAccountAliases come with
# every run.
EXPECTED_ACTIONS = {
    "sec.root-mfa": ["iam:GetAccountSummary", "organizations:DescribeOrganization"],
    "sec.root-hardware-mfa": ["iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
    "sec.root-access-keys": ["iam:GetAccountSummary"],
    "sec.root-recent-use": REPORT_ACTIONS,
    "sec.iam-user-mfa": REPORT_ACTIONS,
    "sec.access-key-rotation": REPORT_ACTIONS,
    "sec.access-key-unused": REPORT_ACTIONS,
    "sec.long-term-credentials": REPORT_ACTIONS,
    "sec.password-policy": ["iam:GetAccountPasswordPolicy"],
    "sec.cloudtrail": [
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
    ],
    "sec.guardduty": ["guardduty:ListDetectors", "guardduty:GetDetector"],
    "sec.access-analyzer": ["access-analyzer:ListAnalyzers"],
    "sec.security-hub": ["securityhub:DescribeHub", "securityhub:DescribeSecurityHubV2"],
    "sec.s3-account-public-access-block": ["s3:GetAccountPublicAccessBlock"],
    "sec.s3-bucket-public": [
        "s3:ListAllMyBuckets",
        "s3:GetAccountPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketPolicyStatus",
        "s3:GetBucketAcl",
    ],
    "sec.s3-tls-only": ["s3:ListAllMyBuckets", "s3:GetBucketPolicy"],
    "sec.glacier-vault-lock": [
        "glacier:ListVaults",
        "glacier:GetVaultLock",
        "glacier:GetVaultAccessPolicy",
    ],
    "sec.macie": [
        "s3:ListAllMyBuckets",
        "macie2:GetMacieSession",
        "macie2:GetAutomatedDiscoveryConfiguration",
    ],
    "sec.kms-key-rotation": ["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
    "sec.secrets-rotation": ["secretsmanager:ListSecrets"],
    "sec.ebs-default-encryption": ["ec2:GetEbsEncryptionByDefault"],
    "sec.security-contact": ["account:GetAlternateContact"],
    "sec.lambda-plaintext-secrets": ["lambda:ListFunctions"],
    "sec.org-trail": [
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
    ],
    "sec.org-delegated-admins": [
        "organizations:DescribeOrganization",
        "organizations:ListDelegatedAdministrators",
        "organizations:ListDelegatedServicesForAccount",
        "config:DescribeConfigurationAggregators",
    ],
    "sec.org-root-scp": [
        "organizations:DescribeOrganization",
        "organizations:ListPolicies",
        "organizations:DescribePolicy",
        "organizations:ListTargetsForPolicy",
    ],
    "sec.elasticache-encryption": [
        "elasticache:DescribeReplicationGroups",
        "elasticache:DescribeCacheClusters",
    ],
    "sec.rds-encryption": ["rds:DescribeDBInstances", "rds:DescribeDBClusters"],
    "sec.rds-public-access": ["rds:DescribeDBInstances"],
    "sec.vpc-flow-logs": ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeFlowLogs"],
    "sec.sg-admin-ports-open": ["ec2:DescribeSecurityGroups"],
    "sec.default-security-group": ["ec2:DescribeSecurityGroups"],
    "sec.ec2-imdsv2": ["ec2:DescribeInstances"],
    "sec.ec2-public-instances": ["ec2:DescribeInstances"],
    "sec.public-snapshots-amis": ["ec2:DescribeSnapshots", "ec2:DescribeImages"],
    "sec.elb-https": [
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeSSLPolicies",
    ],
    "sec.elb-access-logs": [
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
    ],
    "sec.acm-certificates": ["acm:ListCertificates", "acm:DescribeCertificate"],
    "sec.waf-public-endpoints": [
        "elasticloadbalancing:DescribeLoadBalancers",
        "wafv2:ListWebACLs",
        "wafv2:ListResourcesForWebACL",
        "cloudfront:ListDistributions",
    ],
    "sec.cloudfront-https": ["cloudfront:ListDistributions"],
    "sec.cloudfront-s3-origin-access": ["cloudfront:ListDistributions"],
    "sec.cloudfront-logging": [
        "cloudfront:ListDistributions",
        "cloudfront:GetDistributionConfig",
        "logs:DescribeDeliverySources",
        "logs:DescribeDeliveries",
    ],
    "sec.iam-groups": ["iam:GetAccountAuthorizationDetails"],
    "sec.iam-admin-policies": ["iam:GetAccountAuthorizationDetails"],
    "sec.iam-third-party-roles": [
        "iam:GetAccountAuthorizationDetails",
        "organizations:DescribeOrganization",
    ],
    "sec.unused-access": ["access-analyzer:ListAnalyzers", "access-analyzer:ListFindingsV2"],
    "sec.ecs-privileged-containers": _ECS_TASK_DEFINITIONS,
    "sec.ecs-plaintext-secrets": _ECS_TASK_DEFINITIONS,
    "sec.eks-public-endpoint": ["eks:ListClusters", "eks:DescribeCluster"],
    "sec.ecr-image-scanning": [
        "ecr:DescribeRepositories",
        "ecr:GetRegistryScanningConfiguration",
        "ecr:BatchGetRepositoryScanningConfiguration",
        "inspector2:BatchGetAccountStatus",
    ],
    "sec.ecr-tag-immutability": ["ecr:DescribeRepositories"],
}

# The sample account's verdicts, one entry per finding, in the order the checks report them.
SAMPLE_VERDICTS = {
    "sec.root-mfa": ["FAIL"],
    "sec.root-hardware-mfa": ["NOT_APPLICABLE"],
    "sec.root-access-keys": ["FAIL"],
    "sec.root-recent-use": ["FAIL"],
    "sec.iam-user-mfa": ["FAIL", "PASS", "PASS"],
    "sec.access-key-rotation": ["FAIL", "PASS"],
    "sec.access-key-unused": ["FAIL", "PASS"],
    "sec.long-term-credentials": ["WARN", "WARN"],
    "sec.password-policy": ["FAIL"],
    "sec.cloudtrail": ["FAIL"],
    "sec.guardduty": ["PASS", "FAIL"],
    "sec.access-analyzer": ["FAIL", "FAIL"],
    "sec.security-hub": ["FAIL", "FAIL"],
    "sec.s3-account-public-access-block": ["FAIL"],
    "sec.s3-bucket-public": ["PASS", "PASS", "FAIL", "PASS", "PASS"],
    "sec.s3-tls-only": ["FAIL"] * 5,
    "sec.glacier-vault-lock": ["FAIL", "NOT_APPLICABLE"],
    "sec.macie": ["WARN", "FAIL"],
    "sec.kms-key-rotation": ["FAIL", "NOT_APPLICABLE"],
    "sec.secrets-rotation": ["FAIL", "PASS", "NOT_APPLICABLE"],
    "sec.ebs-default-encryption": ["FAIL", "FAIL"],
    "sec.security-contact": ["FAIL"],
    "sec.lambda-plaintext-secrets": ["FAIL", "NOT_APPLICABLE"],
    "sec.org-trail": ["NOT_APPLICABLE"],
    "sec.org-delegated-admins": ["NOT_APPLICABLE"],
    "sec.org-root-scp": ["NOT_APPLICABLE"],
    "sec.elasticache-encryption": ["FAIL", "FAIL"],
    "sec.rds-encryption": ["FAIL", "NOT_APPLICABLE"],
    "sec.rds-public-access": ["FAIL", "NOT_APPLICABLE"],
    # us-east-1: the default VPC, the main VPC (logged); eu-west-1: default, main, staging.
    "sec.vpc-flow-logs": ["FAIL", "PASS", "FAIL", "FAIL", "FAIL"],
    "sec.sg-admin-ports-open": ["FAIL", "PASS"],  # the bastion's SSH, in us-east-1
    "sec.default-security-group": ["FAIL"] * 5,  # one per VPC, as AWS creates them
    # Every instance: 8 in us-east-1 (2 of the auto scaling group); in Europe 2, the new EU
    # group's 2 and 3 batch workers (the quotas section tops vCPUs up to its target, 14).
    "sec.ec2-imdsv2": ["FAIL"] * 15,
    # The bastion, and the 3 batch workers launched into eu-west-1's default VPC.
    "sec.ec2-public-instances": ["FAIL"] * 4,
    "sec.public-snapshots-amis": ["FAIL", "PASS"],  # the old database volume's copy
    # Four HTTP/HTTPS listeners left as built; five load balancers without logs; the imported
    # certificate lapsing in us-east-1 (none in use in eu-west-1); three public ALBs and the
    # avatars distribution without WAF; the avatars distribution open in every way.
    "sec.elb-https": ["FAIL"] * 4,
    "sec.elb-access-logs": ["FAIL"] * 5,
    "sec.acm-certificates": ["FAIL", "NOT_APPLICABLE"],
    "sec.waf-public-endpoints": ["FAIL"] * 4,
    "sec.cloudfront-https": ["FAIL"],
    "sec.cloudfront-s3-origin-access": ["FAIL"],
    "sec.cloudfront-logging": ["FAIL"],
    "sec.iam-groups": ["FAIL", "FAIL"],
    "sec.iam-admin-policies": ["FAIL", "FAIL"],
    "sec.iam-third-party-roles": ["FAIL"],
    "sec.unused-access": ["FAIL", "FAIL"],
    "sec.ecs-privileged-containers": ["PASS", "FAIL", "NOT_APPLICABLE"],
    "sec.ecs-plaintext-secrets": ["FAIL", "PASS", "NOT_APPLICABLE"],
    "sec.eks-public-endpoint": ["FAIL", "NOT_APPLICABLE"],
    "sec.ecr-image-scanning": ["FAIL", "FAIL", "NOT_APPLICABLE"],
    "sec.ecr-tag-immutability": ["FAIL", "FAIL", "NOT_APPLICABLE"],
}
# Checks of resources the clean account keeps in one region only: NOT_APPLICABLE in the other.
ONE_REGION_RESOURCE_CHECKS = {
    "sec.elasticache-encryption",
    "sec.rds-encryption",
    "sec.rds-public-access",
    "sec.ecs-privileged-containers",
    "sec.ecs-plaintext-secrets",
    "sec.eks-public-endpoint",
    "sec.ecr-image-scanning",
    "sec.ecr-tag-immutability",
}


def _security_checks():
    return select(discover(), pillars=[Pillar.SECURITY])


def test_every_issue_check_exists():
    assert sorted(c.id for c in _security_checks()) == sorted(EXPECTED_ACTIONS)


def test_full_audit_of_the_sample_account(sample_report):
    report = sample_report
    assert report.regions == REGIONS

    verdicts: dict[str, list[str]] = {}
    for finding in report.findings:
        verdicts.setdefault(finding.check_id, []).append(finding.status.value)
    assert {k: v for k, v in verdicts.items() if k.startswith("sec.")} == SAMPLE_VERDICTS
    assert report.errors == ()
    # One credential report serves every check that reads it; each operation once per region.
    assert report.api_calls["iam:GetCredentialReport"] == 1
    assert Counter({k: v for k, v in report.api_calls.items() if k in _ONCE_PER_REGION}) == Counter(
        dict.fromkeys(_ONCE_PER_REGION, len(REGIONS))
    )
    for action in (
        "iam:GetAccountSummary",
        "organizations:DescribeOrganization",
        "cloudtrail:DescribeTrails",
        "iam:GetAccountPasswordPolicy",
    ):
        assert report.api_calls[action] == 1, action


_ONCE_PER_REGION = (
    "guardduty:ListDetectors",
    "access-analyzer:ListAnalyzers",
    "securityhub:DescribeHub",
    "securityhub:DescribeSecurityHubV2",
    "ec2:GetEbsEncryptionByDefault",
    "ec2:DescribeFlowLogs",
    "ec2:DescribeSnapshots",
    "ec2:DescribeImages",
    "ec2:DescribeVpnConnections",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeRouteTables",
)


def test_clean_account_passes_every_security_check(clean_report):
    report = clean_report
    assert report.regions == REGIONS
    # A standalone account: the organization-wide checks do not apply (tests/org covers them).
    failing = [
        (f.check_id, f.region, f.message)
        for f in report.findings
        if f.check_id.startswith("sec.")
        and f.status is not Status.PASS
        and not (
            f.check_id in ORG_CHECK_IDS | ONE_REGION_RESOURCE_CHECKS
            and f.status is Status.NOT_APPLICABLE
        )
    ]
    assert failing == []
    assert {f.check_id for f in report.findings if f.check_id.startswith("sec.")} == set(
        EXPECTED_ACTIONS
    )


@pytest.mark.parametrize("check_id", sorted(EXPECTED_ACTIONS))
def test_policy_lists_exactly_the_actions_a_check_needs(run_cli, check_id):
    result = run_cli("policy", "--check", check_id)
    assert result.exit_code == 0, result.output
    [statement] = json.loads(result.output)["Statement"]
    every_run = {"ec2:DescribeRegions", "iam:ListAccountAliases"}
    assert statement["Action"] == sorted(every_run | set(EXPECTED_ACTIONS[check_id]))


def test_parameters_come_from_the_config_and_show_in_evidence(sandbox, run_cli, tmp_path):
    sandbox.seed("sample")
    config = tmp_path / "wa-audit.toml"
    config.write_text(
        '[params."sec.access-key-rotation"]\nmax_age_days = 365\n'
        '[params."sec.root-recent-use"]\ndays = 3\n'
    )
    result = run_cli(
        "run",
        "--config",
        str(config),
        "--check",
        "sec.access-key-rotation",
        "--check",
        "sec.root-recent-use",
        "--region",
        "us-east-1",
        "--output-dir",
        str(tmp_path),
        "--fail-on",
        "never",
    )
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "results.json").read_text())["findings"]
    rotation = [f for f in findings if f["check_id"] == "sec.access-key-rotation"]
    assert {(f["status"], f["evidence"]["max_age_days"]) for f in rotation} == {("PASS", 365)}
    [recent] = [f for f in findings if f["check_id"] == "sec.root-recent-use"]
    assert (recent["status"], recent["evidence"]["days"]) == ("FAIL", 3)  # the key, 2 days ago


def test_a_misspelt_parameter_is_a_usage_error(sandbox, run_cli, tmp_path):
    config = tmp_path / "wa-audit.toml"
    config.write_text('[params."sec.access-key-unused"]\nmax_unused_dayz = 30\n')
    result = run_cli("run", "--config", str(config), "--region", "us-east-1")
    assert result.exit_code == 2
    assert "max_unused_dayz" in result.output
