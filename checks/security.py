"""Checks of the security pillar: the root user (identities and detection live beside it)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from wa_audit.context import CheckContext
from wa_audit.facts.iam import account_summary, credential_report, virtual_mfa_devices
from wa_audit.facts.organizations import organization
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

from .security_common import Params, days_since, plural_days

ROOT_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html"
ROOT_MFA_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html"


def centrally_managed_root(ctx: CheckContext) -> str | None:
    """The organization id when this member account's root credentials were centrally removed.

    With centralized root access (Nov 2024) the management account can delete a member's root
    password, keys, certificates and MFA; new member accounts have none from the start. A member
    account cannot read the organization's setting (``iam:ListOrganizationsFeatures`` answers
    only the management account and its delegate), so this reads the result instead:
    GetAccountSummary's AccountPasswordPresent, AccountAccessKeysPresent,
    AccountSigningCertificatesPresent and AccountMFAEnabled all 0. (The credential report cannot
    say: its root ``password_enabled`` is always ``not_supported``.) Nobody can sign in as that
    root user; it has nothing to protect.
    """
    membership = ctx.fact(organization)
    if membership.is_member(ctx.account_id) and ctx.fact(account_summary).root_has_no_credentials:
        return membership.organization_id
    return None


@check(
    id="sec.root-mfa",
    pillar=Pillar.SECURITY,
    title="Root user has MFA",
    fail_title="Root user has no MFA",
    severity=Severity.CRITICAL,
    best_practices=["SEC01-BP02", "SEC02-BP01"],
    remediation="Sign in as the root user and assign an MFA device (a hardware key is best).",
    docs_url=ROOT_MFA_DOCS,
    facts=[account_summary, organization],
)
def root_mfa(ctx: CheckContext) -> Iterator[Finding]:
    summary = ctx.fact(account_summary)
    evidence: dict[str, object] = {"AccountMFAEnabled": summary.summary.get("AccountMFAEnabled", 0)}
    if summary.root_mfa_enabled:
        yield ctx.passed(ctx.account_arn, "The root user has MFA enabled.", evidence=evidence)
        return
    organization_id = centrally_managed_root(ctx)
    if organization_id is not None:
        yield ctx.not_applicable(
            ctx.account_arn,
            f"This account is a member of organization {organization_id} and its root user has "
            "no password, access key, certificate or MFA: root access is managed centrally, so "
            "there is no root sign-in to protect with MFA.",
            evidence={
                **evidence,
                "organization_id": organization_id,
                "root_credentials": summary.root_credentials(),
            },
        )
        return
    yield ctx.failed(
        ctx.account_arn,
        "The root user has no MFA: anyone with its password controls the account.",
        evidence=evidence,
    )


@check(
    id="sec.root-hardware-mfa",
    pillar=Pillar.SECURITY,
    title="Root user's MFA is a hardware device",
    fail_title="Root user's MFA is not a hardware device",
    severity=Severity.MEDIUM,
    best_practices=["SEC01-BP02", "SEC02-BP01"],
    remediation=(
        "Register a FIDO security key or hardware TOTP token for the root user, then remove the "
        "virtual (authenticator app) device."
    ),
    docs_url=ROOT_MFA_DOCS,
    facts=[account_summary, virtual_mfa_devices],
)
def root_hardware_mfa(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.fact(account_summary).root_mfa_enabled:
        yield ctx.not_applicable(
            ctx.account_arn, "The root user has no MFA device at all (see sec.root-mfa)."
        )
        return
    virtual = ctx.fact(virtual_mfa_devices).assigned_to(ctx.account_arn)
    evidence = {"root_virtual_mfa_devices": [device.serial_number for device in virtual]}
    if virtual:
        yield ctx.warned(
            ctx.account_arn,
            "The root user's MFA is a virtual device: an authenticator app can be copied or "
            "phished along with the phone's backups; a hardware key cannot.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            ctx.account_arn, "The root user's MFA is a hardware device.", evidence=evidence
        )


@check(
    id="sec.root-access-keys",
    pillar=Pillar.SECURITY,
    title="Root user has no access keys",
    fail_title="Root user has access keys",
    severity=Severity.CRITICAL,
    best_practices=["SEC01-BP02", "SEC02-BP02"],
    remediation="Delete the root user's access keys; use IAM roles or IAM Identity Center instead.",
    docs_url=ROOT_DOCS,
    facts=[account_summary],
)
def root_access_keys(ctx: CheckContext) -> Iterator[Finding]:
    summary = ctx.fact(account_summary)
    evidence = {"AccountAccessKeysPresent": summary.summary.get("AccountAccessKeysPresent", 0)}
    if summary.root_access_keys_present:
        yield ctx.failed(
            ctx.account_arn,
            "The root user has access keys: delete them, they cannot be scoped down.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(ctx.account_arn, "The root user has no access keys.", evidence=evidence)


class RootRecentUseParams(Params):
    days: int = Field(default=30, ge=1, description="Root use within this many days fails.")


def _spoken(credential: str) -> str:
    """'access key 1' reads as 'first access key' in a sentence that goes on with numbers."""
    ordinals = {"access key 1": "first access key", "access key 2": "second access key"}
    return ordinals.get(credential, credential)


@check(
    id="sec.root-recent-use",
    pillar=Pillar.SECURITY,
    title="Root user not used recently",
    fail_title="Root user was used recently",
    severity=Severity.HIGH,
    best_practices=["SEC01-BP02"],
    remediation=(
        "Stop using the root user for daily work: sign in through IAM Identity Center or an IAM "
        "role, and keep root for the few tasks only it can do."
    ),
    docs_url=ROOT_DOCS,
    facts=[credential_report],
    params=RootRecentUseParams,
)
def root_recent_use(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(RootRecentUseParams)
    root = ctx.fact(credential_report).root
    if root is None:
        yield ctx.warned(ctx.account_arn, "The credential report has no root row to judge by.")
        return
    uses = {"password": root.password_last_used} | {
        f"access key {key.slot}": key.last_used for key in root.access_keys
    }
    ages = {name: days_since(ctx.now, when) for name, when in uses.items() if when is not None}
    evidence = {"days": params.days, "days_since_use": ages}
    recent = {name: age for name, age in ages.items() if age < params.days}
    if recent:
        used = ", ".join(
            f"its {_spoken(name)} was last used {plural_days(age)} ago"
            for name, age in sorted(recent.items())
        )
        yield ctx.failed(
            ctx.account_arn,
            f"The root user was used within the last {params.days} days: {used}.",
            evidence=evidence,
        )
    else:
        last = f"last use {plural_days(min(ages.values()))} ago" if ages else "no recorded use"
        yield ctx.passed(
            ctx.account_arn,
            f"The root user was not used in the last {params.days} days ({last}).",
            evidence=evidence,
        )
