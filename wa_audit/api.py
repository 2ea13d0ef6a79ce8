"""What a check author imports: the names here are the stable surface for check packages.

A third-party package writes its checks (and, when it needs data no built-in fact reads, its facts)
with these alone and registers its module under the ``wa_audit.checks`` entry-point group::

    from wa_audit.api import CheckContext, Finding, Pillar, Severity, check

Everything else in ``wa_audit`` is the engine's own and may change between releases.
"""

from __future__ import annotations

from wa_audit.context import CheckContext
from wa_audit.facts.base import Fact, FetchContext, fact, response_unless
from wa_audit.models import GLOBAL_REGION, Finding, Pillar, Severity, Status
from wa_audit.registry import check

__all__ = [
    "GLOBAL_REGION",
    "CheckContext",
    "Fact",
    "FetchContext",
    "Finding",
    "Pillar",
    "Severity",
    "Status",
    "check",
    "fact",
    "response_unless",
]
