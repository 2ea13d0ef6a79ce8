"""S3 ``ListBuckets``: moto omits ``BucketRegion`` and cuts a page short without a token.

On AWS, a request with any parameter (``max-buckets``, ``continuation-token``, ``prefix``,
``bucket-region``) is paginated (10,000 buckets a page unless ``max-buckets`` says fewer) and names
each bucket's region; a bare request lists every bucket without regions. moto authorizes the call
first (so IAM denials stay real); the answer is then rebuilt from moto's in-process buckets.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.pagination import InvalidToken, page
from wa_audit.sandbox.protocol import AwsRequest, error_response
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import edit_xml_response

handlers = Handlers(service="s3", signing_name="s3")
PAGE_SIZE = 10_000
_PAGING_PARAMETERS = ("max-buckets", "continuation-token", "prefix", "bucket-region")


def moto_buckets(account_id: str) -> list[Any]:
    """moto's buckets of the account, sorted by name as AWS lists them."""
    from moto.s3.models import s3_backends

    return sorted(s3_backends[account_id]["aws"].buckets.values(), key=lambda b: b.name)


@handlers.operation("ListBuckets", iam_action="ListAllMyBuckets")
def list_buckets(request: AwsRequest, state: SandboxState) -> Response:
    response = request.forward()
    args = request.raw.args
    if response.status_code != 200 or not any(p in args for p in _PAGING_PARAMETERS):
        return response
    prefix, region = args.get("prefix"), args.get("bucket-region")
    buckets = [
        b
        for b in moto_buckets(request.account_id)
        if (prefix is None or b.name.startswith(prefix))
        and (region is None or b.region_name == region)
    ]
    try:
        chosen, token = page(
            buckets, args.get("continuation-token"), int(args.get("max-buckets", PAGE_SIZE))
        )
    except (InvalidToken, ValueError):
        return error_response(request, "InvalidArgument", "Invalid continuation token.")

    def rebuild(document: Any, namespace: str) -> None:
        from xml.etree import ElementTree

        tag = f"{{{namespace}}}" if namespace else ""
        listing = document.find(f"{tag}Buckets")
        if listing is None:
            listing = ElementTree.SubElement(document, f"{tag}Buckets")
        for old in list(listing):
            listing.remove(old)
        for bucket in chosen:
            entry = ElementTree.SubElement(listing, f"{tag}Bucket")
            for name, value in (
                ("Name", bucket.name),
                ("CreationDate", bucket.creation_date_ISO8601),
                ("BucketRegion", bucket.region_name),
            ):
                ElementTree.SubElement(entry, f"{tag}{name}").text = value
        for name, value in (("ContinuationToken", token), ("Prefix", prefix)):
            if value is not None:
                ElementTree.SubElement(document, f"{tag}{name}").text = value

    return edit_xml_response(response, rebuild)
