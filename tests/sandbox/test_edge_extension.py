"""The edge extension: CloudFront keeps an origin's access settings, ACM names the load balancers
and distributions using a certificate, WAFv2 answers ListResourcesForWebACL in botocore's shapes."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.checks.edge_sandbox import (
    balancer,
    certificate,
    distribution,
    modern_viewer,
    s3_origin,
    web_acl,
)
from tests.sandbox.shapes import capture_wire, response_problems, wire_problems


def test_origin_access_certificate_use_and_web_acl_resources(sandbox):
    created = distribution(
        sandbox, [s3_origin("assets", "E2QWRUHEXAMPLE")], **modern_viewer(sandbox)
    )
    config = sandbox.client("cloudfront").get_distribution_config(Id=created["Id"])
    [origin] = config["DistributionConfig"]["Origins"]["Items"]
    assert origin["OriginAccessControlId"] == "E2QWRUHEXAMPLE"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    [listed] = sandbox.client("cloudfront").list_distributions()["DistributionList"]["Items"]
    assert listed["Origins"]["Items"][0]["OriginAccessControlId"] == "E2QWRUHEXAMPLE"

    arn, group = balancer(sandbox)
    served = certificate(sandbox, "api.example.com", 100)
    sandbox.client("elbv2").create_listener(
        LoadBalancerArn=arn,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": served}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )
    acm = sandbox.client("acm")
    described = acm.describe_certificate(CertificateArn=served)["Certificate"]
    assert described["InUseBy"] == [arn]
    viewer = config["DistributionConfig"]["ViewerCertificate"]["ACMCertificateArn"]
    assert acm.describe_certificate(CertificateArn=viewer)["Certificate"]["InUseBy"] == [
        created["ARN"]
    ]

    wafv2 = sandbox.client("wafv2")
    acl = web_acl(sandbox, "web")
    wafv2.associate_web_acl(WebACLArn=acl, ResourceArn=arn)
    with capture_wire(wafv2) as bodies:
        listed_arns = wafv2.list_resources_for_web_acl(
            WebACLArn=acl, ResourceType="APPLICATION_LOAD_BALANCER"
        )
    assert listed_arns["ResourceArns"] == [arn]
    assert response_problems("wafv2", "ListResourcesForWebACL", listed_arns) == []
    assert wire_problems("wafv2", "ListResourcesForWebACL", bodies["ListResourcesForWebACL"]) == []
    with pytest.raises(ClientError) as raised:
        wafv2.list_resources_for_web_acl(WebACLArn=acl.replace("/web/", "/gone/"))
    assert raised.value.response["Error"]["Code"] == "WAFNonexistentItemException"
