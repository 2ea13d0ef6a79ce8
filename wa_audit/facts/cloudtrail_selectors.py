"""Which management events a trail's event selectors log (GetEventSelectors), read and write.

A trail has either classic ``EventSelectors`` or ``AdvancedEventSelectors``, never both
(CloudTrail API reference, PutEventSelectors). Classic: a selector logs management events when
``IncludeManagementEvents`` is true, reads and/or writes by ``ReadWriteType`` (ReadOnly,
WriteOnly, All). Advanced: a selector whose ``eventCategory`` field equals ``Management`` logs
management events, all of them unless a ``readOnly`` field narrows it to reads or writes (``Equals``
is the only operator AWS takes on ``readOnly``: botocore's AdvancedFieldSelector), and less the
sources an ``eventSource`` field's ``NotEquals`` leaves out (AWS allows ``kms.amazonaws.com`` and
``rdsdata.amazonaws.com``), as classic ``ExcludeManagementEventSources`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict


class ManagementEvents(BaseModel):
    """What the selectors log of management events; the gaps a check reports."""

    model_config = ConfigDict(frozen=True)

    selectors: str
    """``classic`` or ``advanced``: the kind of selectors the trail uses."""
    reads: bool
    writes: bool
    excluded_sources: tuple[str, ...] = ()
    """Event sources a selector leaves out (AWS allows KMS and RDS Data API): classic
    ``ExcludeManagementEventSources`` or an advanced ``eventSource`` ``NotEquals``."""

    @property
    def all(self) -> bool:
        return self.reads and self.writes


def _classic(selectors: Iterable[Mapping[str, Any]]) -> ManagementEvents:
    reads = writes = False
    excluded: list[str] = []
    for selector in selectors:
        if not selector.get("IncludeManagementEvents", True):
            continue
        kind = selector.get("ReadWriteType", "All")
        reads = reads or kind in ("All", "ReadOnly")
        writes = writes or kind in ("All", "WriteOnly")
        excluded.extend(selector.get("ExcludeManagementEventSources", []))
    return ManagementEvents(
        selectors="classic", reads=reads, writes=writes, excluded_sources=tuple(excluded)
    )


def _read_only_scope(field: Mapping[str, Any]) -> tuple[bool, bool]:
    """(reads, writes) that one ``readOnly`` field selector (``Equals`` only) lets through."""
    chosen = {*field.get("Equals", [])} or {"true", "false"}
    return "true" in chosen, "false" in chosen


def _advanced(selectors: Iterable[Mapping[str, Any]]) -> ManagementEvents:
    reads = writes = False
    excluded: list[str] = []
    for selector in selectors:
        fields = {f.get("Field"): f for f in selector.get("FieldSelectors", [])}
        category = fields.get("eventCategory", {})
        if "Management" not in category.get("Equals", []):
            continue
        scope = _read_only_scope(fields["readOnly"]) if "readOnly" in fields else (True, True)
        reads, writes = reads or scope[0], writes or scope[1]
        excluded.extend(fields.get("eventSource", {}).get("NotEquals", []))
    return ManagementEvents(
        selectors="advanced", reads=reads, writes=writes, excluded_sources=tuple(excluded)
    )


def management_events(response: Mapping[str, Any]) -> ManagementEvents:
    """From a GetEventSelectors response."""
    advanced = response.get("AdvancedEventSelectors") or []
    if advanced:
        return _advanced(advanced)
    return _classic(response.get("EventSelectors") or [])
