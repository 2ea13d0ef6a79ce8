"""Parsing of Lambda answers where AWS omits members moto always sends."""

from __future__ import annotations

from wa_audit.facts.awslambda import _function, _on_failure


def test_function_defaults_follow_the_lambda_model():
    """Architectures absent means x86_64 (the model's default); an image has no Runtime."""
    parsed = _function(
        {
            "FunctionName": "img",
            "FunctionArn": "arn:aws:lambda:us-east-1:1:function:img",
            "PackageType": "Image",
        }
    )
    assert (parsed.runtime, parsed.architectures, parsed.arm64) == (None, ("x86_64",), False)
    assert (parsed.tracing_mode, parsed.dead_letter_target, parsed.environment) == (None, None, {})


def test_undecryptable_environment_keeps_the_error_not_the_values():
    parsed = _function(
        {
            "FunctionName": "f",
            "FunctionArn": "arn:aws:lambda:us-east-1:1:function:f",
            "Runtime": "python3.13",
            "Environment": {"Error": {"ErrorCode": "KMSAccessDeniedException", "Message": "x"}},
        }
    )
    assert (parsed.environment, parsed.environment_error) == ({}, "KMSAccessDeniedException")


def test_on_failure_destination_only():
    assert _on_failure({"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:1:q"}}) is None
    assert _on_failure({"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:1:q"}}) == (
        "arn:aws:sqs:us-east-1:1:q"
    )
    assert _on_failure({}) is None
