"""IAM: moto has no root user, and its credential report differs from AWS's.

The sandbox keeps the root user's state (AWS has no API to create root MFA or root keys) and, from
it, corrects ``GetAccountSummary``, adds the root's virtual MFA device to
``ListVirtualMFADevices``, and writes the credential report as AWS does: a ``<root_account>`` row
first, and AWS's markers (``N/A``, ``no_information``) where moto writes others.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="iam", signing_name="iam")
_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
_PARTITION = "aws"  # the sandbox serves the commercial partition only

REPORT_COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
]


@dataclass
class KeyUse:
    """When, where and for what an access key last signed a request."""

    at: datetime
    region: str = "us-east-1"
    service: str = "iam"


@dataclass
class RootAccessKey:
    created: datetime
    last_used: KeyUse | None = None
    active: bool = True


@dataclass
class RootUser:
    """The root user as the account has it; moto has no root user at all."""

    created: datetime = datetime(2019, 3, 1, 9, 30, tzinfo=UTC)
    password: bool = True
    """False for an Organizations member whose root credentials were centrally removed."""
    password_last_used: datetime | None = None
    mfa: str | None = None  # None, "virtual" or "hardware"
    mfa_enabled: datetime | None = None
    access_keys: list[RootAccessKey] = field(default_factory=list)


@dataclass
class ReportState:
    generated: datetime | None = None


def root_user(state: SandboxState, account_id: str) -> RootUser:
    return state.area(account_id, "iam.root", RootUser)


def moto_iam(account_id: str) -> Any:
    """moto's in-process IAM backend of an account (the sandbox server runs in this process)."""
    from moto.iam.models import iam_backends

    return iam_backends[account_id][_PARTITION]


def backdate_access_key(
    account_id: str, access_key_id: str, created: datetime, last_used: KeyUse | None
) -> None:
    """Give a key a past: moto creates keys "now" and only records use by requests it serves.

    Set on moto's own key, so every API that shows it (ListAccessKeys, GetAccessKeyLastUsed, the
    credential report) agrees, as AWS's would.
    """
    from moto.iam.models import AccessKeyLastUsed

    key = moto_iam(account_id).access_keys[access_key_id]
    key.create_date = created
    key.last_used = (
        AccessKeyLastUsed(
            timestamp=last_used.at, service=last_used.service, region=last_used.region
        )
        if last_used
        else None
    )


def set_password_last_used(account_id: str, user_name: str, when: datetime | None) -> None:
    """moto records no console sign-ins; AWS keeps the last one."""
    moto_iam(account_id).get_user(user_name).password_last_used = when


# --- XML helpers -------------------------------------------------------------------------------


def _tag(name: str) -> str:
    return f"{{{_NS}}}{name}"


def _rewrite(response: Response, edit: Callable[[ElementTree.Element], None]) -> Response:
    """Edit moto's XML answer in place (errors pass through untouched)."""
    if response.status_code != 200:
        return response
    document = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    edit(document)
    ElementTree.register_namespace("", _NS)
    response.set_data(ElementTree.tostring(document, xml_declaration=True, encoding="utf-8"))
    return response


def _child(parent: ElementTree.Element, name: str, text: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, _tag(name))
    element.text = text
    return element


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Account summary ---------------------------------------------------------------------------


@handlers.operation("GetAccountSummary")
def get_account_summary(request: AwsRequest, state: SandboxState) -> Response:
    """The root flags from the sandbox's root user; moto lacks ``AccountPasswordPresent``."""
    root = root_user(state, request.account_id)
    corrected = {
        "AccountMFAEnabled": "1" if root.mfa else "0",
        "AccountAccessKeysPresent": "1" if root.access_keys else "0",
        "AccountPasswordPresent": "1" if root.password else "0",
        "AccountSigningCertificatesPresent": "0",  # the sandbox's root has no certificates
    }

    def edit(document: ElementTree.Element) -> None:
        summary = next(document.iter(_tag("SummaryMap")))
        missing = dict(corrected)
        for entry in summary.iter(_tag("entry")):
            key = entry.find(_tag("key"))
            value = entry.find(_tag("value"))
            if key is not None and value is not None and key.text in corrected:
                value.text = missing.pop(key.text)
        for name, flag in missing.items():
            entry = _child(summary, "entry")
            _child(entry, "key", name)
            _child(entry, "value", flag)

    return _rewrite(request.forward(), edit)


# --- Virtual MFA devices -----------------------------------------------------------------------


def root_mfa_serial(account_id: str) -> str:
    return f"arn:{_PARTITION}:iam::{account_id}:mfa/root-account-mfa-device"


@handlers.operation("ListVirtualMFADevices")
def list_virtual_mfa_devices(request: AwsRequest, state: SandboxState) -> Response:
    """Add the root's virtual device (to the last page), and drop the seeds moto leaks.

    AWS returns a device's seed and QR code only once, from CreateVirtualMFADevice.
    """
    root = root_user(state, request.account_id)
    wanted = request.form().get("AssignmentStatus", "Any")

    def edit(document: ElementTree.Element) -> None:
        listing = next(document.iter(_tag("VirtualMFADevices")))
        for member in listing:
            for secret in ("Base32StringSeed", "QRCodePNG"):
                for found in member.findall(_tag(secret)):
                    member.remove(found)
        truncated = next(document.iter(_tag("IsTruncated")), None)
        last_page = truncated is None or truncated.text != "true"
        if root.mfa == "virtual" and wanted in ("Any", "Assigned") and last_page:
            member = _child(listing, "member")
            _child(member, "SerialNumber", root_mfa_serial(request.account_id))
            user = _child(member, "User")
            _child(user, "UserId", request.account_id)
            _child(user, "Arn", f"arn:{_PARTITION}:iam::{request.account_id}:root")
            _child(user, "CreateDate", _iso(root.created))
            _child(member, "EnableDate", _iso(root.mfa_enabled or root.created))

    return _rewrite(request.forward(), edit)


# --- Credential report -------------------------------------------------------------------------


def _report_date(when: datetime | None, absent: str = "N/A") -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00") if when else absent


def _flag(value: bool) -> str:
    return "true" if value else "false"


NO_KEY = ["false", "N/A", "N/A", "N/A", "N/A"]
NO_CERTIFICATE = ["false", "N/A"]


def _key_columns(active: bool, created: datetime, used: KeyUse | None) -> list[str]:
    return [
        _flag(active),
        _report_date(created),
        _report_date(used.at if used else None),
        used.region if used else "N/A",
        used.service if used else "N/A",
    ]


def _two_slots(filled: list[list[str]], empty: list[str]) -> list[str]:
    """The columns of slots 1 and 2: AWS reports two keys (or certificates) per user."""
    slots = [*filled[:2], empty, empty]
    return [column for slot in slots[:2] for column in slot]


def _root_row(account_id: str, root: RootUser) -> list[str]:
    keys = [_key_columns(k.active, k.created, k.last_used) for k in root.access_keys]
    return [
        "<root_account>",
        f"arn:{_PARTITION}:iam::{account_id}:root",
        _report_date(root.created),
        "not_supported",  # AWS never says whether root has a password (GetAccountSummary does)
        _report_date(root.password_last_used, "no_information" if root.password else "N/A"),
        "not_supported",
        "not_supported",
        _flag(root.mfa is not None),
        *_two_slots(keys, NO_KEY),
        *_two_slots([], NO_CERTIFICATE),
    ]


def _moto_key_use(key: Any) -> KeyUse | None:
    used = key.last_used
    if used is None:
        return None
    if isinstance(used, datetime):
        return KeyUse(at=used)
    return KeyUse(at=used.timestamp, region=used.region, service=used.service)


def _user_row(user: Any, max_password_age: int | None) -> list[str]:
    has_password = bool(user.password)
    changed = user.create_date if has_password else None  # moto keeps no change date
    next_rotation = (
        _report_date(changed + timedelta(days=max_password_age))
        if changed and max_password_age
        else "N/A"
    )
    keys = [
        _key_columns(key.status == "Active", key.create_date, _moto_key_use(key))
        for key in user.access_keys
    ]
    certificates = [
        [_flag(certificate.status == "Active"), _report_date(certificate.upload_date)]
        for certificate in user.signing_certificates.values()
    ]
    return [
        user.name,
        user.arn,
        _report_date(user.create_date),
        _flag(has_password),
        _report_date(user.password_last_used, "no_information" if has_password else "N/A"),
        _report_date(changed),
        next_rotation,
        _flag(bool(user.mfa_devices)),
        *_two_slots(keys, NO_KEY),
        *_two_slots(certificates, NO_CERTIFICATE),
    ]


def credential_report_csv(account_id: str, root: RootUser) -> str:
    backend = moto_iam(account_id)
    policy = backend.account_password_policy
    max_age = policy.max_password_age if policy else None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerow(_root_row(account_id, root))
    for user in backend.users.values():
        writer.writerow(_user_row(user, max_age))
    return out.getvalue()


def _report(state: SandboxState, account_id: str) -> ReportState:
    return state.area(account_id, "iam.credential_report", ReportState)


@handlers.operation("GenerateCredentialReport")
def generate_credential_report(request: AwsRequest, state: SandboxState) -> Response:
    """moto answers STARTED for a new report and COMPLETE afterwards, as AWS does."""
    report = _report(state, request.account_id)

    def remember(document: ElementTree.Element) -> None:
        if report.generated is None:
            report.generated = datetime.now(UTC)

    return _rewrite(request.forward(), remember)


@handlers.operation("GetCredentialReport")
def get_credential_report(request: AwsRequest, state: SandboxState) -> Response:
    """moto's envelope and errors (ReportNotPresent), with AWS's rows and generation time."""
    content = credential_report_csv(request.account_id, root_user(state, request.account_id))
    generated = _report(state, request.account_id).generated or datetime.now(UTC)

    def edit(document: ElementTree.Element) -> None:
        for element in document.iter(_tag("Content")):
            element.text = base64.b64encode(content.encode()).decode()
        for element in document.iter(_tag("GeneratedTime")):
            element.text = _iso(generated)

    return _rewrite(request.forward(), edit)
