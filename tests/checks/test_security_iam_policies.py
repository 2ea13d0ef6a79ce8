"""IAM grants and unused access, end to end against the sandbox (boto3 over HTTP to moto)."""

from __future__ import annotations

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.checks.security_iam_policies import grants_everything, iam_third_party_roles
from wa_audit.facts.iam_authorization import (
    AuthorizationDetails,
    Principal,
    authorization_details,
    policy_document,
)
from wa_audit.facts.organizations import Organization, organization
from wa_audit.models import Status
from wa_audit.sandbox.seeders.access import (
    AccessSection,
    GroupSpec,
    PolicySpec,
    TrustedRole,
    UnusedAccessAnalyzer,
    UnusedAccessFinding,
    UserGrant,
)
from wa_audit.sandbox.seeders.iam import IamSection, UserSpec

REGIONS = ("us-east-1",)
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
GROUPS_BP = ("SEC02-BP06", "COST02-BP04")
ADMIN_BP = ("SEC03-BP02",)
THIRD_BP = ("SEC03-BP09", "SEC03-BP08")
UNUSED_BP = ("SEC03-BP04", "SEC03-BP06")
IAM_CHECKS = ("sec.iam-groups", "sec.iam-admin-policies", "sec.iam-third-party-roles")


def _verdicts(check_id: str, best_practices: tuple[str, ...]) -> list[tuple[Status, str]]:
    """Each finding's status and resource, after asserting they all carry ``best_practices``."""
    findings = audit([check_id], REGIONS).findings
    assert {f.best_practices for f in findings} == {best_practices}
    return sorted((f.status, f.resource) for f in findings)


def _seed(sandbox, access: AccessSection, users=("alice", "ci-deploy")) -> None:
    sandbox.seed_section("iam", IamSection(users=[UserSpec(name=u) for u in users]))
    sandbox.seed_section("access", access)


SCOPED = PolicySpec(name="readers", actions=("s3:GetObject",), resources=("arn:aws:s3:::b/*",))
ADMIN = PolicySpec(name="everything")


def test_users_in_groups_pass(sandbox):
    _seed(
        sandbox,
        AccessSection(
            policies=(SCOPED,),
            groups=(GroupSpec(name="devs", members=("alice", "ci-deploy"), policies=("readers",)),),
        ),
    )
    assert _verdicts("sec.iam-groups", GROUPS_BP) == [(Status.PASS, ROOT)]


def test_users_with_their_own_policies_fail(sandbox):
    _seed(
        sandbox,
        AccessSection(
            policies=(SCOPED,),
            user_grants=(
                UserGrant(user="ci-deploy", policies=("readers",)),
                UserGrant(user="alice", inline_admin="mine"),
            ),
        ),
    )
    assert _verdicts("sec.iam-groups", GROUPS_BP) == [
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:user/alice"),
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:user/ci-deploy"),
    ]


def test_no_users_is_not_applicable(sandbox):
    sandbox.seed_section("access", AccessSection(policies=(SCOPED,)))
    assert _verdicts("sec.iam-groups", GROUPS_BP) == [(Status.NOT_APPLICABLE, ROOT)]


def test_scoped_policies_pass_admin_grants_fail(sandbox):
    _seed(sandbox, AccessSection(policies=(SCOPED,), user_grants=(UserGrant(user="alice"),)))
    assert _verdicts("sec.iam-admin-policies", ADMIN_BP) == [(Status.PASS, ROOT)]


def test_admin_policies_fail_attached_warn_unattached(sandbox):
    _seed(
        sandbox,
        AccessSection(
            policies=(ADMIN, PolicySpec(name="spare-admin", actions=("*:*",))),
            groups=(GroupSpec(name="ops", members=("alice",), policies=("everything",)),),
            user_grants=(UserGrant(user="ci-deploy", inline_admin="deploy-all"),),
        ),
    )
    assert _verdicts("sec.iam-admin-policies", ADMIN_BP) == [
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:policy/everything"),
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:user/ci-deploy"),
        (Status.WARN, f"arn:aws:iam::{ACCOUNT_ID}:policy/spare-admin"),
    ]


def test_third_party_role_with_external_id_passes(sandbox):
    role = TrustedRole(name="vendor", trusted_account="111122223333", external_id="x-1")
    sandbox.seed_section("access", AccessSection(trusted_roles=(role,)))
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/vendor"
    assert _verdicts("sec.iam-third-party-roles", THIRD_BP) == [(Status.PASS, role_arn)]


def test_third_party_role_without_external_id_fails(sandbox):
    role = TrustedRole(name="vendor", trusted_account="111122223333")
    sandbox.seed_section("access", AccessSection(trusted_roles=(role,)))
    [finding] = audit(["sec.iam-third-party-roles"], REGIONS).findings
    assert (finding.status, finding.resource) == (
        Status.FAIL,
        f"arn:aws:iam::{ACCOUNT_ID}:role/vendor",
    )
    assert finding.evidence["without_external_id"] == ["111122223333"]


def test_roles_trusting_only_services_are_not_applicable(sandbox):
    sandbox.seed_section(
        "iam", IamSection(roles=[{"name": "api", "trusted_service": "ec2.amazonaws.com"}])
    )
    assert _verdicts("sec.iam-third-party-roles", THIRD_BP) == [(Status.NOT_APPLICABLE, ROOT)]


def _role(trust: dict) -> Principal:
    return Principal(
        kind="role", name="r", arn=f"arn:aws:iam::{ACCOUNT_ID}:role/r", trust_policy=trust
    )


@pytest.mark.parametrize(
    ("principal", "condition", "status"),
    [
        ("*", None, Status.FAIL),
        ({"AWS": "111122223333"}, None, Status.FAIL),
        ({"AWS": [f"arn:aws:iam::{ACCOUNT_ID}:root"]}, None, Status.NOT_APPLICABLE),
        (
            {"AWS": "arn:aws:iam::111122223333:role/x"},
            {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
            Status.NOT_APPLICABLE,
        ),
        (
            {"AWS": "arn:aws:iam::111122223333:role/x"},
            {"StringLike": {"STS:ExternalId": "abc*"}},
            Status.PASS,
        ),
    ],
)
def test_trust_shapes(principal, condition, status):
    """Trust policy shapes moto stores verbatim but the seeder does not write."""
    statement = {"Effect": "Allow", "Principal": principal, "Action": ["sts:AssumeRole"]}
    if condition:
        statement["Condition"] = condition
    details = AuthorizationDetails(
        users=(), groups=(), roles=(_role({"Statement": statement}),), policies=()
    )
    facts = {authorization_details: details, organization: Organization()}
    [finding] = run_on_facts(iam_third_party_roles, facts)
    assert finding.status is status


MANAGEMENT = "111122223333"


@pytest.mark.parametrize(
    ("trusted", "status", "unguarded"),
    [
        (MANAGEMENT, Status.NOT_APPLICABLE, None),  # OrganizationAccountAccessRole's trust
        ("444455556666", Status.FAIL, ["444455556666"]),  # another account is still a third party
    ],
)
def test_the_organizations_management_account_is_no_third_party(trusted, status, unguarded):
    """Every member account's OrganizationAccountAccessRole trusts the management account without
    an external ID; that is the organization itself, not a vendor (seen in the org demo)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{trusted}:root"},
        "Action": "sts:AssumeRole",
    }
    role = _role({"Statement": [statement]})
    details = AuthorizationDetails(users=(), groups=(), roles=(role,), policies=())
    membership = Organization(organization_id="o-abc", management_account_id=MANAGEMENT)
    [finding] = run_on_facts(
        iam_third_party_roles, {authorization_details: details, organization: membership}
    )
    assert finding.status is status
    assert finding.best_practices == THIRD_BP
    if unguarded is not None:
        assert (finding.resource, finding.evidence["without_external_id"]) == (role.arn, unguarded)


def test_policy_documents_url_encoded_or_decoded():
    document = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["*"]}]}
    encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D"
    assert grants_everything(policy_document(document))
    assert grants_everything(policy_document(encoded))
    assert not grants_everything({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})
    assert not grants_everything(
        {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}
    )


def test_denied_authorization_details_errors_every_iam_check(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["iam:GetAccountAuthorizationDetails"])
    report = audit(IAM_CHECKS, REGIONS)
    assert {f.check_id for f in report.findings} == set(IAM_CHECKS)
    assert_errors_naming(report.findings, "iam:GetAccountAuthorizationDetails")


# --- Unused access ------------------------------------------------------------------------------

ANALYZER = UnusedAccessAnalyzer(region="us-east-1", name="unused")
FINDINGS = (
    UnusedAccessFinding(
        resource="arn:aws:iam::{account}:role/old-deploy",
        resource_type="AWS::IAM::Role",
        finding_type="UnusedIAMRole",
    ),
    UnusedAccessFinding(
        resource="arn:aws:iam::{account}:user/ci",
        resource_type="AWS::IAM::User",
        finding_type="UnusedPermission",
    ),
)


def test_no_unused_access_analyzer_is_not_applicable(sandbox):
    assert _verdicts("sec.unused-access", UNUSED_BP) == [(Status.NOT_APPLICABLE, ROOT)]


def test_analyzer_without_findings_passes(sandbox):
    sandbox.seed_section("access", AccessSection(unused_access_analyzers=(ANALYZER,)))
    assert _verdicts("sec.unused-access", UNUSED_BP) == [(Status.PASS, ROOT)]


def test_unused_access_findings_fail_per_resource(sandbox):
    analyzer = ANALYZER.model_copy(update={"findings": FINDINGS})
    sandbox.seed_section("access", AccessSection(unused_access_analyzers=(analyzer,)))
    findings = audit(["sec.unused-access"], ("us-east-1", "eu-west-1")).findings
    assert sorted((f.status, f.resource, f.region) for f in findings) == [
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:role/old-deploy", "global"),
        (Status.FAIL, f"arn:aws:iam::{ACCOUNT_ID}:user/ci", "global"),
    ]
    by_resource = {f.resource.rsplit("/", 1)[-1]: f for f in findings}
    assert by_resource["old-deploy"].evidence["finding_types"] == ["UnusedIAMRole"]
    assert "permissions it does not use" in by_resource["ci"].message


def test_archived_findings_are_not_reported(sandbox):
    from wa_audit.sandbox.extensions.accessanalyzer import add_finding

    sandbox.seed_section("access", AccessSection(unused_access_analyzers=(ANALYZER,)))
    arn = f"arn:aws:access-analyzer:us-east-1:{ACCOUNT_ID}:analyzer/unused"
    add_finding(
        sandbox.state,
        ACCOUNT_ID,
        arn,
        resource=f"arn:aws:iam::{ACCOUNT_ID}:role/kept",
        resource_type="AWS::IAM::Role",
        finding_type="UnusedIAMRole",
        status="ARCHIVED",
    )
    assert _verdicts("sec.unused-access", UNUSED_BP) == [(Status.PASS, ROOT)]


def test_denied_findings_read_is_error(sandbox, monkeypatch):
    sandbox.seed_section("access", AccessSection(unused_access_analyzers=(ANALYZER,)))
    sandbox.enforce_iam(monkeypatch, deny=["access-analyzer:ListFindingsV2"])
    assert_errors_naming(
        audit(["sec.unused-access"], REGIONS).findings, "access-analyzer:ListFindingsV2"
    )
