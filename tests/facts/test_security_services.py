"""Facts of the security services against the sandbox, including their "off" answers."""

from __future__ import annotations

from wa_audit.aws import AwsSession
from wa_audit.facts.accessanalyzer import analyzers
from wa_audit.facts.cloudtrail import trails
from wa_audit.facts.ec2 import ebs_encryption_by_default
from wa_audit.facts.guardduty import detectors
from wa_audit.facts.organizations import organization
from wa_audit.facts.s3control import public_access_block
from wa_audit.facts.securityhub import hub
from wa_audit.facts.store import FactStore

ACCOUNT = "123456789012"


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def test_no_organization(sandbox):
    found = _store().get(organization, "us-east-1")
    assert (found.in_organization, found.is_member(ACCOUNT)) == (False, False)


def test_management_account_is_not_a_member(sandbox):
    sandbox.client("organizations").create_organization(FeatureSet="ALL")
    found = _store().get(organization, "us-east-1")
    assert found.in_organization
    assert found.management_account_id == ACCOUNT
    assert found.is_member(ACCOUNT) is False


def test_trail_status_is_read_in_the_trail_home_region(sandbox):
    sandbox.client("s3", "eu-west-1").create_bucket(
        Bucket="audit-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    europe = sandbox.client("cloudtrail", "eu-west-1")
    europe.create_trail(
        Name="everywhere",
        S3BucketName="audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    europe.start_logging(Name="everywhere")
    europe.create_trail(Name="europe-only", S3BucketName="audit-logs")
    store = _store()

    [trail] = store.get(trails, "us-east-1")  # the single-region trail is not a shadow here

    assert (trail.name, trail.home_region, trail.multi_region) == ("everywhere", "eu-west-1", True)
    assert (trail.logging, trail.log_file_validation) == (True, True)
    regions = {
        region
        for (action, region) in store.session.calls.by_action_and_region()
        if action == "cloudtrail:GetTrailStatus"
    }
    assert regions == {"eu-west-1"}


def test_guardduty_detectors_and_their_status(sandbox):
    eu = sandbox.client("guardduty", "eu-west-1")
    detector_id = eu.create_detector(Enable=True)["DetectorId"]
    store = _store()
    [detector] = store.get(detectors, "eu-west-1")
    assert detector.enabled
    assert detector.arn == f"arn:aws:guardduty:eu-west-1:{ACCOUNT}:detector/{detector_id}"
    assert store.get(detectors, "us-east-1") == ()
    eu.update_detector(DetectorId=detector_id, Enable=False)
    [suspended] = _store().get(detectors, "eu-west-1")
    assert suspended.enabled is False


def test_access_analyzers_per_region(sandbox):
    sandbox.client("accessanalyzer", "eu-west-1").create_analyzer(
        analyzerName="external", type="ACCOUNT"
    )
    store = _store()
    [analyzer] = store.get(analyzers, "eu-west-1")
    assert (analyzer.active, analyzer.external_access) == (True, True)
    assert store.get(analyzers, "us-east-1") == ()


def test_security_hub_off_is_a_value_and_on_has_the_hub_arn(sandbox):
    sandbox.client("securityhub", "eu-west-1").enable_security_hub()
    store = _store()
    off = store.get(hub, "us-east-1")
    assert off.enabled is False
    assert "not subscribed" in (off.reason or "")
    on = store.get(hub, "eu-west-1")
    assert (on.enabled, on.arn) == (True, f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:hub/default")
    assert (on.v2.known, on.v2.enabled) == (True, False)
    assert "ResourceNotFoundException" in (on.v2.reason or "")


def test_the_new_security_hub_is_read_with_describe_security_hub_v2(sandbox):
    arn = sandbox.client("securityhub", "eu-west-1").enable_security_hub_v2()["HubV2Arn"]
    store = _store()
    on = store.get(hub, "eu-west-1")
    assert on.enabled is False  # Security Hub CSPM stays off
    assert (on.v2.enabled, on.v2.arn) == (True, arn)
    assert arn.startswith(f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:hubv2/")
    assert store.get(hub, "us-east-1").v2.enabled is False


def test_describe_security_hub_v2_denied_leaves_v2_unknown_with_the_action(sandbox, monkeypatch):
    sandbox.client("securityhub", "eu-west-1").enable_security_hub()
    sandbox.enforce_iam(monkeypatch, deny=["securityhub:DescribeSecurityHubV2"])
    on = _store().get(hub, "eu-west-1")
    assert (on.enabled, on.v2.known, on.v2.enabled) == (True, False, False)
    assert (on.v2.reason, on.v2.missing_permission) == (
        "access denied: grant securityhub:DescribeSecurityHubV2",
        "securityhub:DescribeSecurityHubV2",
    )


def test_describe_security_hub_v2_denied_by_an_scp_names_the_policy_not_a_grant():
    """An SCP denial worded as AWS words it (IAM User Guide, access denied error messages)."""
    from botocore.exceptions import ClientError

    from wa_audit.facts.securityhub import _unknown_v2

    policy = "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-x"
    message = (
        f"User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: "
        "securityhub:DescribeSecurityHubV2 with an explicit deny in a service control policy: "
        + policy
    )
    error = ClientError({"Error": {"Code": "AccessDeniedException", "Message": message}}, "op")
    found = _unknown_v2(error)
    assert (found.known, found.missing_permission) == (False, None)
    assert found.reason == (
        f"DescribeSecurityHubV2 explicitly denied by {policy} (AWS Organizations): no IAM grant "
        "in this account helps"
    )


def test_an_old_botocore_without_describe_security_hub_v2_leaves_v2_unknown():
    """boto3>=1.34 allows a botocore that predates the new Security Hub's API: its client has
    no such method, so nothing is sent and the answer is "unknown", never "off"."""
    from wa_audit.facts.securityhub import _describe_v2

    found = _describe_v2(object())
    assert (found.known, found.enabled) == (False, False)
    assert "has no DescribeSecurityHubV2" in (found.reason or "")


def test_account_public_access_block_absent_means_all_off(sandbox):
    block = _store().get(public_access_block, "us-east-1")
    assert block.configured is False
    assert block.off() == [
        "BlockPublicAcls",
        "IgnorePublicAcls",
        "BlockPublicPolicy",
        "RestrictPublicBuckets",
    ]


def test_account_public_access_block_partial(sandbox):
    sandbox.client("s3control").put_public_access_block(
        AccountId=ACCOUNT,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False,
        },
    )
    block = _store().get(public_access_block, "us-east-1")
    assert (block.configured, block.off()) == (True, ["RestrictPublicBuckets"])


def test_ebs_encryption_by_default_per_region(sandbox):
    sandbox.client("ec2", "eu-west-1").enable_ebs_encryption_by_default()
    store = _store()
    assert store.get(ebs_encryption_by_default, "eu-west-1") is True
    assert store.get(ebs_encryption_by_default, "us-east-1") is False


def test_an_endpoint_without_the_new_api_leaves_v2_unknown(monkeypatch):
    """An endpoint that does not serve DescribeSecurityHubV2 (no double does that): Stubber."""
    from botocore.stub import Stubber

    from wa_audit.facts.securityhub import _describe_v2

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = AwsSession().client("securityhub", "us-east-1")
    stubber = Stubber(client)
    stubber.add_client_error(
        "describe_security_hub_v2",
        service_error_code="UnknownOperationException",
        http_status_code=404,
    )
    with stubber:
        found = _describe_v2(client)
    assert (found.known, found.enabled) == (False, False)
    assert "UnknownOperationException" in (found.reason or "")
