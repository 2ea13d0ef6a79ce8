"""The security services moto answers itself: their shapes, and their "off" answers, as AWS's.

AWS says "Security Hub is off" with InvalidAccessException and "not in an organization" with
AWSOrganizationsNotInUseException; GuardDuty and CloudTrail say "none" with empty lists. The facts
rely on exactly these, so they are pinned here against moto.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems


def test_off_answers_match_aws(sandbox):
    with pytest.raises(ClientError) as hub:
        sandbox.client("securityhub").describe_hub()
    assert hub.value.response["Error"]["Code"] == "InvalidAccessException"
    with pytest.raises(ClientError) as organization:
        sandbox.client("organizations").describe_organization()
    assert organization.value.response["Error"]["Code"] == "AWSOrganizationsNotInUseException"
    with pytest.raises(ClientError) as policy:
        sandbox.client("iam").get_account_password_policy()
    assert policy.value.response["Error"]["Code"] == "NoSuchEntity"
    assert sandbox.client("guardduty").list_detectors()["DetectorIds"] == []
    assert sandbox.client("cloudtrail").describe_trails()["trailList"] == []


def test_on_answers_conform_to_the_output_shapes(sandbox):
    sandbox.client("s3").create_bucket(Bucket="audit-logs")
    cloudtrail = sandbox.client("cloudtrail")
    cloudtrail.create_trail(Name="audit", S3BucketName="audit-logs", IsMultiRegionTrail=True)
    cloudtrail.start_logging(Name="audit")
    guardduty = sandbox.client("guardduty")
    detector_id = guardduty.create_detector(Enable=True)["DetectorId"]
    sandbox.client("securityhub").enable_security_hub()
    sandbox.client("organizations").create_organization(FeatureSet="ALL")
    iam = sandbox.client("iam")
    iam.update_account_password_policy(MinimumPasswordLength=14, PasswordReusePrevention=24)

    answers = {
        ("cloudtrail", "DescribeTrails"): cloudtrail.describe_trails(),
        ("cloudtrail", "GetTrailStatus"): cloudtrail.get_trail_status(Name="audit"),
        ("guardduty", "ListDetectors"): guardduty.list_detectors(),
        ("guardduty", "GetDetector"): guardduty.get_detector(DetectorId=detector_id),
        ("securityhub", "DescribeHub"): sandbox.client("securityhub").describe_hub(),
        ("organizations", "DescribeOrganization"): sandbox.client(
            "organizations"
        ).describe_organization(),
        ("iam", "GetAccountPasswordPolicy"): iam.get_account_password_policy(),
        ("iam", "GenerateCredentialReport"): iam.generate_credential_report(),
        ("ec2", "GetEbsEncryptionByDefault"): sandbox.client("ec2").get_ebs_encryption_by_default(),
    }
    found = {key: response_problems(*key, response) for key, response in answers.items()}
    assert found == {key: [] for key in answers}
