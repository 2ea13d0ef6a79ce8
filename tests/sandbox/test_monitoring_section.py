"""The monitoring section of the built-in scenarios reads as its model says (no seeding here: the
demo tests build whole scenarios)."""

from __future__ import annotations

import pytest

from wa_audit.errors import UsageError
from wa_audit.sandbox.scenario import load_scenario
from wa_audit.sandbox.seeders import all_seeders
from wa_audit.sandbox.seeders.monitoring import MonitoringSection


def test_the_sample_and_clean_scenarios_have_a_monitoring_section():
    sample = load_scenario("sample", all_seeders()).section("monitoring", MonitoringSection)
    clean = load_scenario("clean", all_seeders()).section("monitoring", MonitoringSection)
    assert sample is not None
    assert clean is not None
    assert [g.health_check_type for g in sample.auto_scaling_groups] == ["EC2"]
    assert not clean.auto_scaling_groups
    assert {a.watches for a in clean.alarms} >= {"load_balancer", "db_instance", "table", "quota"}


def test_a_typo_in_the_section_is_an_error(tmp_path):
    (tmp_path / "scenario.toml").write_text('description = "x"\nregions = ["us-east-1"]\n')
    (tmp_path / "monitoring.toml").write_text(
        '[[alarms]]\nregion = "us-east-1"\nname = "a"\nwatch = "table"\n'
    )
    with pytest.raises(UsageError, match=r"monitoring\.toml: alarms\.0\.watches"):
        load_scenario(str(tmp_path), all_seeders())
