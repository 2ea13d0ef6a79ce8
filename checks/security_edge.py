"""Security of the load balancers: encrypted listeners, access logs, current certificates, WAF."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from wa_audit.checks._findings import verdict
from wa_audit.context import CheckContext
from wa_audit.facts import acm, cloudfront, elbv2, wafv2
from wa_audit.models import GLOBAL_REGION, Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural

OUTDATED_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")
"""Protocols AWS recommends against (ELB User Guide, "Security policies": use a TLS13 policy)."""


def _listener_finding(
    ctx: CheckContext, listener: elbv2.Listener, name: str, policies: dict[str, tuple[str, ...]]
) -> Finding | None:
    where = f"{listener.protocol}:{listener.port} listener of {name}"
    evidence = {"protocol": listener.protocol, "port": listener.port}
    if listener.protocol == "HTTP":
        return verdict(
            ctx,
            listener.arn,
            listener.redirects_to_https,
            f"The {where} redirects to HTTPS.",
            f"The {where} serves plain HTTP instead of redirecting to HTTPS.",
            evidence | {"default_actions": [a.type for a in listener.default_actions]},
        )
    if listener.protocol not in ("HTTPS", "TLS"):
        return None  # TCP, UDP, GENEVE: the payload may be encrypted end to end; unknowable here
    policy = listener.ssl_policy or ""
    evidence |= {"ssl_policy": policy}
    if policy not in policies:
        return ctx.warned(
            listener.arn,
            f"The {where} uses security policy {policy!r}, which DescribeSSLPolicies does not list.",
            evidence=evidence,
        )
    outdated = [p for p in policies[policy] if p in OUTDATED_PROTOCOLS]
    return verdict(
        ctx,
        listener.arn,
        not outdated,
        f"The {where} uses {policy} ({', '.join(policies[policy])}).",
        f"The {where} uses {policy}, which still accepts {', '.join(outdated)}.",
        evidence | {"ssl_protocols": list(policies[policy])},
    )


@check(
    id="sec.elb-https",
    pillar=Pillar.SECURITY,
    title="Load balancer listeners encrypt traffic with current TLS",
    fail_title="Load balancer listeners accept plain HTTP or outdated TLS",
    severity=Severity.HIGH,
    best_practices=["SEC09-BP02"],
    remediation=(
        "Make HTTP listeners redirect to HTTPS (a redirect action with protocol HTTPS, 301), and "
        "give HTTPS/TLS listeners a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06."
    ),
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    facts=[elbv2.load_balancers, elbv2.listeners, elbv2.ssl_policies],
    regional=True,
)
def elb_https(ctx: CheckContext) -> Iterator[Finding]:
    """Per HTTP, HTTPS and TLS listener; a policy's protocols come from DescribeSSLPolicies."""
    names = {b.arn: b.label for b in ctx.fact(elbv2.load_balancers)}
    policies = ctx.fact(elbv2.ssl_policies)
    for listener in ctx.fact(elbv2.listeners):
        name = names.get(listener.load_balancer_arn, listener.load_balancer_arn)
        finding = _listener_finding(ctx, listener, name, policies)
        if finding is not None:
            yield finding


@check(
    id="sec.elb-access-logs",
    pillar=Pillar.SECURITY,
    title="Load balancers write access logs",
    fail_title="Load balancers keep no access logs",
    severity=Severity.MEDIUM,
    best_practices=["SEC04-BP01", "OPS08-BP02"],
    remediation="Turn on access logs (attribute access_logs.s3.enabled) to an S3 bucket.",
    docs_url="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
    facts=[elbv2.load_balancers, elbv2.attributes],
    regional=True,
)
def elb_access_logs(ctx: CheckContext) -> Iterator[Finding]:
    """ALBs and NLBs; gateway load balancers have no access logs."""
    attributes = ctx.fact(elbv2.attributes)
    for balancer in ctx.fact(elbv2.load_balancers):
        if balancer.type == "gateway":
            continue
        own = attributes.get(balancer.arn, {})
        bucket = own.get("access_logs.s3.bucket") or None
        yield verdict(
            ctx,
            balancer.arn,
            own.get("access_logs.s3.enabled") == "true",
            f"{balancer.label} writes access logs to S3 bucket {bucket}.",
            f"{balancer.label} keeps no access logs: requests to it leave no record.",
            {"access_logs.s3.enabled": own.get("access_logs.s3.enabled"), "bucket": bucket},
        )


class CertificateParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_days_to_expiry: int = Field(default=30, ge=1, le=395)


def _certificate_problem(certificate: acm.Certificate, days: int | None, minimum: int) -> str:
    """What is wrong with a certificate in use, or '' when nothing is."""
    if certificate.status == "REVOKED":
        return "is revoked"
    if certificate.status == "EXPIRED" or (days is not None and days < 0):
        return "has expired"
    if certificate.renewal_status == "FAILED":
        return f"failed to renew ({certificate.renewal_failure or 'no reason given'})"
    if certificate.type == "AMAZON_ISSUED" and certificate.renewal_eligibility == "INELIGIBLE":
        return "is not eligible for ACM managed renewal"
    if days is not None and days < minimum:
        how = (
            "ACM cannot renew an imported certificate"
            if certificate.type == "IMPORTED"
            else "renewal has not completed"
        )
        return f"expires in {plural(days, 'day')} ({how})"
    return ""


@check(
    id="sec.acm-certificates",
    pillar=Pillar.SECURITY,
    title="Certificates in use renew before they expire",
    fail_title="Certificates in use are expiring or cannot renew",
    severity=Severity.HIGH,
    best_practices=["SEC09-BP01"],
    remediation=(
        "Replace imported certificates before they expire (or request ACM certificates, which "
        "renew themselves); fix the DNS validation records of certificates whose renewal failed."
    ),
    docs_url="https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html",
    facts=[acm.certificates],
    regional=True,
    params=CertificateParams,
)
def acm_certificates(ctx: CheckContext) -> Iterator[Finding]:
    """Certificates in use only: an unused one breaks nothing when it lapses."""
    minimum = ctx.params(CertificateParams).min_days_to_expiry
    for certificate in ctx.fact(acm.certificates):
        if not certificate.in_use:
            continue
        days = (certificate.not_after - ctx.now).days if certificate.not_after else None
        problem = _certificate_problem(certificate, days, minimum)
        evidence = {
            "type": certificate.type,
            "status": certificate.status,
            "days_to_expiry": days,
            "min_days_to_expiry": minimum,
            "renewal_eligibility": certificate.renewal_eligibility,
            "renewal_status": certificate.renewal_status,
            "in_use_by": list(certificate.in_use_by),
        }
        yield verdict(
            ctx,
            certificate.arn,
            not problem,
            f"Certificate for {certificate.domain} is valid"
            + (f" for {plural(days, 'more day')}." if days is not None else "."),
            f"Certificate for {certificate.domain}, in use, {problem}.",
            evidence,
        )


@check(
    id="sec.waf-public-endpoints",
    pillar=Pillar.SECURITY,
    title="Public web endpoints are behind AWS WAF",
    fail_title="Public web endpoints have no AWS WAF web ACL",
    severity=Severity.MEDIUM,
    best_practices=["SEC05-BP03"],
    remediation=(
        "Associate a web ACL (AWS managed rule groups at least) with each internet-facing "
        "Application Load Balancer and each CloudFront distribution."
    ),
    docs_url="https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html",
    facts=[elbv2.load_balancers, wafv2.regional_associations, cloudfront.distributions],
    regional=True,
)
def waf_public_endpoints(ctx: CheckContext) -> Iterator[Finding]:
    """Internet-facing ALBs per region; CloudFront distributions (global) with the first region."""
    protected = ctx.fact(wafv2.regional_associations)
    for balancer in ctx.fact(elbv2.load_balancers):
        if balancer.type != "application" or not balancer.internet_facing:
            continue
        acl = protected.get(balancer.arn)
        yield verdict(
            ctx,
            balancer.arn,
            acl is not None,
            f"Internet-facing {balancer.label} is protected by web ACL {acl}.",
            f"Internet-facing {balancer.label} has no AWS WAF web ACL.",
            {"web_acl": acl},
        )
    if ctx.region != ctx.regions[0]:
        return
    for distribution in ctx.fact(cloudfront.distributions):
        yield verdict(
            ctx,
            distribution.arn,
            bool(distribution.web_acl_id),
            f"CloudFront distribution {distribution.id} is protected by web ACL "
            f"{distribution.web_acl_id}.",
            f"CloudFront distribution {distribution.id} ({distribution.domain}) has no AWS WAF "
            "web ACL.",
            {"web_acl": distribution.web_acl_id or None},
            region=GLOBAL_REGION,
        )
