"""Checks of the security pillar."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts.iam import account_summary
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

ROOT_DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-best-practices.html"


@check(
    id="sec.root-mfa",
    pillar=Pillar.SECURITY,
    title="Root user has MFA",
    severity=Severity.CRITICAL,
    best_practices=["SEC01-BP02", "SEC02-BP01"],
    remediation="Sign in as the root user and assign an MFA device (a hardware key is best).",
    docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
    facts=[account_summary],
)
def root_mfa(ctx: CheckContext) -> Iterator[Finding]:
    summary = ctx.fact(account_summary)
    evidence = {"AccountMFAEnabled": summary.summary.get("AccountMFAEnabled", 0)}
    if summary.root_mfa_enabled:
        yield ctx.passed(ctx.account_arn, "The root user has MFA enabled.", evidence=evidence)
    else:
        yield ctx.failed(
            ctx.account_arn,
            "The root user has no MFA: anyone with its password controls the account.",
            evidence=evidence,
        )


@check(
    id="sec.root-access-keys",
    pillar=Pillar.SECURITY,
    title="Root user has no access keys",
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
