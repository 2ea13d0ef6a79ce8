"""The storage extensions answer in botocore's shapes: Glacier vault locks and access policies,
Macie off until enabled, AWS managed KMS keys, RDS-managed secrets rotating."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import capture_wire, response_problems, wire_problems

POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


def test_glacier_vault_lock_and_policy(sandbox):
    glacier = sandbox.client("glacier")
    glacier.create_vault(accountId="-", vaultName="dumps")
    for call in (glacier.get_vault_lock, glacier.get_vault_access_policy):
        with pytest.raises(ClientError) as raised:
            call(accountId="-", vaultName="dumps")
        assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    lock_id = glacier.initiate_vault_lock(
        accountId="-", vaultName="dumps", policy={"Policy": POLICY}
    )["lockId"]
    with capture_wire(glacier) as bodies:
        in_progress = glacier.get_vault_lock(accountId="-", vaultName="dumps")
    assert response_problems("glacier", "GetVaultLock", in_progress) == []
    assert wire_problems("glacier", "GetVaultLock", bodies["GetVaultLock"]) == []
    assert (in_progress["State"], in_progress["Policy"]) == ("InProgress", POLICY)
    assert in_progress["ExpirationDate"] > in_progress["CreationDate"]
    glacier.complete_vault_lock(accountId="-", vaultName="dumps", lockId=lock_id)
    locked = glacier.get_vault_lock(accountId="-", vaultName="dumps")
    assert locked["State"] == "Locked"
    assert "ExpirationDate" not in locked
    glacier.set_vault_access_policy(accountId="-", vaultName="dumps", policy={"Policy": POLICY})
    got = glacier.get_vault_access_policy(accountId="-", vaultName="dumps")
    assert response_problems("glacier", "GetVaultAccessPolicy", got) == []
    assert got["policy"] == {"Policy": POLICY}


def test_macie_is_off_until_enabled_and_discovery_is_per_region(sandbox):
    macie = sandbox.client("macie2", "eu-west-1")
    for call in (macie.get_macie_session, macie.get_automated_discovery_configuration):
        with pytest.raises(ClientError) as raised:
            call()
        error = raised.value.response["Error"]
        assert (error["Code"], error["Message"]) == (
            "AccessDeniedException",
            "Macie is not enabled.",
        )
    macie.enable_macie()
    assert macie.get_macie_session()["status"] == "ENABLED"
    with capture_wire(macie) as bodies:
        before = macie.get_automated_discovery_configuration()
        macie.update_automated_discovery_configuration(status="ENABLED")
        after = macie.get_automated_discovery_configuration()
    operation = "GetAutomatedDiscoveryConfiguration"
    assert response_problems("macie2", operation, after) == []
    assert wire_problems("macie2", operation, bodies[operation]) == []
    assert (before["status"], after["status"]) == ("DISABLED", "ENABLED")
    assert "firstEnabledAt" in after
    with pytest.raises(ClientError):
        sandbox.client("macie2", "us-east-1").get_macie_session()  # another region: still off


def test_aws_managed_keys_say_so(sandbox):
    kms = sandbox.client("kms")
    managed = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    own = kms.describe_key(KeyId=kms.create_key()["KeyMetadata"]["KeyId"])["KeyMetadata"]
    assert (managed["KeyManager"], own["KeyManager"]) == ("AWS", "CUSTOMER")
    assert response_problems("kms", "DescribeKey", {"KeyMetadata": managed}) == []


def test_rds_managed_secrets_rotate(sandbox):
    rds = sandbox.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin",
        ManageMasterUserPassword=True,
        AllocatedStorage=20,
    )
    manager = sandbox.client("secretsmanager")
    manager.create_secret(Name="own", SecretString="x")
    listed = {s["Name"].split("-")[0]: s for s in manager.list_secrets()["SecretList"]}
    assert listed["rds!db"]["RotationEnabled"] is True
    assert listed["rds!db"]["RotationRules"] == {"AutomaticallyAfterDays": 7}
    assert "RotationEnabled" not in listed["own"]  # never configured: AWS omits it
    described = manager.describe_secret(SecretId=listed["rds!db"]["ARN"])
    assert described["RotationEnabled"] is True
