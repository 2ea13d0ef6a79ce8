"""Facts for security-check unit tests, built the way the credential report describes people."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.helpers import ACCOUNT_ID, NOW
from wa_audit.facts.iam import AccessKeyUsage, CredentialReport, CredentialUser

ROOT_ARN = f"arn:aws:iam::{ACCOUNT_ID}:root"


def ago(days: int | None) -> datetime | None:
    return None if days is None else NOW - timedelta(days=days)


def key(slot: int = 1, age: int = 10, used: int | None = 1, active: bool = True) -> AccessKeyUsage:
    return AccessKeyUsage(slot=slot, active=active, last_rotated=ago(age), last_used=ago(used))


def user(
    name: str,
    *,
    password: bool | None = False,
    password_used: int | None = None,
    mfa: bool = False,
    keys: tuple[AccessKeyUsage, ...] = (),
) -> CredentialUser:
    arn = ROOT_ARN if name == "<root_account>" else f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"
    return CredentialUser(
        name=name,
        arn=arn,
        created=ago(1000),
        password_enabled=password,
        password_last_used=ago(password_used),
        mfa_active=mfa,
        access_keys=keys,
        signing_certificates_active=False,
    )


def report(*users: CredentialUser, root: CredentialUser | None = None) -> CredentialReport:
    return CredentialReport(
        generated=NOW, root=root or user("<root_account>", password=True), users=users
    )
