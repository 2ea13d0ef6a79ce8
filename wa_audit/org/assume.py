"""Sessions in member accounts through an assumed role, refreshed before the role's hour runs out.

A large account's audit can outlast one set of AssumeRole credentials; botocore's refreshable
credentials call AssumeRole again shortly before expiry, so a long audit never stops on
ExpiredToken.
"""

from __future__ import annotations

import re
from typing import Any

import boto3
import botocore.session
from botocore.credentials import CredentialProvider, RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError

from wa_audit.aws import AwsSession
from wa_audit.config import Config
from wa_audit.errors import CannotAuditError, UsageError
from wa_audit.session import open_session

ROLE_SESSION_NAME = "wa-audit"
DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"
"""The role AWS Organizations creates in every account it creates (not in invited accounts)."""


ROLE_ARN = re.compile(r"arn:(?P<partition>[a-z][a-z0-9-]*):iam::(?P<account>\d{12}):role/.+")


class RoleNotAssumed(CannotAuditError):
    """The account's role could not be assumed: that account is listed with the reason."""


class _Provided(CredentialProvider):
    """Hands botocore the assumed role's credentials ahead of the environment's."""

    METHOD = "wa-audit-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    return f"arn:{partition}:iam::{account_id}:role/{role_name}"


def role_account(arn: str) -> tuple[str, str]:
    """The partition and account id of an IAM role ARN; anything else is a usage error."""
    match = ROLE_ARN.fullmatch(arn)
    if match is None:
        raise UsageError(
            f"--role-arn {arn!r} is not an IAM role ARN (arn:<partition>:iam::<12 digits>:role/<name>)"
        )
    return match["partition"], match["account"]


def assumed_session(
    base: AwsSession,
    arn: str,
    *,
    external_id: str | None,
    region: str,
    config: Config,
    workers: int | None = None,
) -> AwsSession:
    """An AwsSession acting as ``arn``, tuned by ``config`` (and ``workers``) as the caller's own
    session is; raises RoleNotAssumed with AWS's reason."""
    sts = base.client("sts", region)
    params: dict[str, Any] = {"RoleArn": arn, "RoleSessionName": ROLE_SESSION_NAME}
    if external_id:
        params["ExternalId"] = external_id

    def fetch() -> dict[str, str]:
        credentials = sts.assume_role(**params)["Credentials"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": credentials["Expiration"].isoformat(),
        }

    try:
        first = fetch()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        message = error.response.get("Error", {}).get("Message", "").splitlines()[0:1]
        detail = f": {message[0]}" if message else ""
        raise RoleNotAssumed(f"cannot assume {arn} (sts:AssumeRole {code}{detail})") from error
    except BotoCoreError as error:
        raise RoleNotAssumed(f"cannot assume {arn}: {error}") from error
    core = botocore.session.Session()
    core.register_component("data_loader", base.data_loader)
    refreshing = RefreshableCredentials.create_from_metadata(
        first, refresh_using=fetch, method="sts-assume-role"
    )
    core.get_component("credential_provider").insert_before("env", _Provided(refreshing))
    assumed = boto3.Session(botocore_session=core, region_name=region)
    return open_session(None, config, workers, boto_session=assumed)
