"""A region a service control policy denies: reported once as blocked, not as "grant X" per check."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.checks.sandbox_audit import audit
from wa_audit.facts.base import fact
from wa_audit.facts.denials import ScpDenial, scp_denial
from wa_audit.facts.guardduty import detectors
from wa_audit.facts.store import FactFailure, classify_client_error
from wa_audit.models import Status
from wa_audit.region_blocks import blocked_regions

POLICY = "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"
# AWS's own examples (IAM User Guide, Access denied error messages; AWS Security Blog, "Enhanced
# access denied error messages with policy ARNs").
BEFORE = (
    "User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on "
    "resource: arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy"
)
ENHANCED = f"{BEFORE}: {POLICY}"
IMPLICIT = (
    "User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: "
    "codecommit:ListRepositories because no service control policy allows the "
    "codecommit:ListRespositories action"
)
IDENTITY_DENY = (
    "User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles "
    "because no identity-based policy allows the iam:ListRoles action"
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (BEFORE, ScpDenial(explicit=True)),
        (ENHANCED, ScpDenial(explicit=True, policy_arn=POLICY)),
        (IMPLICIT, ScpDenial(explicit=False)),
        (
            "You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/"
            "r/s is not authorized to perform: ec2:DescribeVolumes with an explicit deny in a "
            "service control policy. Encoded authorization failure message: XQ_jqde5",
            ScpDenial(explicit=True),
        ),
        (IDENTITY_DENY, None),
    ],
)
def test_scp_denials_are_recognised_by_aws_wording(message, expected):
    assert scp_denial(message) == expected


def _denied(message: str, code: str = "AccessDeniedException") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "ListDetectors")


def test_an_scp_denial_names_the_policy_and_asks_for_no_grant():
    failure = classify_client_error(_denied(ENHANCED), detectors)
    assert failure.missing_permission is None
    assert failure.scp == ScpDenial(explicit=True, policy_arn=POLICY)
    assert POLICY in failure.reason
    assert "grant" not in failure.reason.replace("no IAM grant", "")


def test_a_missing_grant_still_names_the_action():
    failure = classify_client_error(_denied(IDENTITY_DENY), detectors)
    assert (failure.missing_permission, failure.scp) == ("guardduty:ListDetectors", None)


def _regional(name: str):
    @fact(name, regional=True, permissions=["ec2:DescribeVolumes"])
    def read(ctx):
        return None

    return read


A, B, C = _regional("t.a"), _regional("t.b"), _regional("t.c")
SCP = FactFailure("denied by SCP", scp=ScpDenial(explicit=True, policy_arn=POLICY))
GRANT = FactFailure("access denied: grant x", missing_permission="x")
REGIONS = ("us-east-1", "eu-west-1")
PLAN = [(f, r) for f in (A, B, C) for r in REGIONS]


@pytest.mark.parametrize(
    ("failures", "blocked"),
    [
        # Denied in eu-west-1 only, most reads: the region is blocked.
        ({("t.a", "eu-west-1"): SCP, ("t.b", "eu-west-1"): SCP}, ["eu-west-1"]),
        # Everything denied there (nothing exempted).
        ({(n, "eu-west-1"): SCP for n in ("t.a", "t.b", "t.c")}, ["eu-west-1"]),
        # One service denied: a per-check matter, not a region.
        ({("t.a", "eu-west-1"): SCP}, []),
        # Denied everywhere: the action, not the region.
        ({(n, r): SCP for n in ("t.a", "t.b") for r in REGIONS}, []),
        # Plain missing grants are never a blocked region.
        ({(n, "eu-west-1"): GRANT for n in ("t.a", "t.b", "t.c")}, []),
    ],
)
def test_blocked_regions(failures, blocked):
    listed = [(name, region, failure) for (name, region), failure in failures.items()]
    notes = blocked_regions(PLAN, listed, REGIONS)
    assert [note.region for note in notes] == blocked
    for note in notes:
        assert note.reason.startswith(f"blocked by a service control policy: {POLICY} denied")


# End to end: the sandbox plays an organization whose SCP denies eu-west-1.
CHECKS = [
    "sec.guardduty",
    "sec.access-analyzer",
    "sec.security-hub",
    "sec.ebs-default-encryption",
    "ops.config-recorder",
    "sec.root-access-keys",
]


def test_a_region_denied_by_an_scp_is_skipped_once_with_the_policy(sandbox):
    sandbox.seed("clean")
    sandbox.state.faults.deny_regions(["eu-west-1"], POLICY)
    report = audit(CHECKS, ("us-east-1", "eu-west-1"))
    assert report.regions == ("us-east-1",)
    [note] = report.skipped_regions
    assert note.region == "eu-west-1"
    assert note.reason.startswith(f"blocked by a service control policy: {POLICY} denied ")
    assert {f.region for f in report.findings} == {"us-east-1", "global"}
    assert {f.status for f in report.findings} == {Status.PASS}
    assert report.errors == ()


def test_an_scp_on_the_only_audited_region_errors_naming_the_policy(sandbox):
    """With nothing to compare against, the denial stays per check, but asks for no grant."""
    sandbox.seed("clean")
    sandbox.state.faults.deny_regions(["eu-west-1"], POLICY)
    report = audit(["sec.guardduty", "sec.ebs-default-encryption"], ("eu-west-1",))
    assert report.skipped_regions == ()
    assert sorted((f.check_id, f.status) for f in report.findings) == [
        ("sec.ebs-default-encryption", Status.ERROR),
        ("sec.guardduty", Status.ERROR),
    ]
    for finding in report.findings:
        assert POLICY in finding.message
        assert finding.evidence["missing_permission"] is None
