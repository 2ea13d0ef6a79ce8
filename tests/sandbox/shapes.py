"""Check a parsed response against botocore's output shape: what AWS promises the caller.

botocore parses whatever comes back without complaint; this says what a real answer would never
contain (unknown members, wrong types, values outside an enum) or would always contain (required
members). Generic: any service, any operation.
"""

from __future__ import annotations

import datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from wa_audit.sandbox.protocol import service_model

_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (datetime.datetime,),
    "blob": (bytes, bytearray),
}


def problems(shape: Shape, value: Any, path: str = "$") -> list[str]:
    """Every way ``value`` departs from ``shape``, as ``path: what`` lines (empty: it conforms)."""
    if isinstance(shape, StructureShape):
        return _structure(shape, value, path)
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        return [
            p for i, item in enumerate(value) for p in problems(shape.member, item, f"{path}[{i}]")
        ]
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        return [p for k, v in value.items() for p in problems(shape.value, v, f"{path}.{k}")]
    expected = _SCALARS.get(shape.type_name, (object,))
    if not isinstance(value, expected) or (
        shape.type_name != "boolean" and isinstance(value, bool)
    ):
        return [f"{path}: expected {shape.type_name}, got {type(value).__name__}"]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return [f"{path}: {value!r} is not one of {enum}"]
    return []


def _structure(shape: StructureShape, value: Any, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected a structure, got {type(value).__name__}"]
    found = [f"{path}.{name}: missing" for name in shape.required_members if name not in value]
    for name, member_value in value.items():
        if name == "ResponseMetadata" and path == "$":
            continue
        if name not in shape.members:
            found.append(f"{path}.{name}: not a member of {shape.name}")
            continue
        found.extend(problems(shape.members[name], member_value, f"{path}.{name}"))
    return found


def output_problems(service: str, operation: str, response: dict[str, Any]) -> list[str]:
    """The departures of a boto3 response from the operation's output shape."""
    output = service_model(service).operation_model(operation).output_shape
    assert output is not None, f"{service}:{operation} has no output"
    return problems(output, response)
