"""Security checks of IAM users' credentials, all read from the one credential report."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from wa_audit.context import CheckContext
from wa_audit.facts.iam import AccessKeyUsage, CredentialUser, credential_report, password_policy
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

from .security_common import Params, days_since, plural_days

IAM_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide"


def active_keys(ctx: CheckContext) -> list[tuple[CredentialUser, AccessKeyUsage]]:
    """Every IAM user's active access key, with its user (keys have no id in the report)."""
    return [(user, key) for user in ctx.fact(credential_report).users for key in user.active_keys]


def key_evidence(user: CredentialUser, key: AccessKeyUsage) -> dict[str, object]:
    return {
        "user": user.name,
        "access_key": key.slot,
        "last_rotated": key.last_rotated.isoformat() if key.last_rotated else None,
        "last_used": key.last_used.isoformat() if key.last_used else None,
    }


@check(
    id="sec.iam-user-mfa",
    pillar=Pillar.SECURITY,
    title="IAM users who sign in to the console have MFA",
    fail_title="IAM users sign in to the console without MFA",
    severity=Severity.HIGH,
    best_practices=["SEC02-BP01"],
    remediation=(
        "Assign an MFA device to every IAM user with a console password, or move people to IAM "
        "Identity Center and delete their IAM users."
    ),
    docs_url=f"{IAM_DOCS}/id_credentials_mfa_enable.html",
    facts=[credential_report],
)
def iam_user_mfa(ctx: CheckContext) -> Iterator[Finding]:
    console_users = [u for u in ctx.fact(credential_report).users if u.password_enabled]
    if not console_users:
        yield ctx.passed(ctx.account_arn, "No IAM user has a console password.")
    for user in console_users:
        evidence = {"user": user.name, "mfa_active": user.mfa_active}
        if user.mfa_active:
            yield ctx.passed(user.arn, f"IAM user {user.name} has MFA.", evidence=evidence)
        else:
            yield ctx.failed(
                user.arn,
                f"IAM user {user.name} signs in with a password and no MFA.",
                evidence=evidence,
            )


class KeyRotationParams(Params):
    max_age_days: int = Field(default=90, ge=1, description="Active keys older than this fail.")


@check(
    id="sec.access-key-rotation",
    pillar=Pillar.SECURITY,
    title="IAM users' access keys are rotated",
    fail_title="IAM users' access keys are not rotated",
    severity=Severity.MEDIUM,
    best_practices=["SEC02-BP05"],
    remediation=(
        "Create a new access key, move its users to it, deactivate and then delete the old one; "
        "better, replace the key with a role."
    ),
    docs_url=f"{IAM_DOCS}/id-credentials-access-keys-update.html",
    facts=[credential_report],
    params=KeyRotationParams,
)
def access_key_rotation(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(KeyRotationParams)
    keys = active_keys(ctx)
    if not keys:
        yield ctx.passed(ctx.account_arn, "No IAM user has an active access key.")
    for user, key in keys:
        age = days_since(ctx.now, key.last_rotated) if key.last_rotated else 0
        evidence = {**key_evidence(user, key), "age_days": age, **params.model_dump()}
        what = f"Access key {key.slot} of IAM user {user.name} is {plural_days(age)} old"
        if age > params.max_age_days:
            yield ctx.failed(
                user.arn,
                f"{what} (rotate within {plural_days(params.max_age_days)}).",
                evidence=evidence,
            )
        else:
            yield ctx.passed(user.arn, f"{what}.", evidence=evidence)


class KeyUnusedParams(Params):
    max_unused_days: int = Field(default=90, ge=1, description="Keys unused this long fail.")
    never_used_grace_days: int = Field(
        default=7, ge=0, description="A never-used key older than this fails."
    )


@check(
    id="sec.access-key-unused",
    pillar=Pillar.SECURITY,
    title="IAM users have no unused access keys",
    fail_title="IAM users have unused access keys",
    severity=Severity.MEDIUM,
    best_practices=["SEC02-BP05", "SEC03-BP04"],
    remediation="Deactivate, then delete, access keys nobody uses.",
    docs_url=f"{IAM_DOCS}/id_credentials_access-keys.html",
    facts=[credential_report],
    params=KeyUnusedParams,
)
def access_key_unused(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(KeyUnusedParams)
    keys = active_keys(ctx)
    if not keys:
        yield ctx.passed(ctx.account_arn, "No IAM user has an active access key.")
    for user, key in keys:
        evidence = {**key_evidence(user, key), **params.model_dump()}
        what = f"Access key {key.slot} of IAM user {user.name}"
        if key.last_used is not None:
            idle = days_since(ctx.now, key.last_used)
            unused = idle >= params.max_unused_days
            message = f"{what} was last used {plural_days(idle)} ago"
            limit = params.max_unused_days
        else:
            age = days_since(ctx.now, key.last_rotated) if key.last_rotated else 0
            unused = age > params.never_used_grace_days
            message = f"{what} was never used and is {plural_days(age)} old"
            limit = params.never_used_grace_days
        if unused:
            yield ctx.failed(
                user.arn, f"{message} (limit {plural_days(limit)}).", evidence=evidence
            )
        else:
            yield ctx.passed(user.arn, f"{message}.", evidence=evidence)


@check(
    id="sec.long-term-credentials",
    pillar=Pillar.SECURITY,
    title="Workloads and people use temporary credentials",
    fail_title="Workloads or people use long-term credentials",
    severity=Severity.LOW,
    best_practices=["SEC02-BP02", "SEC02-BP04"],
    remediation=(
        "Give workloads IAM roles (instance profiles, OIDC federation for CI) and people IAM "
        "Identity Center; then delete the users' access keys."
    ),
    docs_url=f"{IAM_DOCS}/best-practices.html#bp-workloads-use-roles",
    facts=[credential_report],
)
def long_term_credentials(ctx: CheckContext) -> Iterator[Finding]:
    holders = [u for u in ctx.fact(credential_report).users if u.active_keys]
    if not holders:
        yield ctx.passed(ctx.account_arn, "No IAM user has an active access key.")
    for user in holders:
        slots = [key.slot for key in user.active_keys]
        yield ctx.warned(
            user.arn,
            f"IAM user {user.name} has {plural(len(slots), 'active access key')}: long-lived secrets "
            "that leak; a role or IAM Identity Center gives credentials that expire.",
            evidence={"user": user.name, "active_access_keys": slots},
        )


class PasswordPolicyParams(Params):
    minimum_length: int = Field(default=14, ge=6, le=128)
    reuse_prevention: int = Field(default=24, ge=1, le=24)


@check(
    id="sec.password-policy",
    pillar=Pillar.SECURITY,
    title="IAM password policy is strong",
    fail_title="IAM password policy is weak",
    severity=Severity.MEDIUM,
    best_practices=["SEC02-BP01"],
    remediation=(
        "Set an account password policy with a minimum length of 14 and reuse prevention of 24 "
        "(IAM > Account settings)."
    ),
    docs_url=f"{IAM_DOCS}/id_credentials_passwords_account-policy.html",
    facts=[password_policy],
    params=PasswordPolicyParams,
)
def password_policy_strength(ctx: CheckContext) -> Iterator[Finding]:
    params = ctx.params(PasswordPolicyParams)
    policy = ctx.fact(password_policy)
    evidence = {
        "required": params.model_dump(),
        "policy": policy.model_dump(include={"exists", "minimum_length", "reuse_prevention"}),
    }
    if not policy.exists:
        yield ctx.failed(
            ctx.account_arn,
            "The account has no password policy: IAM users' passwords need only AWS's defaults.",
            evidence=evidence,
        )
        return
    weaknesses = []
    if (policy.minimum_length or 0) < params.minimum_length:
        weaknesses.append(f"minimum length {policy.minimum_length} < {params.minimum_length}")
    if (policy.reuse_prevention or 0) < params.reuse_prevention:
        weaknesses.append(
            f"reuse prevention {policy.reuse_prevention or 'off'} < {params.reuse_prevention}"
        )
    if weaknesses:
        yield ctx.failed(
            ctx.account_arn,
            "The password policy is weak: " + "; ".join(weaknesses) + ".",
            evidence=evidence,
        )
    else:
        yield ctx.passed(ctx.account_arn, "The password policy is strong.", evidence=evidence)
