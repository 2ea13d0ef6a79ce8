"""rel.elasticache-failover, rel.elasticache-backups, sec.elasticache-encryption,
perf.elasticache-node-generation: a compliant and a non-compliant cache in the sandbox, and
ERROR naming the action when the read is denied."""

from __future__ import annotations

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import run_on_facts
from wa_audit.checks.security_databases import elasticache_encryption
from wa_audit.facts import elasticache
from wa_audit.models import Status
from wa_audit.sandbox.seeders.databases import Cache, DatabasesSection

REGION = "us-east-1"
ACCOUNT = "123456789012"
GROUP_ARN = f"arn:aws:elasticache:{REGION}:{ACCOUNT}:replicationgroup:sessions"
NODE_ARN = f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:sessions-node"
CHECKS = (
    "rel.elasticache-failover",
    "rel.elasticache-backups",
    "sec.elasticache-encryption",
    "perf.elasticache-node-generation",
)
GOOD = Cache(
    region=REGION,
    id="sessions",
    engine="valkey",
    node_type="cache.r7g.large",
    replicas=2,
    automatic_failover=True,
    multi_az=True,
    at_rest_encryption=True,
    transit_encryption=True,
    snapshot_retention_days=7,
)
BAD_GROUP = Cache(region=REGION, id="sessions", node_type="cache.m3.medium", replicas=1)
BAD_NODE = Cache(region=REGION, id="sessions-node", node_type="cache.t2.small")


def _verdicts(sandbox, *caches: Cache):
    sandbox.seed_section("databases", DatabasesSection(caches=caches))
    findings = audit(CHECKS, (REGION,)).findings
    return {(f.check_id, f.resource): f for f in findings}


def test_a_replicated_encrypted_current_cache_passes_everything(sandbox):
    found = _verdicts(sandbox, GOOD)
    assert {key: f.status for key, f in found.items()} == {
        (check_id, GROUP_ARN): Status.PASS for check_id in CHECKS
    }
    assert found["rel.elasticache-failover", GROUP_ARN].best_practices == (
        "REL10-BP01",
        "REL11-BP02",
    )
    assert found["rel.elasticache-backups", GROUP_ARN].best_practices == (
        "REL09-BP01",
        "REL09-BP03",
    )
    assert found["sec.elasticache-encryption", GROUP_ARN].best_practices == (
        "SEC08-BP02",
        "SEC09-BP02",
    )
    assert found["perf.elasticache-node-generation", GROUP_ARN].best_practices == (
        "PERF05-BP06",
        "PERF03-BP02",
        "SUS06-BP03",
    )


def test_a_hand_grown_replica_and_a_lone_node_fail_everything(sandbox):
    found = _verdicts(sandbox, BAD_GROUP, BAD_NODE)
    assert {key: f.status for key, f in found.items()} == {
        (check_id, arn): Status.FAIL for check_id in CHECKS for arn in (GROUP_ARN, NODE_ARN)
    }
    failover = found["rel.elasticache-failover", GROUP_ARN]
    assert "automatic failover disabled and Multi-AZ disabled" in failover.message
    assert "single node without replicas" in found["rel.elasticache-failover", NODE_ARN].message
    assert "no automatic snapshots" in found["rel.elasticache-backups", NODE_ARN].message
    encryption = found["sec.elasticache-encryption", GROUP_ARN]
    assert "not encrypted at rest or in transit" in encryption.message
    generation = found["perf.elasticache-node-generation", NODE_ARN]
    assert generation.evidence == {"class": "cache.t2.small", "suggested_family": "cache.t4g"}


def test_memcached_is_judged_on_transit_encryption_only(sandbox):
    """Memcached has no replicas, snapshots or encryption at rest: only TLS and nodes apply."""
    memcached = Cache(
        region=REGION,
        id="sessions-node",
        engine="memcached",
        node_type="cache.m7g.large",
        transit_encryption=True,
    )
    found = _verdicts(sandbox, memcached)
    assert {key: f.status for key, f in found.items()} == {
        ("sec.elasticache-encryption", NODE_ARN): Status.PASS,
        ("perf.elasticache-node-generation", NODE_ARN): Status.PASS,
        ("rel.elasticache-failover", f"{ACCOUNT}/{REGION}"): Status.NOT_APPLICABLE,
        ("rel.elasticache-backups", f"{ACCOUNT}/{REGION}"): Status.NOT_APPLICABLE,
    }
    assert found["sec.elasticache-encryption", NODE_ARN].message.endswith("encrypted in transit.")


def test_encrypted_at_rest_only_names_transit():
    group = elasticache.ReplicationGroup(
        id="g",
        arn="arn:g",
        engine="redis",
        node_type="cache.r7g.large",
        snapshot_retention_days=1,
        at_rest_encryption=True,
        transit_encryption=False,
        automatic_failover="enabled",
        multi_az="enabled",
        member_clusters=("g-001", "g-002"),
        cluster_mode=False,
    )
    facts = {elasticache.replication_groups: (group,), elasticache.cache_clusters: ()}
    [finding] = run_on_facts(elasticache_encryption, facts, region=REGION)
    assert (finding.status, finding.resource) == (Status.FAIL, "arn:g")
    assert finding.message == "Replication group g (redis) is not encrypted in transit."


def test_denied_describe_replication_groups_is_an_error(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["elasticache:DescribeReplicationGroups"])
    assert_errors_naming(
        audit(["rel.elasticache-failover"], (REGION,)).findings,
        "elasticache:DescribeReplicationGroups",
    )
