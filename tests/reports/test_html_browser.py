"""The scorecard in a real browser: Debian's chromium driven by Playwright, offline, CSP enforced."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import wa_audit.audit
from tests.reports import tag_echo_plugin
from tests.reports.chromium import CHROMIUM, launch
from tests.reports.report_factory import (
    HOSTILE_ALARM,
    HOSTILE_BUDGET,
    many_findings,
    sample_report,
    triaged_report,
)
from wa_audit.models import Report
from wa_audit.registry import checks_in, discover
from wa_audit.reports.html_format import FORMAT
from wa_audit.sandbox.seeders.cost import CostSection

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@dataclass
class LoadedPage:
    """A page and everything it did that a trustworthy report must not do."""

    page: Any
    url: str = ""
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self) -> LoadedPage:
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._refuse)
        return self

    def _refuse(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: Path) -> LoadedPage:
        self.url = path.resolve().as_uri()
        self.console.clear()
        self.requests.clear()
        self.dialogs.clear()
        self.page.emulate_media(media="no-override")  # a print test may have left print on
        self.page.goto(self.url)
        return self

    def rows(self) -> int:
        return int(self.page.locator("#findings-body tr.finding").count())

    def row_texts(self) -> list[str]:
        return [str(t) for t in self.page.locator("#findings-body tr.finding").all_inner_texts()]

    def select(self, name: str, value: str) -> int:
        self.page.select_option(f"#filter-{name}", value)
        return self.rows()

    def search(self, text: str) -> int:
        self.page.fill("#filter-search", text)
        return self.rows()

    def assert_clean(self) -> None:
        assert self.console == []
        assert self.requests == [self.url]
        assert self.dialogs == []


@pytest.fixture(scope="module")
def shared_page(browser) -> Iterator[LoadedPage]:
    """One tab for the module's tests (a new tab costs a renderer process); each test reloads it."""
    context = browser.new_context()
    yield LoadedPage(context.new_page()).watch()
    context.close()


@pytest.fixture
def open_report(browser, shared_page, tmp_path) -> Iterator[Any]:
    contexts = []

    def load(report: Report | Path, javascript: bool = True, grouped: bool = False) -> LoadedPage:
        """The page; unless ``grouped``, with "Group by check" (on by default) turned off, so
        the filter tests count one row per finding."""
        path = report if isinstance(report, Path) else tmp_path / "results.html"
        if isinstance(report, Report):
            path.write_text(FORMAT.render(report), encoding="utf-8")
        if javascript:
            loaded = shared_page.goto(path)
            if not grouped:
                loaded.page.uncheck("#filter-group")
            return loaded
        context = browser.new_context(java_script_enabled=False)
        contexts.append(context)
        return LoadedPage(context.new_page()).watch().goto(path)

    yield load
    for context in contexts:
        context.close()


@pytest.fixture
def sample(open_report) -> LoadedPage:
    return open_report(sample_report())


def test_sample_report_loads_offline_without_errors(sample):
    sample.assert_clean()
    assert sample.page.title().startswith("Well-Architected scorecard · 123456789012")


def test_pass_rows_are_hidden_until_asked_for(sample):
    # 19 findings, 6 of them PASS (report_factory's table).
    assert sample.rows() == 13
    assert "6 passed hidden" in sample.page.text_content("#findings-count")
    assert not any("PASS" in text for text in sample.row_texts())
    sample.page.check("#filter-passed")
    assert sample.rows() == 19
    sample.page.uncheck("#filter-passed")
    assert sample.rows() == 13


def test_rows_are_sorted_by_severity(sample):
    severities = [text.split("\t")[1].strip().lower() for text in sample.row_texts()]
    order = ["critical", "high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)
    assert severities[:2] == ["critical", "critical"]


@pytest.mark.parametrize(
    ("name", "value", "expected", "with_passes"),
    [
        ("pillar", "security", 3, 5),  # root-mfa, root-access-keys, cloudtrail us-east-1
        ("pillar", "reliability", 3, 4),  # ebs WARN, health ERROR x2; ebs PASS
        ("severity", "medium", 4, 7),  # ebs WARN, health ERROR x2, alarm FAIL
        ("severity", "info", 2, 2),  # gp2 FAIL, gp2 N/A
        ("status", "FAIL", 6, 6),
        ("status", "WARN", 3, 3),
        ("status", "ERROR", 2, 2),
        ("status", "NOT_APPLICABLE", 2, 2),
        ("status", "PASS", 6, 6),  # asking for PASS shows them without the toggle
        ("region", "eu-west-1", 4, 7),  # health ERROR, idle-eips N/A, prev-gen WARN, gp2 N/A
        ("region", "global", 3, 5),  # root-mfa, root-access-keys, budget-alerts
        ("check", "rel.health-events", 2, 2),
        ("check", "sec.password-policy", 0, 1),  # its only finding is a PASS
    ],
)
def test_each_filter_narrows_the_rows(sample, name, value, expected, with_passes):
    assert sample.select(name, value) == expected
    sample.page.check("#filter-passed")
    assert sample.rows() == with_passes
    sample.page.click("#filter-reset")
    assert sample.rows() == 13
    assert sample.page.input_value(f"#filter-{name}") == ""


def test_filters_live_in_the_address_so_a_view_can_be_shared(sample):
    assert sample.select("status", "FAIL") == 6
    sample.search("root")
    rows = sample.rows()
    url = sample.page.url
    assert url.startswith(sample.url + "#findings?")
    assert "status=FAIL" in url
    assert "q=root" in url
    sample.page.goto("about:blank")
    sample.page.goto(url)  # what a colleague opens from a link
    assert sample.page.input_value("#filter-status") == "FAIL"
    assert sample.page.input_value("#filter-search") == "root"
    assert sample.rows() == rows == 2
    # Values the drop-downs do not offer are ignored, not injected.
    sample.page.goto("about:blank")
    sample.page.goto(sample.url + "#findings?status=%3Cscript%3E&region=eu-west-1")
    assert sample.page.input_value("#filter-status") == ""
    assert sample.page.input_value("#filter-region") == "eu-west-1"
    assert sample.console == []
    sample.page.click("#filter-reset")
    assert "status=" not in sample.page.url
    assert "q=" not in sample.page.url


def test_filters_combine_and_passes_join_when_asked(sample):
    assert sample.select("pillar", "security") == 3
    sample.page.check("#filter-passed")
    assert sample.rows() == 5
    assert sample.select("region", "global") == 3  # root-mfa, root-access-keys, password PASS
    assert sample.select("severity", "critical") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m4.large", 1),  # message
        ("vol-0a1b2c3d4e5f60718", 2),  # resource of ebs-backups and gp2-volumes
        ("last_snapshot_days", 1),  # evidence only
        ("ALERT(", 2),  # case-insensitive, the alarm and the budget
        ("Health events reach", 2),  # check title
        ("eu-west-1 nothing to assess", 2),  # every word must match
        ("no-such-thing", 0),
    ],
)
def test_search_matches_every_word_anywhere_in_a_finding(sample, text, expected):
    assert sample.search(text) == expected
    if expected == 0:
        assert sample.page.text_content("#findings-body") == "No findings match these filters."


def test_a_row_expands_to_its_evidence_remediation_and_docs(sample):
    sample.search("m4.large")
    sample.page.click("#findings-body tr.finding")
    detail = sample.page.locator("#findings-body tr.detail")
    assert detail.count() == 1
    text = detail.inner_text()
    assert "Instance runs m4.large (previous generation)." in text
    assert '"instance_type": "m4.large"' in text
    assert "Fix no previous-generation instances." in text
    assert "PERF02-BP01" in text
    link = detail.locator("a")
    assert link.get_attribute("href") == (
        "https://docs.aws.amazon.com/wellarchitected/latest/framework/perf02-bp01.html"
    )
    assert sample.page.get_attribute("button.expand", "aria-expanded") == "true"
    sample.page.click("#findings-body tr.finding")
    assert detail.count() == 0


def test_hostile_account_text_stays_text(sample):
    sample.page.check("#filter-passed")
    sample.search("alert(")
    sample.page.click("#findings-body tr.finding >> nth=0")
    sample.page.click("#findings-body tr.finding >> nth=1")
    body = sample.page.inner_text("#findings-body")
    assert HOSTILE_ALARM in body
    assert HOSTILE_BUDGET in body
    page_text = sample.page.inner_text("body")
    assert page_text.count(HOSTILE_BUDGET) >= 3  # top failures, spend's budget, the table
    assert sample.page.locator("img").count() == 0
    assert sample.page.locator("script").count() == 2
    sample.assert_clean()


def test_csp_stops_a_script_that_got_into_the_page(sample):
    sample.page.evaluate(
        """() => {
          const injected = document.createElement("script");
          injected.textContent = "window.injected = true";
          document.body.append(injected);
        }"""
    )
    assert sample.page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in line for line in sample.console)


def test_without_javascript_the_scorecard_and_summary_are_visible(open_report):
    loaded = open_report(sample_report(), javascript=False)
    page = loaded.page
    assert page.locator("svg.gauge").count() == 7
    for gauge in page.locator("svg.gauge").all():
        assert gauge.is_visible()
    assert page.is_visible("text=Not passed: 4 open failures of high severity or above.")
    assert page.locator("#top-failures tbody tr").count() == 6
    assert page.is_visible("#questions summary >> nth=0")
    assert page.is_visible("#not-assessed code >> nth=0")
    assert page.locator("p.notice").is_visible()  # the <noscript> note
    assert page.inner_text("p.notice").startswith("Filtering and search need JavaScript.")
    assert not page.is_visible("#findings-app")
    page.click("#questions summary >> nth=0")  # <details> opens without script
    assert page.is_visible("#questions details[open] table")
    loaded.assert_clean()


def test_print_layout_drops_the_controls(sample):
    sample.page.emulate_media(media="print")
    assert not sample.page.is_visible("#filter-search")
    assert not sample.page.is_visible("nav.sections")
    assert sample.page.is_visible("#scorecard svg.gauge >> nth=0")
    assert sample.rows() == 13


def test_ten_thousand_findings_page_through(open_report):
    loaded = open_report(sample_report(findings=tuple(many_findings(10_000))))
    assert loaded.rows() == 500  # 6,000 not PASS, shown 500 at a time
    loaded.page.click("#findings-more")
    assert loaded.rows() == 1000
    assert loaded.search("team-7") == 250  # every 40th finding, all WARN (see many_findings)
    assert loaded.page.is_hidden("#findings-more")
    assert loaded.search("") == 500
    assert loaded.page.text_content("#findings-more") == "Show 500 more"
    loaded.assert_clean()


def test_demo_run_report_end_to_end(sandbox, run_cli, tmp_path, open_report, monkeypatch):
    """The sample account with the issue's budget and alarm names, and a volume whose tags hold
    them too (reported by a test plugin), audited through the CLI and opened in the browser."""
    scenario = sandbox.scenario("sample")
    cost = scenario.section("cost", CostSection)
    assert cost is not None
    hostile = cost.model_copy(
        update={
            "budgets": tuple(b.model_copy(update={"name": HOSTILE_BUDGET}) for b in cost.budgets),
            "billing_alarms": tuple(
                a.model_copy(update={"name": HOSTILE_ALARM}) for a in cost.billing_alarms
            ),
        }
    )
    sandbox.seed(scenario.with_section("cost", hostile))
    sandbox.client("ec2").create_volume(
        AvailabilityZone="us-east-1a",
        Size=8,
        TagSpecifications=[
            {
                "ResourceType": "volume",
                "Tags": [
                    {"Key": "Name", "Value": HOSTILE_ALARM},
                    {"Key": "budget", "Value": HOSTILE_BUDGET},
                ],
            }
        ],
    )
    monkeypatch.setattr(
        wa_audit.audit, "discover", lambda: [*discover(), *checks_in(tag_echo_plugin)]
    )
    result = run_cli(
        "run",
        "--format",
        "html,json",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == 1, result.output
    report = json.loads((tmp_path / "results.json").read_text())
    findings = report["findings"]
    assert report["spend"]["largest_budget_name"] == HOSTILE_BUDGET
    by_check = {f["check_id"]: f for f in findings}
    assert by_check["cost.budget-alerts"]["resource"].endswith(f"budget/{HOSTILE_BUDGET}")
    assert by_check["cost.billing-alarm"]["resource"].endswith(f"alarm:{HOSTILE_ALARM}")
    [tagged] = [f for f in findings if f["evidence"].get("Name") == HOSTILE_ALARM]
    assert (tagged["check_id"], tagged["evidence"]["budget"]) == ("ops.volume-tags", HOSTILE_BUDGET)

    loaded = open_report(tmp_path / "results.html")
    assert loaded.rows() == sum(f["status"] != "PASS" for f in findings)
    loaded.page.check("#filter-passed")
    assert loaded.rows() == len(findings)
    assert loaded.search("root") == sum("root" in json.dumps(f).lower() for f in findings)
    assert loaded.search("onerror") == sum("onerror" in json.dumps(f) for f in findings)
    table = loaded.page.inner_text("#findings-body")
    assert f"budget/{HOSTILE_BUDGET}" in table
    # Other checks report the volume too; of them, ops.volume-tags and cost.required-tags (the
    # sample's owner/cost-center tag keys) speak of its owner.
    assert loaded.search(f"{tagged['resource']} owner") == 2
    assert loaded.search(f"ops.volume-tags {tagged['resource']}") == 1
    loaded.page.click("#findings-body tr.finding")
    detail = loaded.page.inner_text("#findings-body tr.detail")
    assert f"Volume {HOSTILE_ALARM} has no owner tag." in detail
    assert f'"budget": "{HOSTILE_BUDGET}"' in detail
    assert loaded.page.inner_text("#spend .budget-name") == HOSTILE_BUDGET
    assert loaded.search("cost.billing-alarm") >= 1
    assert f"alarm:{HOSTILE_ALARM}" in loaded.page.inner_text("#findings-body")
    assert loaded.page.locator("img").count() == 0
    assert loaded.page.locator("script").count() == 2
    assert loaded.page.is_visible("text=Account 123456789012")
    loaded.assert_clean()


@pytest.fixture
def triaged(open_report) -> LoadedPage:
    return open_report(triaged_report())


@pytest.mark.parametrize(
    ("change", "expected", "with_passes"),
    [
        ("new-failure", 1, 1),  # cost.budget-alerts
        ("new", 2, 2),  # and the WARN that says a suppression expired
        ("changed", 1, 2),  # previous-generation PASS → WARN; cloudtrail eu-west-1 FAIL → PASS
        ("unchanged", 11, 16),  # 20 findings less 2 new and 2 changed
    ],
)
def test_change_filter_of_a_baseline_run(triaged, change, expected, with_passes):
    triaged.assert_clean()
    assert triaged.select("change", change) == expected
    triaged.page.check("#filter-passed")
    assert triaged.rows() == with_passes


def test_a_baseline_run_lists_new_failures_first_and_marks_suppressed_rows(triaged):
    first = triaged.page.locator("#findings-body tr.finding").first
    assert "cost.budget-alerts" in first.inner_text()
    assert first.locator(".change-new").inner_text().lower() == "new"
    assert triaged.search("break-glass") == 1  # the suppression's reason is searchable
    row = triaged.page.locator("#findings-body tr.finding")
    assert row.locator(".suppressed").inner_text().lower() == "suppressed"
    row.click()
    detail = triaged.page.inner_text("#findings-body tr.detail")
    assert "until 2027-03-31: Break-glass key; it lives in the safe" in detail


def test_findings_are_grouped_by_check_by_default_and_groups_open(open_report):
    """rel.health-events is ERROR in us-east-1 and eu-west-1: one row until opened."""
    loaded = open_report(sample_report(), grouped=True)
    page = loaded.page
    assert page.is_checked("#filter-group")
    assert loaded.rows() == 11  # 13 findings not PASS, the two ERRORs in one group
    group = page.locator("#findings-body tr.group")
    assert group.count() == 1
    text = group.inner_text()
    assert "rel.health-events" in text
    assert "2 regions" in text
    assert "2 findings" in text
    assert "in 12 groups" in page.text_content("#findings-count")
    group.click()
    assert page.locator("#findings-body tr.finding.member").count() == 2
    assert group.locator("button.expand").get_attribute("aria-expanded") == "true"
    page.locator("#findings-body tr.group").click()
    assert page.locator("#findings-body tr.finding.member").count() == 0
    page.uncheck("#filter-group")
    assert loaded.rows() == 13
    assert "flat=1" in page.url
    page.goto("about:blank")
    page.goto(loaded.url + "#findings?flat=1")
    assert not page.is_checked("#filter-group")
    assert (loaded.console, loaded.dialogs) == ([], [])


def test_a_check_failing_in_17_regions_is_one_row_with_each_distinct_message(open_report):
    report = sample_report()
    template = next(f for f in report.findings if f.check_id == "sec.cloudtrail-enabled")
    many = [
        template.model_copy(
            update={
                "region": f"xx-test-{n:02}",
                "resource": f"trail/{n}",
                "message": f"No trail logs xx-test-{n:02}.",
            }
        )
        for n in range(17)
    ]
    many[16] = many[16].model_copy(update={"message": "The trail's bucket is gone."})
    others = tuple(f for f in report.findings if f.check_id != "sec.cloudtrail-enabled")
    loaded = open_report(report.model_copy(update={"findings": (*others, *many)}), grouped=True)
    [row] = [
        text
        for text in loaded.page.locator("#findings-body tr.group").all_inner_texts()
        if "sec.cloudtrail-enabled" in text
    ]
    assert "17 regions" in row
    assert "xx-test-00: No trail logs xx-test-00. (and 15 more like it)" in row
    assert "xx-test-16: The trail's bucket is gone." in row
    assert loaded.rows() == 10  # 29 findings not PASS: the 17 FAILs and the 2 ERRORs are groups
    loaded.assert_clean()
