"""The organization Report's formats: JSON (re-mergeable, machine-readable) and an HTML overview
that links to each account's own scorecard. Registered under ``wa_audit.org_formats``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from wa_audit.models import Pillar, Status
from wa_audit.org.models import AccountOutcome, OrgReport

from .html_format import _asset, _environment, content_security_policy

TEMPLATE = "org.html.j2"
STYLESHEET = "org.css"


@dataclass(frozen=True)
class OrgJsonFormat:
    name: str = "json"
    suffix: str = "json"
    description: str = "The organization Report: one summary row per account, org-wide verdicts."

    def render(self, report: OrgReport) -> str:
        return report.model_dump_json(indent=2) + "\n"


def score_class(score: float | None) -> str:
    """The same bands as the account scorecard's gauges."""
    if score is None:
        return "none"
    return "good" if score >= 80 else "fair" if score >= 50 else "poor"


def scorecard_href(report_dir: str) -> str:
    """The link to an account's scorecard: each path segment percent-encoded, so a folder named
    ``a b#c`` is still one path (a ``#`` or ``?`` would end it)."""
    return "/".join(quote(segment) for segment in report_dir.split("/")) + "/results.html"


@dataclass(frozen=True)
class OrgHtmlFormat:
    name: str = "html"
    suffix: str = "html"
    description: str = "The organization scorecard: accounts x pillars, worst first, linked."

    def render(self, report: OrgReport) -> str:
        style = _asset(STYLESHEET)
        return (
            _environment()
            .get_template(TEMPLATE)
            .render(
                report=report,
                pillars=list(Pillar),
                outcomes=AccountOutcome,
                statuses=Status,
                score_class=score_class,
                scorecard_href=scorecard_href,
                csp=content_security_policy("", style),
                style=Markup(style),  # noqa: S704 (our own file, hashed into the CSP)
            )
        )


JSON = OrgJsonFormat()
HTML = OrgHtmlFormat()
