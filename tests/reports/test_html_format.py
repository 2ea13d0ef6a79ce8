"""The HTML renderer without a browser: escaping, the CSP hashes, the data embedded once."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from tests.reports.report_factory import (
    GONE_VOLUME,
    HOSTILE_ALARM,
    HOSTILE_BUDGET,
    SPECS,
    many_findings,
    sample_report,
    triaged_report,
)
from wa_audit.formats import available_formats
from wa_audit.models import Pillar, QuotaUsage, Report, Severity, SpendSummary, Status
from wa_audit.reports.html_data import findings_data
from wa_audit.reports.html_format import FORMAT, content_security_policy
from wa_audit.reports.html_view import build_view

TEN_THOUSAND_FINDINGS_BUDGET = 5 * 1024 * 1024  # "a few MB"


class PageParser(HTMLParser):
    """Collects what the tests look at: tags by name, script and style bodies, the CSP."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            body = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], body))
            else:
                self.styles.append(body)
            self._open = None

    @property
    def csp(self) -> str:
        [content] = [
            attrs["content"]
            for tag, attrs in self.tags
            if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert content is not None
        return content


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def html(report) -> str:
    return FORMAT.render(report)


def test_registered_as_a_format_through_its_entry_point():
    assert available_formats()["html"] is FORMAT
    assert (FORMAT.name, FORMAT.suffix) == ("html", "html")


def test_csp_allows_only_the_pages_own_script_and_style_by_hash(html):
    page = parse(html)
    [(_, script)] = [(attrs, body) for attrs, body in page.scripts if "type" not in attrs]
    [style] = page.styles
    directives = dict(d.strip().split(" ", 1) for d in page.csp.split(";"))
    assert directives == {
        "default-src": "'none'",
        "script-src": sha256_source(script),
        "style-src": sha256_source(style),
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    assert page.csp == content_security_policy(script, style)


def test_csp_comes_before_any_script_or_style(html):
    head = html[: html.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<style>")


def test_findings_are_embedded_once_as_json(html, report):
    page = parse(html)
    data_blocks = [body for attrs, body in page.scripts if attrs.get("type") == "application/json"]
    assert len(data_blocks) == 1
    assert json.loads(data_blocks[0]) == json.loads(json.dumps(findings_data(report)))
    assert len(json.loads(data_blocks[0])["findings"]) == 19
    # Evidence is shown only by the script, so it occurs exactly once in the file.
    assert html.count('"last_snapshot_days":40') == 1
    assert html.count('"public_ip":"203.0.113.10"') == 1


def test_embedded_json_cannot_close_its_script_element(html):
    [data] = [body for attrs, body in parse(html).scripts if attrs.get("type")]
    assert "</" not in data
    assert "<" not in data
    assert "\\u003cscript\\u003ealert(2)\\u003c/script\\u003e" in data
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in data


def test_account_text_is_escaped_everywhere(html):
    assert HOSTILE_ALARM not in html
    assert HOSTILE_BUDGET not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    page = parse(html)
    assert [tag for tag, _ in page.tags if tag == "img"] == []
    assert len(page.scripts) == 2
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_alias_is_shown_and_escaped_when_the_report_carries_one():
    report = sample_report().model_copy(update={"account_alias": "<b>prod</b>"})
    html = FORMAT.render(report)
    assert '<span class="alias">&lt;b&gt;prod&lt;/b&gt;</span>' in html
    assert 'class="alias"' not in FORMAT.render(sample_report())


def test_non_web_docs_links_do_not_become_links():
    spec = SPECS["sec.root-mfa"].model_copy(update={"docs_url": "javascript:alert(3)"})
    report = sample_report(
        checks=(spec, *[s for s in SPECS.values() if s is not SPECS["sec.root-mfa"]])
    )
    data = findings_data(report)
    assert data["checks"]["sec.root-mfa"]["docs"] is None
    assert data["checks"]["sec.root-access-keys"]["docs"].startswith("https://")


def test_rows_are_sorted_by_severity_then_status():
    rows = findings_data(sample_report())["findings"]
    assert [(r["severity"], r["status"], r["check"]) for r in rows[:5]] == [
        ("critical", "FAIL", "sec.root-access-keys"),
        ("critical", "FAIL", "sec.root-mfa"),
        ("high", "FAIL", "cost.budget-alerts"),
        ("high", "FAIL", "sec.cloudtrail-enabled"),
        ("high", "PASS", "sec.cloudtrail-enabled"),
    ]
    assert rows[-1]["severity"] == "info"


def test_rows_repeat_best_practices_only_when_they_differ_from_their_check():
    report = sample_report()
    odd = report.findings[0].model_copy(update={"best_practices": ("SEC03-BP01",)})
    rows = findings_data(sample_report(findings=(odd, *report.findings[1:])))["findings"]
    with_bps = [r for r in rows if "bps" in r]
    assert [(r["check"], r["bps"]) for r in with_bps] == [("sec.root-mfa", ["SEC03-BP01"])]


def test_header_states_exit_status_and_unassessed_checks(html):
    # Plain words for the reader of the file: no flag names.
    assert "<strong>Not passed: 4 open failures of high severity or above.</strong>" in html
    assert "(exit code 1, failed)" in html
    assert "--fail-on" not in html
    assert "1 check could not be assessed</a>: rel.health-events." in html
    assert (
        "Regions not audited: me-central-1 (opt-in region not enabled for this account), "
        "1 opt-in region not enabled." in html
    )


def test_summary_sections_are_server_rendered(html):
    assert html.count('<svg class="gauge') == 7  # overall and six pillars
    assert 'aria-label="Overall: ' in html
    assert html.count('<details class="question') == 57
    assert "Conflict: answered met, but a check reports it not met" in html
    assert '<span class="badge stale">stale</span>' in html
    assert "<code>events:ListRules</code>" in html
    for text in ("EC2-VPC Elastic IPs", "case opened", "USD 412.35", "138 %", "over budget"):
        assert text in html


def test_quotas_are_sorted_fullest_first(html):
    names = re.findall(r"<td>([^<]+)<br><span class=\"muted\">(?:ec2|vpc) L-", html)
    assert names == [
        "Running On-Demand Standard instances",  # 87.5 %
        "EC2-VPC Elastic IPs",  # 80 %
        "VPCs per Region",  # 40 %
        "Running On-Demand Standard instances",  # 12.5 %
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"spend": None}, "No spend data in this report"),
        (
            {"spend": SpendSummary(available=False, reason="Cost Explorer is not enabled")},
            "Spend is not available: Cost Explorer is not enabled.",
        ),
        ({"quotas": ()}, "No quota usage in this report"),
        ({"errors": ()}, "nothing was left unassessed"),
        ({"scores": None, "questions": ()}, "This report carries no scores."),
        ({"questions": ()}, "This report carries no question results."),
    ],
)
def test_empty_states(overrides, expected):
    assert expected in FORMAT.render(sample_report(**overrides))


def test_a_report_with_no_findings_renders():
    html = FORMAT.render(sample_report(findings=(), errors=(), exit_code=0))
    assert "No open failure." in html
    assert "Passed: no open failure of high severity or above." in html
    assert '"findings":[]' in html


def test_ten_thousand_findings_stay_a_few_mb():
    report = sample_report(findings=tuple(many_findings(10_000)))
    html = FORMAT.render(report)
    size = len(html.encode())
    assert size < TEN_THOUSAND_FINDINGS_BUDGET, f"{size / 1e6:.1f} MB"
    [data] = [body for attrs, body in parse(html).scripts if attrs.get("type")]
    assert len(json.loads(data)["findings"]) == 10_000
    # The last finding's evidence is in the file once: the data is not repeated per view.
    assert html.count('"volume_id":"vol-0000000000000270f"') == 1


@pytest.fixture(scope="module")
def triaged() -> Report:
    return triaged_report()


def test_a_baseline_run_leads_with_what_changed(triaged):
    html = FORMAT.render(triaged)
    assert html.index('<section id="changes"') < html.index('<section id="scorecard"')
    assert "Since the run of 2026-11-28 09:30 UTC: 1 new failure, 2 resolved</a>" in html
    assert "1 new failure, 2 changed findings, 2 resolved failures." in html
    assert "<code>nightly/latest/results.json</code>" in html
    changes = build_view(triaged).changes
    assert changes is not None
    assert [i.group.check_id for i in changes.new_groups] == ["cost.budget-alerts"]
    resolved = [f for i in changes.resolved_groups for f in i.group.findings]
    assert [(f.check_id, f.resource) for f in resolved] == [
        ("sec.cloudtrail-enabled", "123456789012/eu-west-1"),
        ("sus.gp2-volumes", GONE_VOLUME),
    ]


def test_new_failures_come_first_everywhere(triaged):
    view = build_view(triaged)
    assert view.top_failures[0].group.check_id == "cost.budget-alerts"  # high, but new
    assert view.top_failures[1].group.severity.value == "critical"
    rows = view.findings_data["findings"]
    assert (rows[0]["check"], rows[0]["new_failure"], rows[0]["change"]) == (
        "cost.budget-alerts",
        True,
        {"kind": "new"},
    )
    changed = next(
        r for r in rows if r["check"] == "perf.previous-generation" and r["status"] == "WARN"
    )
    assert changed["change"] == {
        "kind": "changed",
        "previous_status": "PASS",
        "previous_severity": "low",
    }
    assert "change" not in findings_data(sample_report())["findings"][0]


def test_suppressed_findings_are_marked_and_not_counted(triaged):
    view = build_view(triaged)
    assert view.suppressed == 1
    assert view.status_counts[Status.FAIL] == 5  # six FAILs, one of them accepted
    assert "sec.root-access-keys" not in [i.group.check_id for i in view.top_failures]
    [row] = [r for r in view.findings_data["findings"] if "suppression" in r]
    assert row["suppression"] == {
        "reason": "Break-glass key; it lives in the safe",
        "expires": "2027-03-31",
    }
    html = FORMAT.render(triaged)
    assert '<span class="badge suppression-active">active</span>' in html
    assert '<span class="badge suppression-unused">unused</span>' in html
    assert '<span class="badge suppression-expired">expired</span>' in html
    assert '<select id="filter-change" data-filter="change">' in html
    assert 'id="filter-change"' not in FORMAT.render(sample_report())


def test_a_partial_run_says_so():
    html = FORMAT.render(sample_report(aborted="the credentials expired", exit_code=4))
    assert "<strong>The audit stopped early:</strong> the credentials expired." in html
    assert "The audit could not finish, so nothing here is complete." in html


def test_the_banner_says_when_only_new_failures_count(triaged):
    html = FORMAT.render(triaged.model_copy(update={"fail_on_new": True}))
    assert "Not passed: 1 open failure new since the baseline of high severity or above." in html


def _quota(percent: float, name: str = "Quota") -> QuotaUsage:
    return QuotaUsage(
        region="us-east-1",
        service_code="ec2",
        quota_code="L-00000000",
        quota_name=name,
        usage=percent,
        limit=100.0,
        limit_source="applied",
        percent=percent,
        adjustable=True,
        usage_source="cloudwatch:ResourceCount",
    )


def test_quotas_beyond_the_first_ten_fold_away_unless_nearly_full():
    quotas = tuple(_quota(float(p), f"Q{p}") for p in range(0, 15))
    html = FORMAT.render(sample_report(quotas=quotas))
    folded = html[html.index('<details class="more-quotas">') :]
    assert "5 more quotas, each at most 4 % used" in folded
    assert "<td>Q4<br>" in folded
    assert "<td>Q5<br>" not in folded
    full = tuple(_quota(80.0 + p, f"Q{p}") for p in range(12))
    assert build_view(sample_report(quotas=full)).quotas_shown == 12
    assert '<details class="more-quotas">' not in FORMAT.render(sample_report(quotas=full))


def test_no_green_no_risk_beside_an_unmet_best_practice():
    from wa_audit.framework import load_framework
    from wa_audit.models import BestPracticeStatus, CheckSpec, Finding, QuestionRisk
    from wa_audit.reports.html_questions import question_groups
    from wa_audit.scoring import score

    low_risk = CheckSpec(  # SEC01-BP08 is a low-risk best practice; SEC 1 has high-risk ones
        id="sec.new-features",
        pillar=Pillar.SECURITY,
        title="New security features are evaluated",
        severity=Severity.LOW,
        best_practices=("SEC01-BP08",),
        remediation="r",
        docs_url="https://docs.aws.amazon.com/",
        facts=(),
        regional=False,
    )
    failing = Finding(
        check_id=low_risk.id,
        pillar=Pillar.SECURITY,
        severity=Severity.LOW,
        status=Status.FAIL,
        region="global",
        resource="r",
        message="m",
        best_practices=low_risk.best_practices,
    )
    base = sample_report()
    questions, scores = score(
        load_framework(),
        [*base.checks, low_risk],
        [f for f in base.findings if f.pillar is not Pillar.SECURITY] + [failing],
        {},
        base.started_at.date(),
    )
    report = base.model_copy(update={"questions": questions, "scores": scores})
    views = [v for g in question_groups(report.questions) for v in g.questions]
    for view in views:
        statuses = {bp.status for bp in view.question.best_practices}
        if view.badge_class == "NONE":
            assert statuses <= {BestPracticeStatus.MET, BestPracticeStatus.NOT_APPLICABLE}
    low = [v for v in views if v.question.risk is QuestionRisk.NONE and v.not_met]
    partial = [v for v in views if v.badge_class == "PARTIAL"]
    assert low
    assert all(v.badge == "Low risk" for v in low)
    assert partial
    assert all(v.badge == "No risk found" for v in partial)
    html = FORMAT.render(report)
    for view in low:
        assert f'<details class="question risk-LOW" id="{view.anchor}">' in html
    unknown_high = [v for v in views if v.unknown_high]
    assert unknown_high
    assert f"{unknown_high[0].unknown_high} high-risk not assessed" in html


def test_best_practices_show_their_graded_score_and_the_rule_beside_the_gauge(html):
    assert "Each best practice scores the share of its checked resources that pass" in html
    assert '<th scope="col" class="num">Score</th>' in html


def test_top_failures_read_as_facts_with_their_remediation(html):
    top = html[html.index('<section id="top-failures"') : html.index('<section id="questions"')]
    assert '<strong class="fact">Root user has access keys</strong>' in top
    assert "Root user has no access keys</strong>" not in top
    assert '<td class="remediation">Fix root user has no access keys.' in top


def test_top_failures_group_one_check_failing_in_many_regions():
    report = sample_report()
    template = next(f for f in report.findings if f.check_id == "sec.cloudtrail-enabled")
    many = tuple(
        template.model_copy(update={"region": f"r-{n:02}", "resource": f"x/{n}"}) for n in range(17)
    )
    others = tuple(f for f in report.findings if f.check_id != "sec.cloudtrail-enabled")
    view = build_view(report.model_copy(update={"findings": (*others, *many)}))
    [group] = [g for g in view.top_failures if g.group.check_id == "sec.cloudtrail-enabled"]
    assert (group.group.count, group.group.extent) == (17, "17 regions")
    assert group.title == "CloudTrail misses a region"


def test_top_failures_list_every_group_and_fold_after_ten():
    """Twelve failing checks: ten rows in view, the other two under "2 more groups"."""
    report = sample_report()
    template = next(f for f in report.findings if f.check_id == "sec.root-mfa")
    failing = tuple(
        template.model_copy(update={"check_id": f"sec.extra-{n:02}", "resource": f"r/{n}"})
        for n in range(12)
    )
    others = tuple(f for f in report.findings if not f.open_failure)
    html = FORMAT.render(report.model_copy(update={"findings": (*others, *failing)}))
    top = html[html.index('<section id="top-failures"') : html.index('<section id="questions"')]
    shown, folded = top.split('<details class="more-failures">')
    assert "<summary>2 more groups</summary>" in folded
    listed = re.findall(r'<span class="check-id">(sec\.extra-\d+)</span>', top)
    assert listed == [f"sec.extra-{n:02}" for n in range(12)]
    assert len(re.findall(r'<span class="check-id">sec\.extra-\d+', shown)) == 10


def test_a_group_in_top_failures_shows_each_distinct_message():
    report = sample_report()
    template = next(f for f in report.findings if f.check_id == "sec.cloudtrail-enabled")
    many = [
        template.model_copy(
            update={"region": r, "resource": f"trail/{r}", "message": f"No trail logs {r}."}
        )
        for r in ("us-east-1", "eu-west-1", "ap-south-1")
    ]
    many[2] = many[2].model_copy(update={"message": "The trail's bucket is gone."})
    others = tuple(f for f in report.findings if f.check_id != "sec.cloudtrail-enabled")
    html = FORMAT.render(report.model_copy(update={"findings": (*others, *many)}))
    top = html[html.index('<section id="top-failures"') : html.index('<section id="questions"')]
    row = top[top.index("sec.cloudtrail-enabled") :].split("</tr>")[0]
    assert row.count("<li>") == 2  # us-east-1's and eu-west-1's say the same, their region aside
    assert ("No trail logs us-east-1." in row) != ("No trail logs eu-west-1." in row)
    assert "(and 1 more like it)" in row
    assert "The trail&#39;s bucket is gone." in row
    assert "For example" not in row
