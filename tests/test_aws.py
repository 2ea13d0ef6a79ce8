"""The session's clients against a local endpoint: S3 Control reaches it without a host label."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sandbox.shapes import response_problems
from wa_audit.aws import AwsSession, keep_host_labels_off_local_endpoint

ACCOUNT = "123456789012"
SETTINGS = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": False,
}


def _sent_urls(client) -> list[str]:
    urls: list[str] = []
    client.meta.events.register("before-send", lambda request, **_: urls.append(request.url))
    return urls


def test_s3control_reaches_a_loopback_endpoint_and_gets_aws_shapes(sandbox):
    client = AwsSession().client("s3control", "us-east-1")
    sent = _sent_urls(client)
    with pytest.raises(ClientError) as raised:
        client.get_public_access_block(AccountId=ACCOUNT)
    assert raised.value.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"

    client.put_public_access_block(AccountId=ACCOUNT, PublicAccessBlockConfiguration=SETTINGS)
    response = client.get_public_access_block(AccountId=ACCOUNT)
    assert response["PublicAccessBlockConfiguration"] == SETTINGS
    assert response_problems("s3control", "GetPublicAccessBlock", response) == []
    assert all(url.startswith(sandbox.url + "/v20180820/") for url in sent), sent


def test_without_the_fix_botocore_would_prefix_the_account_id(sandbox):
    import boto3

    client = boto3.client("s3control", region_name="us-east-1", endpoint_url=sandbox.url)
    client.meta.events.register("before-send", lambda request, **_: _raise_with(request.url))
    with pytest.raises(_Sent) as sent:
        client.get_public_access_block(AccountId=ACCOUNT)
    assert str(sent.value).startswith(f"http://{ACCOUNT}.127.0.0.1:")


def test_named_endpoints_keep_their_labels():
    import boto3

    client = boto3.client(
        "s3control",
        region_name="us-east-1",
        endpoint_url="https://s3-control.us-east-1.amazonaws.com",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    keep_host_labels_off_local_endpoint(client)
    client.meta.events.register("before-send", lambda request, **_: _raise_with(request.url))
    with pytest.raises(_Sent) as sent:
        client.get_public_access_block(AccountId=ACCOUNT)
    assert str(sent.value).startswith(f"https://{ACCOUNT}.s3-control.us-east-1.amazonaws.com/")


class _Sent(Exception):
    """Stops a request at the wire, carrying the URL it would have gone to."""


def _raise_with(url: str) -> None:
    raise _Sent(url)
