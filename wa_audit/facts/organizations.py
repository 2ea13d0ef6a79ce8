"""Organizations membership: whether the account belongs to an organization, and in which role."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless


class Organization(BaseModel):
    """The organization the account belongs to, if any."""

    model_config = ConfigDict(frozen=True)

    organization_id: str | None = None
    management_account_id: str | None = None

    @property
    def in_organization(self) -> bool:
        return self.organization_id is not None

    def is_member(self, account_id: str) -> bool:
        """In an organization, and not its management account (whose root cannot be removed)."""
        return self.in_organization and self.management_account_id != account_id


@fact(
    "organizations.organization",
    regional=False,
    permissions=["organizations:DescribeOrganization"],
)
def organization(ctx: FetchContext) -> Organization:
    """Any account of an organization may describe it; AWSOrganizationsNotInUseException = none."""
    response = response_unless(
        {"AWSOrganizationsNotInUseException"}, ctx.client("organizations").describe_organization
    )
    if response is None:
        return Organization()
    raw = response["Organization"]
    return Organization(organization_id=raw["Id"], management_account_id=raw["MasterAccountId"])


class DelegatedAdministrator(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_id: str
    service_principals: tuple[str, ...]


def _is_management(ctx: FetchContext) -> bool:
    """Only the management account may list these; elsewhere AWS denies them, which says
    nothing about the account, so the fetch is skipped rather than failed."""
    membership = ctx.get(organization)
    return membership.in_organization and not membership.is_member(ctx.account_id)


@fact(
    "organizations.delegated_administrators",
    regional=False,
    permissions=[
        "organizations:ListDelegatedAdministrators",
        "organizations:ListDelegatedServicesForAccount",
    ],
    needs=(organization,),
)
def delegated_administrators(ctx: FetchContext) -> tuple[DelegatedAdministrator, ...]:
    """Which member account administers which service for the organization (management only)."""
    if not _is_management(ctx):
        return ()
    admins = []
    for raw in ctx.paginate(
        "organizations", "list_delegated_administrators", "DelegatedAdministrators"
    ):
        services = ctx.paginate(
            "organizations",
            "list_delegated_services_for_account",
            "DelegatedServices",
            AccountId=raw["Id"],
        )
        principals = tuple(sorted(service["ServicePrincipal"] for service in services))
        admins.append(DelegatedAdministrator(account_id=raw["Id"], service_principals=principals))
    return tuple(admins)


class ServiceControlPolicy(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    aws_managed: bool
    content: str
    targets: tuple[str, ...]
    """Ids of the roots, OUs and accounts it is attached to."""


@fact(
    "organizations.service_control_policies",
    regional=False,
    permissions=[
        "organizations:ListPolicies",
        "organizations:DescribePolicy",
        "organizations:ListTargetsForPolicy",
    ],
    needs=(organization,),
)
def service_control_policies(ctx: FetchContext) -> tuple[ServiceControlPolicy, ...]:
    """Every SCP with its document and attachments (management account only)."""
    if not _is_management(ctx):
        return ()
    policies = []
    listed = ctx.paginate(
        "organizations", "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY"
    )
    client = ctx.client("organizations")
    for summary in listed:
        policy = client.describe_policy(PolicyId=summary["Id"])["Policy"]
        targets = ctx.paginate(
            "organizations", "list_targets_for_policy", "Targets", PolicyId=summary["Id"]
        )
        policies.append(
            ServiceControlPolicy(
                id=summary["Id"],
                name=summary.get("Name", summary["Id"]),
                aws_managed=bool(summary.get("AwsManaged")),
                content=policy["Content"],
                targets=tuple(target["TargetId"] for target in targets),
            )
        )
    return tuple(policies)
