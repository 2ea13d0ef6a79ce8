"""The config file: strict keys, typed values, one-line errors naming the key."""

from __future__ import annotations

import pytest

from wa_audit.config import Config, load_config
from wa_audit.errors import ConfigError
from wa_audit.models import Severity
from wa_audit.registry import discover
from wa_audit.runner import resolve_params


def test_valid_config_loads(tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text(
        'regions = ["eu-west-1"]\nfail_on = "critical"\n'
        'skip_checks = ["sec.root-mfa"]\nworkers = 4\n'
    )
    config = load_config(path)
    assert config.regions == ("eu-west-1",)
    assert config.fail_on is Severity.CRITICAL
    assert config.workers == 4


def test_wrong_type_names_the_key(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("workers = 'many'\n")
    with pytest.raises(ConfigError, match=r"bad value for 'workers'"):
        load_config(path)


def test_invalid_toml_is_one_line(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("regions = [\n")
    with pytest.raises(ConfigError, match="not valid TOML") as error:
        load_config(path)
    assert "\n" not in str(error.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.toml")


def test_default_file_is_optional(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None) == Config()


def test_params_for_unknown_check_suggest_closest():
    checks = discover()
    with pytest.raises(ConfigError, match=r"did you mean 'sec\.root-mfa'"):
        resolve_params(checks, [c.id for c in checks], {"sec.root-mf": {}})


def test_params_for_check_without_parameters():
    checks = [c for c in discover() if c.id == "sec.root-mfa"]
    with pytest.raises(ConfigError, match="takes no parameters"):
        resolve_params(checks, ["sec.root-mfa"], {"sec.root-mfa": {"days": 3}})
