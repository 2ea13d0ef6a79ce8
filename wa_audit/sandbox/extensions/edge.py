"""Edge services where moto's answers differ from AWS's: CloudFront origins, ACM use, WAF lists.

- CloudFront: moto drops an origin's ``S3OriginConfig`` and ``OriginAccessControlId``; AWS
  returns them in ListDistributions and GetDistributionConfig (botocore's cloudfront model,
  ``Origin``). The sandbox keeps what the request said on moto's origin after it is created.
- ACM: moto marks a certificate in use only for classic load balancers; AWS's ``InUse`` and
  ``InUseBy`` also name ALB/NLB listeners and CloudFront distributions (ACM User Guide,
  "Certificates in use"). The sandbox refreshes them from moto's listeners and distributions.
- WAFv2: moto lacks ListResourcesForWebACL; the sandbox answers it from moto's associations.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

cloudfront = Handlers(service="cloudfront", signing_name="cloudfront")
acm = Handlers(service="acm", signing_name="acm")
wafv2 = Handlers(service="wafv2", signing_name="wafv2")

CLOUDFRONT_NS = "{http://cloudfront.amazonaws.com/doc/2020-05-31/}"
ALB_MARKER = ":loadbalancer/app/"
REFRESHED_USERS = re.compile(r":(loadbalancer|listener)/(app|net|gwy)/|:cloudfront::")
"""Users the sandbox recomputes (moto names ALB listeners, AWS their load balancer); moto's
classic load balancers are kept."""


def _requested_origins(body: bytes) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(body)  # noqa: S314 (botocore-serialised, over loopback)
    origins = root.iter(f"{CLOUDFRONT_NS}Origin")
    return {o.findtext(f"{CLOUDFRONT_NS}Id", ""): o for o in origins}


def _keep_origin_access(request: AwsRequest, state: SandboxState) -> Response:
    """Moto's own answer to the write (without the access settings); later reads show them."""
    response = request.forward()
    if response.status_code not in (200, 201):
        return response
    from moto.cloudfront.models import cloudfront_backends

    answer = ElementTree.fromstring(response.get_data())  # noqa: S314 (moto's own answer)
    distribution_id = answer.findtext(f"{CLOUDFRONT_NS}Id", "")
    distribution = cloudfront_backends[request.account_id]["global"].distributions[distribution_id]
    requested = _requested_origins(request.body)
    config: Any = distribution.distribution_config  # moto sets its members from the request
    for origin in config.Origins["Items"]:
        spec = requested.get(origin.id)
        if spec is None:
            continue
        origin.origin_access_control_id = spec.findtext(f"{CLOUDFRONT_NS}OriginAccessControlId")
        s3 = spec.find(f"{CLOUDFRONT_NS}S3OriginConfig")
        if s3 is not None:
            identity = s3.findtext(f"{CLOUDFRONT_NS}OriginAccessIdentity", "")
            origin.s3_origin_config = {"OriginAccessIdentity": identity}
    return response


for _operation in ("CreateDistribution", "CreateDistributionWithTags", "UpdateDistribution"):
    cloudfront.operation(_operation)(_keep_origin_access)


def _refresh_in_use(account_id: str, region: str) -> None:
    from moto.acm.models import acm_backends
    from moto.cloudfront.models import cloudfront_backends
    from moto.elbv2.models import elbv2_backends

    users: dict[str, list[str]] = {}
    for balancer in elbv2_backends[account_id][region].load_balancers.values():
        for listener in balancer.listeners.values():
            for certificate in listener.certificates:
                arn = certificate if isinstance(certificate, str) else certificate["CertificateArn"]
                users.setdefault(arn, []).append(balancer.arn)
    if region == "us-east-1":  # CloudFront uses certificates from us-east-1 only
        for distribution in cloudfront_backends[account_id]["global"].distributions.values():
            config: Any = distribution.distribution_config
            arn = config.ViewerCertificate.acm_certificate_arn
            if arn:
                users.setdefault(arn, []).append(distribution.arn)
    for arn, bundle in acm_backends[account_id][region]._certificates.items():
        known = [u for u in bundle.in_use_by if not REFRESHED_USERS.search(u)]
        bundle.in_use_by = sorted(set(known) | set(users.get(arn, [])))


def _with_current_use(request: AwsRequest, state: SandboxState) -> Response:
    _refresh_in_use(request.account_id, request.region)
    return request.forward()


acm.operation("ListCertificates")(_with_current_use)
acm.operation("DescribeCertificate")(_with_current_use)


@wafv2.operation("ListResourcesForWebACL")
def list_resources_for_web_acl(request: AwsRequest, state: SandboxState) -> Response:
    from moto.wafv2.models import wafv2_backends

    params: dict[str, Any] = request.json()
    acl = wafv2_backends[request.account_id][request.region].wacls.get(params["WebACLArn"])
    if acl is None:
        return error_response(
            request, "WAFNonexistentItemException", "AWS WAF couldn't retrieve the resource."
        )
    kind = params.get("ResourceType", "APPLICATION_LOAD_BALANCER")
    marker = ALB_MARKER if kind == "APPLICATION_LOAD_BALANCER" else ":apigateway:"
    arns = [arn for arn in acl.associated_resources if marker in arn]
    return json_response({"ResourceArns": arns})
