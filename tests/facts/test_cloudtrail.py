"""CloudTrail trails: status and management-event selectors, read where each trail lives."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

from tests.helpers import IDENTITY
from wa_audit.aws import AwsSession
from wa_audit.facts.cloudtrail import trails
from wa_audit.facts.cloudtrail_selectors import ManagementEvents, management_events
from wa_audit.facts.store import FactStore, FactUnavailable

ACCOUNT = "123456789012"


def _classic(kind="All", management=True, **extra):
    return {"ReadWriteType": kind, "IncludeManagementEvents": management, **extra}


def _advanced(*fields):
    return {"Name": "s", "FieldSelectors": [{"Field": f, **op} for f, op in fields]}


MANAGEMENT = ("eventCategory", {"Equals": ["Management"]})


@pytest.mark.parametrize(
    ("response", "reads", "writes"),
    [
        ({"EventSelectors": [_classic()]}, True, True),
        ({"EventSelectors": [_classic("WriteOnly")]}, False, True),
        ({"EventSelectors": [_classic("ReadOnly")]}, True, False),
        # Two selectors, one each way, log everything.
        ({"EventSelectors": [_classic("ReadOnly"), _classic("WriteOnly")]}, True, True),
        ({"EventSelectors": [_classic(management=False)]}, False, False),
        ({"EventSelectors": []}, False, False),
        ({"AdvancedEventSelectors": [_advanced(MANAGEMENT)]}, True, True),
        (
            {"AdvancedEventSelectors": [_advanced(MANAGEMENT, ("readOnly", {"Equals": ["true"]}))]},
            True,
            False,
        ),
        # AWS takes only Equals on readOnly (botocore's AdvancedFieldSelector).
        (
            {
                "AdvancedEventSelectors": [
                    _advanced(MANAGEMENT, ("readOnly", {"Equals": ["false"]}))
                ]
            },
            False,
            True,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    _advanced(MANAGEMENT, ("readOnly", {"Equals": ["true"]})),
                    _advanced(MANAGEMENT, ("readOnly", {"Equals": ["false"]})),
                ]
            },
            True,
            True,
        ),
        (
            {
                "AdvancedEventSelectors": [
                    _advanced(
                        ("eventCategory", {"Equals": ["Data"]}),
                        ("resources.type", {"Equals": ["AWS::S3::Object"]}),
                    )
                ]
            },
            False,
            False,
        ),
    ],
)
def test_management_events_from_selectors(response, reads, writes):
    found = management_events({"TrailARN": "arn", **response})
    assert (found.reads, found.writes) == (reads, writes)
    assert found.selectors == ("advanced" if "AdvancedEventSelectors" in response else "classic")


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (
            {"EventSelectors": [_classic(ExcludeManagementEventSources=["kms.amazonaws.com"])]},
            "classic",
        ),
        (
            {
                "AdvancedEventSelectors": [
                    _advanced(MANAGEMENT, ("eventSource", {"NotEquals": ["kms.amazonaws.com"]}))
                ]
            },
            "advanced",
        ),
    ],
)
def test_excluded_event_sources_are_kept_for_the_evidence_whichever_the_selectors(response, kind):
    found = management_events(response)
    assert found == ManagementEvents(
        selectors=kind, reads=True, writes=True, excluded_sources=("kms.amazonaws.com",)
    )


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


def _bucket(sandbox, region="eu-west-1"):
    sandbox.client("s3", region).create_bucket(
        Bucket="audit-logs", CreateBucketConfiguration={"LocationConstraint": region}
    )


def test_a_new_trail_logs_all_management_events_as_on_aws(sandbox):
    _bucket(sandbox)
    europe = sandbox.client("cloudtrail", "eu-west-1")
    europe.create_trail(Name="everywhere", S3BucketName="audit-logs", IsMultiRegionTrail=True)
    store = _store()
    [trail] = store.get(trails, "us-east-1")
    assert trail.management_events == ManagementEvents(selectors="classic", reads=True, writes=True)
    assert trail.include_global_service_events is True
    # Read in the trail's home region, with its ARN.
    calls = store.session.calls.by_action_and_region()
    assert {r for (a, r) in calls if a == "cloudtrail:GetEventSelectors"} == {"eu-west-1"}


def test_advanced_selectors_narrowed_to_writes(sandbox):
    _bucket(sandbox)
    europe = sandbox.client("cloudtrail", "eu-west-1")
    europe.create_trail(Name="everywhere", S3BucketName="audit-logs", IsMultiRegionTrail=True)
    europe.put_event_selectors(
        TrailName="everywhere",
        AdvancedEventSelectors=[
            {
                "Name": "writes",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Management"]},
                    {"Field": "readOnly", "Equals": ["false"]},
                    {"Field": "eventSource", "NotEquals": ["rdsdata.amazonaws.com"]},
                ],
            }
        ],
    )
    [trail] = _store().get(trails, "us-east-1")
    assert trail.management_events == ManagementEvents(
        selectors="advanced",
        reads=False,
        writes=True,
        excluded_sources=("rdsdata.amazonaws.com",),
    )


ORG_TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail"


# GetEventSelectors' errors in botocore's cloudtrail model that a member may get for its
# management account's trail, and an access denial.
REFUSALS = {
    "AccessDeniedException": "User: arn:aws:iam::123456789012:user/auditor is not authorized",
    "TrailNotFoundException": "Unknown trail: org-trail for the user: 123456789012",
    "CloudTrailARNInvalidException": (
        f"AccountID in ARN is wrong, you can only access resources with AccountID {ACCOUNT}."
    ),
    "UnsupportedOperationException": "The requested operation is not supported.",
    "OperationNotPermittedException": "The requested operation is not permitted.",
}


def _org_trail_session(monkeypatch, code: str, organization: bool = True):
    """No double shows a member its management account's trail, so Stubber plays AWS: the
    shadow trail is listed, its status answers by ARN, its selectors are refused with ``code``.
    IncludeGlobalServiceEvents is left out (optional in the model) to pin its reading."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    session = AwsSession()
    stubber = Stubber(session.client("cloudtrail", "us-east-1"))
    trail = {
        "Name": "org-trail",
        "TrailARN": ORG_TRAIL,
        "HomeRegion": "us-east-1",
        "IsMultiRegionTrail": True,
        "IsOrganizationTrail": organization,
        "LogFileValidationEnabled": True,
    }
    stubber.add_response("describe_trails", {"trailList": [trail]}, {"includeShadowTrails": True})
    stubber.add_response("get_trail_status", {"IsLogging": True}, {"Name": ORG_TRAIL})
    stubber.add_client_error(
        "get_event_selectors",
        service_error_code=code,
        service_message=REFUSALS[code],
        http_status_code=403 if code == "AccessDeniedException" else 400,
        expected_params={"TrailName": ORG_TRAIL},
    )
    return session, stubber


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_a_member_sees_its_organization_trail_without_its_selectors(monkeypatch, code):
    session, stubber = _org_trail_session(monkeypatch, code)
    with stubber:
        [trail] = FactStore(session, IDENTITY).get(trails, "us-east-1")
    stubber.assert_no_pending_responses()
    assert (trail.organization_trail, trail.owner_account, trail.logging) == (
        True,
        "111111111111",
        True,
    )
    assert trail.management_events is None
    assert trail.selectors_unread == (
        f"GetEventSelectors answered {code}: the trail is another account's"
    )
    # AWS refuses a multi-region trail without global service events: absent means true.
    assert trail.include_global_service_events is True


def test_a_refused_trail_that_is_no_organization_trail_fails_the_fact(monkeypatch):
    """Only another account's organization trail is excused; anything else refused is a fact
    that could not be read."""
    session, stubber = _org_trail_session(monkeypatch, "AccessDeniedException", organization=False)
    with stubber, pytest.raises(FactUnavailable) as unavailable:
        FactStore(session, IDENTITY).get(trails, "us-east-1")
    failure = unavailable.value.failure
    assert (failure.reason, failure.missing_permission) == (
        "access denied: grant cloudtrail:GetEventSelectors",
        "cloudtrail:GetEventSelectors",
    )


def test_get_event_selectors_answers_aws_default_in_its_shape(sandbox):
    from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

    _bucket(sandbox)
    europe = sandbox.client("cloudtrail", "eu-west-1")
    arn = europe.create_trail(Name="everywhere", S3BucketName="audit-logs")["TrailARN"]
    with capture_wire(europe) as bodies:
        answer = europe.get_event_selectors(TrailName=arn)
    assert response_problems("cloudtrail", "GetEventSelectors", answer) == []
    assert wire_problems("cloudtrail", "GetEventSelectors", bodies["GetEventSelectors"]) == []
    assert answer["EventSelectors"] == [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }
    ]
