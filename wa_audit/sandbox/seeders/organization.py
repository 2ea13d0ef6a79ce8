"""An AWS Organization: member accounts created through Organizations, each seeded with a
built-in scenario, and the management account's organization-wide controls.

Accounts that Organizations creates get ``OrganizationAccountAccessRole``, trusted by the
management account (moto creates it, as AWS does); an invited account (``role = false``) has no such
role, so assuming it fails as it would on AWS.
"""

from __future__ import annotations

import json

from pydantic import Field

from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder, load_scenario, seed
from wa_audit.sandbox.seeders.account import AccountSection
from wa_audit.sandbox.seeders.account_seeders import account_seeders

MEMBER_ROLE = "OrganizationAccountAccessRole"
DENY_ROOT_SCP = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyRootUser",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
        }
    ],
}


class MemberSpec(SectionModel):
    name: str = Field(min_length=1)
    scenario: str = "clean"
    """The built-in scenario (or folder) seeded into the member account."""
    alias: str | None = None
    """The member's account alias, instead of its scenario's (members share scenarios)."""
    role: bool = True
    """False: an invited account, without the role Organizations creates."""
    ou: str | None = None
    delegated_admin_for: tuple[str, ...] = ()
    """Service principals this account administers for the organization."""


class OrganizationSection(SectionModel):
    members: tuple[MemberSpec, ...] = Field(min_length=1)
    root_scp: bool = False
    organization_trail: bool = False


def _remove_member_role(env: SeedEnv) -> None:
    """Organizations created the role (as AWS does); an invited account never had it."""
    iam = env.client("iam")
    for attached in iam.list_attached_role_policies(RoleName=MEMBER_ROLE)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=MEMBER_ROLE, PolicyArn=attached["PolicyArn"])
    iam.delete_role(RoleName=MEMBER_ROLE)


def seed_organization(section: OrganizationSection, env: SeedEnv) -> None:
    orgs = env.client("organizations")
    orgs.create_organization(FeatureSet="ALL")
    root_id = orgs.list_roots()["Roots"][0]["Id"]
    units: dict[str, str] = {}
    for member in section.members:
        created = orgs.create_account(Email=f"{member.name}@example.com", AccountName=member.name)
        account_id = created["CreateAccountStatus"]["AccountId"]
        if member.ou is not None:
            if member.ou not in units:
                unit = orgs.create_organizational_unit(ParentId=root_id, Name=member.ou)
                units[member.ou] = unit["OrganizationalUnit"]["Id"]
            orgs.move_account(
                AccountId=account_id, SourceParentId=root_id, DestinationParentId=units[member.ou]
            )
        member_env = env.for_account(account_id)
        if not member.role:
            _remove_member_role(member_env)
        seeders = account_seeders()  # a member account has no organization of its own
        scenario = load_scenario(member.scenario, seeders)
        if member.alias is not None:
            scenario = scenario.with_section("account", AccountSection(alias=member.alias))
        seed(scenario, member_env, seeders)
        for principal in member.delegated_admin_for:
            orgs.enable_aws_service_access(ServicePrincipal=principal)
            orgs.register_delegated_administrator(AccountId=account_id, ServicePrincipal=principal)
    if section.root_scp:
        policy = orgs.create_policy(
            Content=json.dumps(DENY_ROOT_SCP),
            Description="Deny every action to member accounts' root users",
            Name="DenyRootUser",
            Type="SERVICE_CONTROL_POLICY",
        )
        orgs.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=root_id)
    if section.organization_trail:
        _organization_trail(env)


def _organization_trail(env: SeedEnv) -> None:
    bucket = f"org-trail-{env.account_id}"
    env.client("s3").create_bucket(Bucket=bucket)
    trails = env.client("cloudtrail")
    trails.create_trail(
        Name="organization-trail",
        S3BucketName=bucket,
        IsMultiRegionTrail=True,
        IsOrganizationTrail=True,
        EnableLogFileValidation=True,
    )
    trails.start_logging(Name="organization-trail")


SEEDER = Seeder("organization", OrganizationSection, seed_organization)
