"""Detection and response checks: trails, GuardDuty, Access Analyzer, Security Hub, contacts."""

from __future__ import annotations

import pytest

from tests.checks.security_facts import ROOT_ARN
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.aws import AwsSession
from wa_audit.checks.security_detection import (
    access_analyzer,
    cloudtrail,
    guardduty,
    security_contact,
    security_hub,
)
from wa_audit.facts.accessanalyzer import Analyzer, analyzers
from wa_audit.facts.account import AlternateContact, AlternateContacts, alternate_contacts
from wa_audit.facts.cloudtrail import Trail, trails
from wa_audit.facts.cloudtrail_selectors import ManagementEvents
from wa_audit.facts.guardduty import Detector, detectors
from wa_audit.facts.securityhub import Hub, HubV2, hub
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.security import ContactSpec, SecuritySection, TrailSpec

REGIONS = ("us-east-1", "eu-west-1")


ALL_EVENTS = ManagementEvents(selectors="classic", reads=True, writes=True)
MANAGEMENT = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail"


def _trail(
    name="audit",
    multi=True,
    logging=True,
    validation=True,
    home="us-east-1",
    events: ManagementEvents | None = ALL_EVENTS,
    global_events=True,
    arn=None,
):
    return Trail(
        name=name,
        arn=arn or f"arn:aws:cloudtrail:{home}:{ACCOUNT_ID}:trail/{name}",
        home_region=home,
        multi_region=multi,
        log_file_validation=validation,
        organization_trail=arn is not None,
        logging=logging,
        include_global_service_events=global_events,
        management_events=events,
    )


@pytest.mark.parametrize(
    ("found", "status", "resource", "message"),
    [
        ((), Status.FAIL, ROOT_ARN, "No multi-region CloudTrail trail (no trail at all)"),
        (
            (_trail("local", multi=False),),
            Status.FAIL,
            ROOT_ARN,
            "only single-region trails: local (us-east-1)",
        ),
        (
            (_trail(logging=False, validation=False),),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit is not logging and has log file validation off.",
        ),
        (
            (_trail(validation=False),),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit has log file validation off.",
        ),
        (
            (_trail(),),
            Status.PASS,
            _trail().arn,
            "is logging all management events, global service events included",
        ),
        # The best multi-region trail counts, whatever else exists.
        (
            (_trail("stopped", logging=False), _trail("local", multi=False), _trail("good")),
            Status.PASS,
            _trail("good").arn,
            "Multi-region trail good",
        ),
        # Management events: read and write, whichever kind of selectors says so.
        (
            (_trail(events=ManagementEvents(selectors="classic", reads=False, writes=True)),),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit logs only write management events.",
        ),
        (
            (_trail(events=ManagementEvents(selectors="advanced", reads=True, writes=False)),),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit logs only read management events.",
        ),
        (
            (
                _trail(
                    events=ManagementEvents(selectors="classic", reads=False, writes=False),
                    global_events=False,
                    validation=False,
                ),
            ),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit logs no management events, leaves out global service "
            "events (IAM, STS, CloudFront) and has log file validation off.",
        ),
        (
            (_trail(events=ManagementEvents(selectors="advanced", reads=True, writes=True)),),
            Status.PASS,
            _trail().arn,
            "is logging all management events",
        ),
        # Advanced selectors do not stand in for IncludeGlobalServiceEvents: a trail setting of
        # its own (botocore's Trail shape).
        (
            (
                _trail(
                    events=ManagementEvents(selectors="advanced", reads=True, writes=True),
                    global_events=False,
                ),
            ),
            Status.FAIL,
            _trail().arn,
            "Multi-region trail audit leaves out global service events (IAM, STS, CloudFront).",
        ),
        # The organization's trail, owned by the management account, counts for a member,
        # though a member cannot read its selectors.
        (
            (_trail("org-trail", events=None, arn=MANAGEMENT), _trail("local", multi=False)),
            Status.PASS,
            MANAGEMENT,
            "Organization trail org-trail (account 111111111111) is logging with log file "
            "validation; its event selectors can be read only from that account.",
        ),
    ],
)
def test_cloudtrail(found, status, resource, message):
    [finding] = run_on_facts(cloudtrail, {trails: found})
    assert (finding.status, finding.resource, finding.region) == (status, resource, "global")
    assert message in finding.message
    assert finding.best_practices == ("SEC04-BP01",)


@pytest.mark.parametrize("kind", ["classic", "advanced"])
def test_cloudtrail_judges_excluded_event_sources_alike_whichever_the_selectors(kind):
    """KMS left out by ExcludeManagementEventSources or by an advanced eventSource NotEquals:
    the same verdict, the source named in the evidence."""
    events = ManagementEvents(
        selectors=kind, reads=True, writes=True, excluded_sources=("kms.amazonaws.com",)
    )
    [finding] = run_on_facts(cloudtrail, {trails: (_trail(events=events),)})
    assert (finding.status, finding.resource, finding.message) == (
        Status.PASS,
        _trail().arn,
        "Multi-region trail audit is logging all management events, global service events "
        "included, with log file validation.",
    )
    [evidence] = finding.evidence["trails"]
    assert list(evidence["management_events"]["excluded_sources"]) == ["kms.amazonaws.com"]


def _detector(status="ENABLED", region="eu-west-1"):
    return Detector(
        id="d1", arn=f"arn:aws:guardduty:{region}:{ACCOUNT_ID}:detector/d1", status=status
    )


@pytest.mark.parametrize(
    ("found", "status", "resource"),
    [
        ((_detector(),), Status.PASS, _detector().arn),
        ((_detector("DISABLED"),), Status.FAIL, _detector().arn),
        ((), Status.FAIL, f"{ACCOUNT_ID}/eu-west-1"),
    ],
)
def test_guardduty(found, status, resource):
    [finding] = run_on_facts(guardduty, {detectors: found}, region="eu-west-1", regions=REGIONS)
    assert (finding.status, finding.resource, finding.region) == (status, resource, "eu-west-1")
    assert finding.best_practices == ("SEC04-BP03",)


def _analyzer(kind="ACCOUNT", status="ACTIVE"):
    return Analyzer(
        name="a",
        arn=f"arn:aws:access-analyzer:eu-west-1:{ACCOUNT_ID}:analyzer/a",
        type=kind,
        status=status,
    )


@pytest.mark.parametrize(
    ("found", "status", "resource", "message"),
    [
        ((_analyzer(),), Status.PASS, _analyzer().arn, "is active"),
        ((_analyzer("ORGANIZATION"),), Status.PASS, _analyzer().arn, "is active"),
        ((), Status.FAIL, f"{ACCOUNT_ID}/eu-west-1", "No IAM Access Analyzer analyzer"),
        (
            (_analyzer("ACCOUNT_UNUSED_ACCESS"),),
            Status.FAIL,
            f"{ACCOUNT_ID}/eu-west-1",
            "No external access analyzer (only ACCOUNT_UNUSED_ACCESS)",
        ),
        (
            (_analyzer(status="DISABLED"),),
            Status.FAIL,
            f"{ACCOUNT_ID}/eu-west-1",
            "No active external access analyzer",
        ),
    ],
)
def test_access_analyzer(found, status, resource, message):
    [finding] = run_on_facts(
        access_analyzer, {analyzers: found}, region="eu-west-1", regions=REGIONS
    )
    assert (finding.status, finding.resource, finding.region) == (status, resource, "eu-west-1")
    assert message in finding.message
    assert finding.best_practices == ("SEC03-BP07",)


HUB_V2_ARN = (
    f"arn:aws:securityhub:eu-west-1:{ACCOUNT_ID}:hubv2/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
)
V2_OFF = HubV2(reason="not enabled")


@pytest.mark.parametrize(
    ("found", "status", "resource"),
    [
        (
            Hub(
                enabled=True,
                arn=f"arn:aws:securityhub:eu-west-1:{ACCOUNT_ID}:hub/default",
                v2=V2_OFF,
            ),
            Status.PASS,
            f"arn:aws:securityhub:eu-west-1:{ACCOUNT_ID}:hub/default",
        ),
        # An account on the new Security Hub only: enabled.
        (
            Hub(enabled=False, reason="not subscribed", v2=HubV2(enabled=True, arn=HUB_V2_ARN)),
            Status.PASS,
            HUB_V2_ARN,
        ),
        (
            Hub(enabled=False, reason="not subscribed", v2=V2_OFF),
            Status.FAIL,
            f"{ACCOUNT_ID}/eu-west-1",
        ),
        # CSPM off and a botocore too old to ask about V2: not assessed, never a FAIL.
        (
            Hub(enabled=False, reason="not subscribed", v2=HubV2(known=False, reason="old")),
            Status.ERROR,
            f"{ACCOUNT_ID}/eu-west-1",
        ),
    ],
)
def test_security_hub(found, status, resource):
    [finding] = run_on_facts(security_hub, {hub: found}, region="eu-west-1", regions=REGIONS)
    assert (finding.status, finding.resource, finding.region) == (status, resource, "eu-west-1")
    assert finding.best_practices == ("SEC04-BP02", "SEC04-BP04")


@pytest.mark.parametrize(
    ("security", "status"),
    [
        (AlternateContact(type="SECURITY", name="Sec", email="sec@example.com"), Status.PASS),
        (None, Status.FAIL),
    ],
)
def test_security_contact(security, status):
    contacts = AlternateContacts(
        by_type={"BILLING": None, "OPERATIONS": None, "SECURITY": security}
    )
    [finding] = run_on_facts(security_contact, {alternate_contacts: contacts})
    assert (finding.status, finding.resource, finding.region) == (status, ROOT_ARN, "global")
    assert finding.best_practices == ("SEC10-BP01",)


DETECTION_CHECKS = [
    "sec.cloudtrail",
    "sec.guardduty",
    "sec.access-analyzer",
    "sec.security-hub",
    "sec.security-contact",
]


def _audit():
    return run_audit(
        AwsSession(), select(discover(), include=DETECTION_CHECKS), RunOptions(regions=REGIONS)
    )


def test_sample_detection_against_sandbox(sample_report):
    got = [
        (f.check_id, f.status, f.region)
        for f in sample_report.findings
        if f.check_id in DETECTION_CHECKS
    ]
    assert got == [
        ("sec.cloudtrail", Status.FAIL, "global"),
        ("sec.guardduty", Status.PASS, "us-east-1"),
        ("sec.guardduty", Status.FAIL, "eu-west-1"),
        ("sec.access-analyzer", Status.FAIL, "us-east-1"),
        ("sec.access-analyzer", Status.FAIL, "eu-west-1"),
        ("sec.security-hub", Status.FAIL, "us-east-1"),
        ("sec.security-hub", Status.FAIL, "eu-west-1"),
        ("sec.security-contact", Status.FAIL, "global"),
    ]


COMPLIANT = SecuritySection(
    trails=[
        TrailSpec(
            name="everywhere",
            region="eu-west-1",
            bucket="audit-logs",
            multi_region=True,
            log_file_validation=True,
        )
    ],
    guardduty_regions=list(REGIONS),
    access_analyzer_regions=list(REGIONS),
    security_hub_regions=["us-east-1"],
    security_hub_v2_regions=["eu-west-1"],  # the new Security Hub counts as enabled
    security_contact=ContactSpec(
        name="Sec", title="On call", email="sec@example.com", phone="+1-555-0100"
    ),
)


def test_compliant_detection_against_sandbox(sandbox):
    sandbox.seed(sandbox.scenario("sample").with_section("security", COMPLIANT).only("security"))
    findings = _audit().findings
    assert {f.status for f in findings} == {Status.PASS}
    assert [(f.check_id, f.resource) for f in findings] == [
        ("sec.cloudtrail", f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT_ID}:trail/everywhere"),
        ("sec.guardduty", findings[1].resource),
        ("sec.guardduty", findings[2].resource),
        (
            "sec.access-analyzer",
            f"arn:aws:access-analyzer:us-east-1:{ACCOUNT_ID}:analyzer/external-access-us-east-1",
        ),
        (
            "sec.access-analyzer",
            f"arn:aws:access-analyzer:eu-west-1:{ACCOUNT_ID}:analyzer/external-access-eu-west-1",
        ),
        ("sec.security-hub", f"arn:aws:securityhub:us-east-1:{ACCOUNT_ID}:hub/default"),
        ("sec.security-hub", findings[6].resource),
        ("sec.security-contact", ROOT_ARN),
    ]
    assert findings[6].resource.startswith(f"arn:aws:securityhub:eu-west-1:{ACCOUNT_ID}:hubv2/")
    assert findings[1].resource.startswith(f"arn:aws:guardduty:us-east-1:{ACCOUNT_ID}:detector/")
    assert findings[2].resource.startswith(f"arn:aws:guardduty:eu-west-1:{ACCOUNT_ID}:detector/")


@pytest.mark.parametrize(
    ("check_id", "action", "regions"),
    [
        ("sec.cloudtrail", "cloudtrail:DescribeTrails", {"global"}),
        ("sec.cloudtrail", "cloudtrail:GetTrailStatus", {"global"}),
        ("sec.cloudtrail", "cloudtrail:GetEventSelectors", {"global"}),
        ("sec.guardduty", "guardduty:ListDetectors", set(REGIONS)),
        ("sec.guardduty", "guardduty:GetDetector", set(REGIONS)),
        ("sec.access-analyzer", "access-analyzer:ListAnalyzers", set(REGIONS)),
        ("sec.security-hub", "securityhub:DescribeHub", set(REGIONS)),
        # Security Hub CSPM is on in us-east-1: it passes there whatever V2 says.
        ("sec.security-hub", "securityhub:DescribeSecurityHubV2", {"eu-west-1"}),
        ("sec.security-contact", "account:GetAlternateContact", {"global"}),
    ],
)
def test_denied_read_is_error_naming_the_permission(
    sandbox, monkeypatch, check_id, action, regions
):
    """A real AccessDenied from the sandbox, every detection service enabled in both regions."""
    sandbox.seed_section("security", COMPLIANT, regions=REGIONS)
    sandbox.enforce_iam(monkeypatch, deny=[action])
    findings = _audit().findings
    erred = [f for f in findings if f.status is Status.ERROR]
    assert {(f.check_id, f.region) for f in erred} == {(check_id, r) for r in regions}
    assert {f.evidence["missing_permission"] for f in erred} == {action}
    assert all(action in f.message for f in erred)
    assert {f.status for f in findings if f.check_id != check_id} == {Status.PASS}


def test_security_hub_v2_denied_leaves_v2_unknown_not_the_region(sandbox, monkeypatch):
    """Only DescribeSecurityHubV2 denied: CSPM on (us-east-1) still passes; where CSPM is off
    (eu-west-1, on the new Security Hub) the check cannot tell, and names the action."""
    sandbox.seed_section("security", COMPLIANT, regions=REGIONS)
    sandbox.enforce_iam(monkeypatch, deny=["securityhub:DescribeSecurityHubV2"])
    report = run_audit(
        AwsSession(), select(discover(), include=["sec.security-hub"]), RunOptions(regions=REGIONS)
    )
    cspm, v2 = report.findings
    denied = "access denied: grant securityhub:DescribeSecurityHubV2"
    assert (cspm.status, cspm.resource, cspm.region, cspm.message) == (
        Status.PASS,
        f"arn:aws:securityhub:us-east-1:{ACCOUNT_ID}:hub/default",
        "us-east-1",
        "Security Hub CSPM is enabled.",
    )
    assert cspm.evidence["security_hub"]["reason"] == denied
    assert (v2.status, v2.resource, v2.region, v2.message) == (
        Status.ERROR,
        f"{ACCOUNT_ID}/eu-west-1",
        "eu-west-1",
        f"Not assessed: Security Hub CSPM is off, and whether the new Security Hub is on cannot "
        f"be read ({denied}).",
    )
    assert v2.evidence["missing_permission"] == "securityhub:DescribeSecurityHubV2"
    assert v2.best_practices == ("SEC04-BP02", "SEC04-BP04")
    assert report.errors == ()  # the fact was read: only V2 is unknown
