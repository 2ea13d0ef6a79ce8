"""The quota catalog: enough commonly hit quotas, valid codes, counters that exist, vCPU groups."""

from __future__ import annotations

import re

import pytest

from wa_audit.facts.quota_counters import COUNTERS
from wa_audit.quotas.catalog import load_catalog
from wa_audit.sandbox.extensions.servicequotas import known_quotas


def test_at_least_25_quotas_with_valid_unique_codes():
    catalog = load_catalog()
    assert len(catalog.quotas) >= 25
    assert all(re.fullmatch(r"L-[0-9A-F]{8}", entry.code) for entry in catalog.quotas)
    assert len({entry.key for entry in catalog.quotas}) == len(catalog.quotas)


def test_the_quotas_the_issue_names_are_there():
    keys = {entry.key for entry in load_catalog().quotas}
    assert {
        "ec2/L-1216C47A",
        "ec2/L-0263D0A3",
        "vpc/L-F678F1CE",
        "vpc/L-E79EC296",
        "vpc/L-FE5A380F",
        "iam/L-FE177D64",
        "rds/L-7B6409FD",
        "lambda/L-B99A9384",
        "lambda/L-2ACBD22F",
    } <= keys


def test_every_quota_has_a_known_counter_and_iam_alone_is_global():
    for entry in load_catalog().quotas:
        assert entry.counter in COUNTERS, entry.key
        assert entry.is_global is (entry.service == "iam"), entry.key


def test_catalog_and_sandbox_agree_on_names_and_scope():
    """Two copies of AWS's facts (ours and the double's): a typo in either shows up here."""
    known = known_quotas()
    for entry in load_catalog().quotas:
        quota = known[(entry.service, entry.code)]
        assert (quota.name, quota.global_quota) == (entry.name, entry.is_global), entry.key


def test_vcpu_metrics_name_their_on_demand_class():
    for entry in load_catalog().quotas:
        if entry.metric is not None:
            assert entry.metric.dimensions["Resource"] == "vCPU"
            assert entry.metric.dimensions["Class"].endswith("/OnDemand")


@pytest.mark.parametrize(
    ("instance_type", "group"),
    [
        ("m5.large", "standard"),
        ("t3.micro", "standard"),
        ("im4gn.large", "standard"),
        ("is4gen.xlarge", "standard"),
        ("inf2.xlarge", "inf"),
        ("g5.xlarge", "g"),
        ("vt1.3xlarge", "g"),
        ("gr6.4xlarge", "g"),
        ("p4d.24xlarge", "p"),
        ("x2idn.16xlarge", "x"),
        ("u-6tb1.metal", "high_memory"),
        ("u7i-12tb.224xlarge", "high_memory"),
        ("dl1.24xlarge", "dl"),
        ("trn1.2xlarge", "trn"),
        ("hpc7g.4xlarge", "hpc"),
        ("f1.2xlarge", "f"),
        ("mac2.metal", None),
    ],
)
def test_instance_types_fall_in_their_vcpu_group(instance_type, group):
    assert load_catalog().family_group(instance_type) == group
