"""RDS as AWS answers it: a read replica's DescribeDBInstances in botocore's shape."""

from __future__ import annotations

from tests.sandbox.shapes import response_problems


def test_read_replica_is_described_in_the_shape_with_backups_disabled(sandbox):
    """AWS "creates read replicas with backups disabled" (botocore's rds model,
    CreateDBInstanceReadReplica): the replica answers BackupRetentionPeriod 0 and names its
    source, which names it back."""
    rds = sandbox.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="not-a-real-password",
        BackupRetentionPeriod=7,
    )
    rds.create_db_instance_read_replica(
        DBInstanceIdentifier="orders-read", SourceDBInstanceIdentifier="orders"
    )

    answer = rds.describe_db_instances()

    assert response_problems("rds", "DescribeDBInstances", answer) == []
    by_id = {i["DBInstanceIdentifier"]: i for i in answer["DBInstances"]}
    replica, source = by_id["orders-read"], by_id["orders"]
    assert (replica["BackupRetentionPeriod"], source["BackupRetentionPeriod"]) == (0, 7)
    assert replica["ReadReplicaSourceDBInstanceIdentifier"] == "orders"
    assert source["ReadReplicaDBInstanceIdentifiers"] == ["orders-read"]
