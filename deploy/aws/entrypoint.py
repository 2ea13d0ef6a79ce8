"""A container task around wa-audit: fetch inputs from S3, run one command, put results to S3.

wa-audit itself stays read-only; copying its files to and from the results bucket is this
wrapper's job, with the task role's own credentials. Environment:

- ``INPUT_S3_URI``    s3://bucket/prefix: before the command, everything there is fetched into
  ``/tmp/results`` (the per-account results that ``merge`` reads, so its links stay relative).
- ``RESULTS_S3_URI``  s3://bucket/prefix: after the command, every file of ``/tmp/results`` that
  the command wrote or changed goes there (the audit's ``--output-dir``).

Exit status: wa-audit's 0, 1 (findings) and 3 (partial) are results, not task failures, so they
exit 0 and the fan-out goes on; 2 (usage) and 4 (credentials) fail the task with wa-audit's code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import boto3

RESULTS_DIR = Path("/tmp/results")  # noqa: S108 (the task's own scratch space)
RESULT_CODES = frozenset({0, 1, 3})


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"{uri!r} is not an s3:// URI")
    bucket, _, prefix = uri[len("s3://") :].partition("/")
    return bucket, prefix.strip("/")


def download(uri: str, target: Path) -> int:
    bucket, prefix = split_s3_uri(uri)
    s3 = boto3.client("s3")
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            relative = item["Key"][len(prefix) :].lstrip("/")
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(path))
            count += 1
    return count


def snapshot(folder: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


def upload(source: Path, uri: str, unchanged: dict[Path, float] | None = None) -> int:
    """Every file under ``source`` except those still as ``unchanged`` recorded them."""
    bucket, prefix = split_s3_uri(uri)
    s3 = boto3.client("s3")
    count = 0
    before = unchanged or {}
    for path, mtime in sorted(snapshot(source).items()):
        if before.get(path) == mtime:
            continue
        key = "/".join(part for part in (prefix, path.relative_to(source).as_posix()) if part)
        s3.upload_file(str(path), bucket, key)
        count += 1
    return count


def task_status(wa_audit_code: int) -> int:
    return 0 if wa_audit_code in RESULT_CODES else wa_audit_code


def main(argv: list[str]) -> int:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ.get("INPUT_S3_URI"):
        download(os.environ["INPUT_S3_URI"], RESULTS_DIR)
    fetched = snapshot(RESULTS_DIR)
    code = subprocess.call(["wa-audit", *argv])  # noqa: S603, S607 (our own CLI, args from the task)
    if os.environ.get("RESULTS_S3_URI"):
        upload(RESULTS_DIR, os.environ["RESULTS_S3_URI"], unchanged=fetched)
    return task_status(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
