"""The scorecard: one self-contained HTML file a reviewer can open offline, filter and trust.

Everything from the account is untrusted text. Jinja escapes it (autoescape on); the findings are
embedded once as JSON with ``<`` escaped, and the page's Content-Security-Policy lets only this
file's own script and stylesheet run, by hash, and allows no network at all.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from wa_audit.models import SCORE_RULE, Report

from .html_charts import bar_width
from .html_data import STATUS_LABEL
from .html_view import build_view

MISSING = "\N{EN DASH}"  # what a table shows for a value the Report does not have
TEMPLATE = "scorecard.html.j2"
STYLESHEET = "scorecard.css"
SCRIPT = "scorecard.js"


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing may load or connect; only this page's own script and style may apply."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(style)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _asset(name: str) -> str:
    text = files("wa_audit.reports").joinpath("templates", name).read_text(encoding="utf-8")
    if "</" + "script" in text.lower() or "</" + "style" in text.lower():
        raise ValueError(f"{name} would end its own inline element early")
    return text


def money(amount: float | None, currency: str = "USD") -> str:
    return MISSING if amount is None else f"{currency} {amount:,.2f}"


def number(value: float | None) -> str:
    """Quota values: whole numbers without decimals, fractions with as few as they need."""
    if value is None:
        return MISSING
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def score(value: float | None) -> str:
    return MISSING if value is None else f"{value:.0f}"


def whole(amount: float) -> str:
    return f"{amount:,.0f}"


def when(moment: datetime | None) -> str:
    return MISSING if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{seconds:.1f} s"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("wa_audit.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Compact JSON for the embedded findings: 10,000 of them must stay a few MB.
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": False,
        "separators": (",", ":"),
        "ensure_ascii": False,
    }
    env.filters.update(
        money=money,
        number=number,
        whole=whole,
        score=score,
        when=when,
        duration=duration,
        bar_width=bar_width,
    )
    env.globals.update(status_label=STATUS_LABEL, score_rule=SCORE_RULE)
    return env


@dataclass(frozen=True)
class HtmlFormat:
    name: str = "html"
    suffix: str = "html"
    description: str = "The scorecard: one offline HTML file with charts, filters and search."

    def render(self, report: Report) -> str:
        script, style = _asset(SCRIPT), _asset(STYLESHEET)
        return (
            _environment()
            .get_template(TEMPLATE)
            .render(
                view=build_view(report),
                report=report,
                csp=content_security_policy(script, style),
                # Our own files, checked by _asset and hashed into the CSP: not account data.
                script=Markup(script),  # noqa: S704
                style=Markup(style),  # noqa: S704
            )
        )


FORMAT = HtmlFormat()
