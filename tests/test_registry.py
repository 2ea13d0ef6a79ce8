"""Discovery through entry points: deterministic, and loud about broken or clashing plugins."""

from __future__ import annotations

import sys
import types
from importlib.metadata import EntryPoint, entry_points

import pytest

from wa_audit.errors import RegistryError, UsageError
from wa_audit.facts.iam import account_summary
from wa_audit.models import Pillar, Severity
from wa_audit.registry import ENTRY_POINT_GROUP, check, discover, select


def _plugin_module(name: str, check_id: str) -> str:
    module = types.ModuleType(name)

    @check(
        id=check_id,
        pillar=Pillar.SECURITY,
        title="plugin check",
        severity=Severity.LOW,
        best_practices=["SEC01-BP01"],
        remediation="none",
        docs_url="https://example.invalid",
        facts=[account_summary],
    )
    def plugin_check(ctx):
        yield from ()

    module.plugin_check = plugin_check  # type: ignore[attr-defined]
    sys.modules[name] = module
    return name


def test_builtin_checks_are_discovered_in_a_stable_order():
    first = [c.id for c in discover()]
    assert first == [c.id for c in discover()]
    assert {"sec.root-mfa", "sec.root-access-keys"} <= set(first)
    assert all(c.distribution == "wa-audit" for c in discover())


def test_duplicate_id_names_both_plugins():
    module = _plugin_module("wa_audit_test_dup", "sec.root-mfa")
    builtin = list(entry_points(group=ENTRY_POINT_GROUP))
    extra = EntryPoint(name="dup", value=module, group=ENTRY_POINT_GROUP)
    with pytest.raises(
        RegistryError,
        match=r"'sec.root-mfa' is defined twice: by .*\(dup\) and by wa-audit \(security\)",
    ):
        discover([*builtin, extra])


def test_plugin_that_fails_to_load_is_named():
    broken = EntryPoint(name="broken", value="wa_audit_no_such_module", group=ENTRY_POINT_GROUP)
    with pytest.raises(
        RegistryError, match="check plugin 'broken' from unknown distribution failed"
    ):
        discover([broken])


def test_plugin_checks_register_like_builtins():
    module = _plugin_module("wa_audit_test_extra", "sec.plugin-example")
    checks = discover([EntryPoint(name="extra", value=module, group=ENTRY_POINT_GROUP)])
    assert [c.id for c in checks] == ["sec.plugin-example"]


def test_select_by_pillar_and_skip():
    checks = discover()
    chosen = select(checks, pillars=[Pillar.SECURITY], skip=["sec.root-mfa"])
    assert "sec.root-mfa" not in [c.id for c in chosen]
    assert all(c.spec.pillar is Pillar.SECURITY for c in chosen)


def test_unknown_skip_id_is_a_usage_error():
    with pytest.raises(UsageError, match=r"did you mean 'sec\.root-mfa'"):
        select(discover(), skip=["sec.rot-mfa"])


def test_check_id_must_match_its_pillar():
    with pytest.raises(ValueError, match=r"must start with rel\."):
        check(
            id="sec.misfiled",
            pillar=Pillar.RELIABILITY,
            title="t",
            severity=Severity.LOW,
            best_practices=["REL01-BP01"],
            remediation="r",
            docs_url="u",
            facts=[],
        )


def test_every_builtin_check_states_its_failure_as_a_fact():
    """Outputs head a FAIL with ``fail_title`` ("Root user has access keys"), not the goal."""
    for found in discover():
        if found.distribution == "wa-audit":
            assert found.spec.fail_title, f"{found.id} has no fail_title"
            assert found.spec.fail_title != found.spec.title, found.id
