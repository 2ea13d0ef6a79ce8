"""IAM users, roles and the password policy, created through the IAM API as an admin would.

AWS has no API to age a credential, so key ages and last use are set on the sandbox afterwards.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pydantic import Field

from wa_audit.sandbox.extensions.iam import KeyUse, backdate_access_key, set_password_last_used
from wa_audit.sandbox.scenario import SectionModel, SeedEnv, Seeder

SANDBOX_PASSWORD = "Sandbox-only-password-1!"  # noqa: S105 (a fake account's fake password)


class AccessKeySpec(SectionModel):
    age_days: int = Field(default=0, ge=0)
    last_used_days_ago: int | None = Field(default=None, ge=0)
    last_used_service: str = "s3"
    last_used_region: str = "us-east-1"
    active: bool = True


class UserSpec(SectionModel):
    name: str
    console_password: bool = False
    password_last_used_days_ago: int | None = Field(default=None, ge=0)
    mfa: bool = False
    access_keys: list[AccessKeySpec] = Field(default_factory=list, max_length=2)


class RoleSpec(SectionModel):
    name: str
    trusted_service: str | None = None
    trusted_oidc_provider: str | None = None


class PasswordPolicySpec(SectionModel):
    minimum_length: int = Field(ge=6, le=128)
    reuse_prevention: int | None = Field(default=None, ge=1, le=24)
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    max_age_days: int | None = Field(default=None, ge=1, le=1095)


class IamSection(SectionModel):
    users: list[UserSpec] = Field(default_factory=list)
    roles: list[RoleSpec] = Field(default_factory=list)
    password_policy: PasswordPolicySpec | None = None
    """None: the account never set one (IAM answers NoSuchEntity)."""


def _trust_policy(role: RoleSpec) -> str:
    if role.trusted_oidc_provider:
        principal: dict[str, str] = {"Federated": role.trusted_oidc_provider}
        action = "sts:AssumeRoleWithWebIdentity"
    else:
        principal = {"Service": role.trusted_service or "ec2.amazonaws.com"}
        action = "sts:AssumeRole"
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _seed_user(iam: Any, user: UserSpec, env: SeedEnv) -> None:
    iam.create_user(UserName=user.name)
    if user.console_password:
        iam.create_login_profile(UserName=user.name, Password=SANDBOX_PASSWORD)
        if user.password_last_used_days_ago is not None:
            when = env.now - timedelta(days=user.password_last_used_days_ago)
            set_password_last_used(env.account_id, user.name, when)
    if user.mfa:
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=user.name)
        serial = device["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(
            UserName=user.name,
            SerialNumber=serial,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    for spec in user.access_keys:
        key_id = iam.create_access_key(UserName=user.name)["AccessKey"]["AccessKeyId"]
        if not spec.active:
            iam.update_access_key(UserName=user.name, AccessKeyId=key_id, Status="Inactive")
        used = (
            KeyUse(
                at=env.now - timedelta(days=spec.last_used_days_ago),
                region=spec.last_used_region,
                service=spec.last_used_service,
            )
            if spec.last_used_days_ago is not None
            else None
        )
        backdate_access_key(env.account_id, key_id, env.now - timedelta(days=spec.age_days), used)


def _seed_password_policy(iam: Any, policy: PasswordPolicySpec) -> None:
    optional: dict[str, int] = {}
    if policy.reuse_prevention:
        optional["PasswordReusePrevention"] = policy.reuse_prevention
    if policy.max_age_days:
        optional["MaxPasswordAge"] = policy.max_age_days
    iam.update_account_password_policy(
        MinimumPasswordLength=policy.minimum_length,
        RequireSymbols=policy.require_symbols,
        RequireNumbers=policy.require_numbers,
        RequireUppercaseCharacters=policy.require_uppercase,
        RequireLowercaseCharacters=policy.require_lowercase,
        AllowUsersToChangePassword=True,
        **optional,
    )


def seed_iam(section: IamSection, env: SeedEnv) -> None:
    iam = env.client("iam")
    for user in section.users:
        _seed_user(iam, user, env)
    for role in section.roles:
        iam.create_role(RoleName=role.name, AssumeRolePolicyDocument=_trust_policy(role))
    if section.password_policy is not None:
        _seed_password_policy(iam, section.password_policy)


SEEDER = Seeder("iam", IamSection, seed_iam)
