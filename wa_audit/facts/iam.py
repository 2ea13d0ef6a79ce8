"""IAM facts: account-wide, answered in the partition's home region."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless

ROOT_ROW = "<root_account>"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


ROOT_CREDENTIAL_KEYS = (
    "AccountPasswordPresent",
    "AccountAccessKeysPresent",
    "AccountSigningCertificatesPresent",
    "AccountMFAEnabled",
)
"""The SummaryMap keys (IAM API reference, GetAccountSummary) that describe the root user's
credentials: 1 when it has a password, access keys, signing certificates or MFA, else 0."""
ROOT_FLAGS = ("AccountMFAEnabled", "AccountAccessKeysPresent")


class AccountSummary(_Model):
    """``GetAccountSummary``'s map: the only API view of the root user's credentials."""

    summary: dict[str, int]

    @property
    def root_mfa_enabled(self) -> bool:
        return self.summary.get("AccountMFAEnabled", 0) == 1

    @property
    def root_access_keys_present(self) -> bool:
        return self.summary.get("AccountAccessKeysPresent", 0) > 0

    def root_credentials(self) -> dict[str, int | None]:
        """The root credential flags as AWS gave them (None where a key is absent)."""
        return {key: self.summary.get(key) for key in ROOT_CREDENTIAL_KEYS}

    @property
    def root_has_no_credentials(self) -> bool:
        """No root password, access key, signing certificate or MFA: nobody can sign in as root.

        Only all four keys present and 0 prove it: an absent key proves nothing. (The credential
        report cannot tell: its root ``password_enabled`` is always ``not_supported``.)
        """
        return all(value == 0 for value in self.root_credentials().values())


@fact("iam.account_summary", regional=False, permissions=["iam:GetAccountSummary"])
def account_summary(ctx: FetchContext) -> AccountSummary:
    """A map without the root flags is a broken answer (AWS always sends them), not "no MFA"."""
    summary = ctx.client("iam").get_account_summary()["SummaryMap"]
    for flag in ROOT_FLAGS:
        if flag not in summary:
            raise KeyError(flag)
    return AccountSummary(summary=summary)


# --- Credential report -------------------------------------------------------------------------


def _report_date(value: Any) -> Any:
    """A date column: an ISO 8601 time, or a marker (N/A, no_information, not_supported) = none."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value


def _report_flag(value: Any) -> Any:
    """A true/false column; ``not_supported`` (AWS's word for "cannot say") becomes None."""
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.lower())
    return value


ReportDate = Annotated[datetime | None, BeforeValidator(_report_date)]
ReportFlag = Annotated[bool | None, BeforeValidator(_report_flag)]


class AccessKeyUsage(_Model):
    """One of a user's two access-key slots, as the report describes it (it has no key ids)."""

    slot: int
    active: bool
    last_rotated: ReportDate
    """When the key was created or last rotated."""
    last_used: ReportDate
    last_used_region: str | None = None
    last_used_service: str | None = None


class CredentialUser(_Model):
    """One row of the credential report: an IAM user, or the root user (``<root_account>``)."""

    name: str
    arn: str
    created: ReportDate
    password_enabled: ReportFlag
    """None when the report says ``not_supported``: always so for the root user (use
    ``AccountSummary`` for the root password)."""
    password_last_used: ReportDate
    mfa_active: bool
    access_keys: tuple[AccessKeyUsage, ...]
    """The key slots in use, active or not."""
    signing_certificates_active: bool

    @property
    def is_root(self) -> bool:
        return self.name == ROOT_ROW

    @property
    def active_keys(self) -> tuple[AccessKeyUsage, ...]:
        return tuple(key for key in self.access_keys if key.active)


class CredentialReport(_Model):
    generated: datetime | None
    root: CredentialUser | None
    users: tuple[CredentialUser, ...]
    """The IAM users, in the report's order (the root row is kept apart)."""


def _text(value: str | None) -> str | None:
    """Region and service columns say N/A when the key was never used."""
    return value if value and value not in ("N/A", "not_supported", "no_information") else None


def _key_slot(row: Mapping[str, str | None], slot: int) -> dict[str, Any] | None:
    prefix = f"access_key_{slot}_"
    active = _report_flag(row.get(prefix + "active"))
    rotated = _report_date(row.get(prefix + "last_rotated"))
    if not active and rotated is None:
        return None  # the slot is empty
    return {
        "slot": slot,
        "active": active,
        "last_rotated": rotated,
        "last_used": row.get(prefix + "last_used_date"),
        "last_used_region": _text(row.get(prefix + "last_used_region")),
        "last_used_service": _text(row.get(prefix + "last_used_service")),
    }


def credential_user(row: Mapping[str, str | None]) -> CredentialUser:
    """A report row (CSV columns by name) as a model; a missing column fails validation."""
    certificates = [_report_flag(row.get(f"cert_{slot}_active")) for slot in (1, 2)]
    return CredentialUser.model_validate(
        {
            "name": row.get("user"),
            "arn": row.get("arn"),
            "created": row.get("user_creation_time"),
            "password_enabled": row.get("password_enabled"),
            "password_last_used": row.get("password_last_used"),
            "mfa_active": row.get("mfa_active"),
            "access_keys": [key for slot in (1, 2) if (key := _key_slot(row, slot))],
            "signing_certificates_active": any(certificates),
        }
    )


def parse_credential_report(content: bytes, generated: datetime | None) -> CredentialReport:
    rows = [credential_user(row) for row in csv.DictReader(io.StringIO(content.decode("utf-8")))]
    root = next((row for row in rows if row.is_root), None)
    return CredentialReport(
        generated=generated, root=root, users=tuple(row for row in rows if not row.is_root)
    )


class Backoff:
    """Waits between polls: ``first`` seconds, doubling up to ``longest``, for ``deadline`` total."""

    def __init__(self, first: float, longest: float, deadline: float) -> None:
        self.first = first
        self.longest = longest
        self.deadline = deadline

    def delays(self) -> list[float]:
        delays: list[float] = []
        delay, total = self.first, 0.0
        while total + delay <= self.deadline:
            delays.append(delay)
            total += delay
            delay = min(delay * 2, self.longest)
        return delays


# AWS usually builds the report in seconds; after two minutes GetCredentialReport is asked anyway,
# and its own error (ReportInProgress) becomes the reason the fact is unavailable.
CREDENTIAL_REPORT_POLL = Backoff(first=0.25, longest=8.0, deadline=120.0)


@fact(
    "iam.credential_report",
    regional=False,
    permissions=["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
)
def credential_report(ctx: FetchContext) -> CredentialReport:
    """Every IAM user's and the root user's credentials in one CSV: one report serves all checks.

    AWS reuses a report for four hours, so GenerateCredentialReport answers COMPLETE at once when
    one is fresh; otherwise it is polled with exponential backoff until it is.
    """
    iam = ctx.client("iam")
    waits = iter(CREDENTIAL_REPORT_POLL.delays())
    while iam.generate_credential_report()["State"] != "COMPLETE":
        delay = next(waits, None)
        if delay is None:
            break
        time.sleep(delay)
    response = iam.get_credential_report()
    return parse_credential_report(response["Content"], response.get("GeneratedTime"))


# --- Password policy ---------------------------------------------------------------------------


class PasswordPolicy(_Model):
    """The account's password policy for IAM users; ``exists`` is False when none is set."""

    exists: bool
    minimum_length: int | None = None
    reuse_prevention: int | None = None
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase: bool = False
    require_lowercase: bool = False
    max_age_days: int | None = None


@fact("iam.password_policy", regional=False, permissions=["iam:GetAccountPasswordPolicy"])
def password_policy(ctx: FetchContext) -> PasswordPolicy:
    """AWS answers NoSuchEntity when the account has never set a policy (its defaults apply)."""
    response = response_unless({"NoSuchEntity"}, ctx.client("iam").get_account_password_policy)
    if response is None:
        return PasswordPolicy(exists=False)
    raw = response["PasswordPolicy"]
    return PasswordPolicy(
        exists=True,
        minimum_length=raw.get("MinimumPasswordLength"),
        reuse_prevention=raw.get("PasswordReusePrevention"),
        require_symbols=raw.get("RequireSymbols", False),
        require_numbers=raw.get("RequireNumbers", False),
        require_uppercase=raw.get("RequireUppercaseCharacters", False),
        require_lowercase=raw.get("RequireLowercaseCharacters", False),
        max_age_days=raw.get("MaxPasswordAge"),
    )


# --- Virtual MFA devices -----------------------------------------------------------------------


class VirtualMfaDevice(_Model):
    serial_number: str
    user_arn: str | None


class VirtualMfaDevices(_Model):
    devices: tuple[VirtualMfaDevice, ...]

    def assigned_to(self, principal_arn: str) -> tuple[VirtualMfaDevice, ...]:
        """The devices of one principal; the root user's ``User.Arn`` ends in ``:root``."""
        return tuple(d for d in self.devices if d.user_arn == principal_arn)


@fact("iam.virtual_mfa_devices", regional=False, permissions=["iam:ListVirtualMFADevices"])
def virtual_mfa_devices(ctx: FetchContext) -> VirtualMfaDevices:
    """Assigned virtual devices: the only API that tells a root virtual MFA from a hardware one."""
    return VirtualMfaDevices(
        devices=tuple(
            VirtualMfaDevice(
                serial_number=raw["SerialNumber"], user_arn=raw.get("User", {}).get("Arn")
            )
            for raw in ctx.paginate(
                "iam", "list_virtual_mfa_devices", "VirtualMFADevices", AssignmentStatus="Assigned"
            )
        )
    )


@fact("iam.account_aliases", regional=False, permissions=["iam:ListAccountAliases"])
def account_aliases(ctx: FetchContext) -> tuple[str, ...]:
    """The account's alias (AWS allows one): what people call the account in the report header."""
    return tuple(ctx.paginate("iam", "list_account_aliases", "AccountAliases"))
