"""Check a response against botocore's output shape: what AWS's SDKs expect, member by member.

botocore parses what it understands and silently drops the rest, so a sandbox answer can look fine
to a client and still be wrong. :func:`response_problems` checks the parsed dict (required members,
no unknown members, leaf types, enum values); :func:`wire_problems` checks the JSON body as sent,
where a misspelled member is still visible (the parser drops it before the parsed dict exists).
Use :func:`capture_wire` to keep the bodies a client received.

Both return a list of problems, empty when the response fits: ``assert not response_problems(...)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

import botocore.session
from botocore.model import (
    ListShape,
    MapShape,
    ServiceModel,
    Shape,
    StringShape,
    StructureShape,
)

# Members that live outside a JSON body (REST protocols put them in headers or the status line).
_OUTSIDE_BODY = frozenset({"header", "headers", "statusCode"})
_PARSED_ONLY = frozenset({"ResponseMetadata"})


@cache
def _service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def output_shape(service: str, operation: str) -> StructureShape | None:
    shape = _service_model(service).operation_model(operation).output_shape
    return shape if isinstance(shape, StructureShape) else None


def response_problems(service: str, operation: str, response: Mapping[str, Any]) -> list[str]:
    """Problems of a response as boto3 returned it (``ResponseMetadata`` is ignored)."""
    shape = output_shape(service, operation)
    body = {k: v for k, v in response.items() if k not in _PARSED_ONLY}
    if shape is None:
        return [f"{operation} has no output, got members {sorted(body)}"] if body else []
    return list(_Validator(wire=False).structure(shape, body, operation))


def wire_problems(service: str, operation: str, body: bytes | str) -> list[str]:
    """Problems of a JSON-protocol body as it crossed the wire (member names as serialized)."""
    protocol = _service_model(service).protocol
    if protocol not in ("json", "rest-json"):
        raise ValueError(f"{service} speaks {protocol}; wire_problems checks JSON bodies only")
    shape = output_shape(service, operation)
    document = json.loads(body or b"{}")
    if shape is None:
        return [f"{operation} has no output, got {document!r}"] if document else []
    payload = shape.serialization.get("payload")
    if payload:
        return list(_Validator(wire=True).value(shape.members[payload], document, payload))
    return list(_Validator(wire=True).structure(shape, document, operation))


@contextmanager
def capture_wire(client: Any) -> Iterator[dict[str, bytes]]:
    """The raw body of each operation the client calls inside the block, by operation name."""
    bodies: dict[str, bytes] = {}

    def keep(http_response: Any, model: Any, **_: Any) -> None:
        bodies[model.name] = http_response.content

    client.meta.events.register("after-call", keep)
    try:
        yield bodies
    finally:
        client.meta.events.unregister("after-call", keep)


class _Validator:
    """Walks a value and its shape together; ``wire`` switches names and leaf encodings."""

    def __init__(self, wire: bool) -> None:
        self.wire = wire

    def value(self, shape: Shape, value: Any, path: str) -> Iterator[str]:
        if isinstance(shape, StructureShape):
            if shape.metadata.get("document"):
                return
            yield from self.structure(shape, value, path)
        elif isinstance(shape, ListShape):
            if not isinstance(value, list):
                yield f"{path}: expected a list ({shape.name}), got {type(value).__name__}"
                return
            for index, item in enumerate(value):
                yield from self.value(shape.member, item, f"{path}[{index}]")
        elif isinstance(shape, MapShape):
            if not isinstance(value, dict):
                yield f"{path}: expected a map ({shape.name}), got {type(value).__name__}"
                return
            for key, item in value.items():
                yield from self.value(shape.key, key, f"{path} key {key!r}")
                yield from self.value(shape.value, item, f"{path}[{key!r}]")
        else:
            yield from self.scalar(shape, value, path)

    def structure(self, shape: StructureShape, value: Any, path: str) -> Iterator[str]:
        if not isinstance(value, dict):
            yield f"{path}: expected a structure ({shape.name}), got {type(value).__name__}"
            return
        members = {
            self._name(name, member): (name, member) for name, member in shape.members.items()
        }
        if self.wire:
            members = {k: v for k, v in members.items() if not self._outside_body(v[1])}
        for key in value:
            if key not in members:
                yield f"{path}: unknown member {key!r} (not in {shape.name})"
        for key, (name, member) in members.items():
            if key in value:
                yield from self.value(member, value[key], f"{path}.{key}")
            elif name in shape.required_members:
                yield f"{path}: missing required member {key!r}"
        if shape.metadata.get("union") and len(value) != 1:
            yield f"{path}: a union ({shape.name}) must set exactly one member, got {sorted(value)}"

    def scalar(self, shape: Shape, value: Any, path: str) -> Iterator[str]:
        kind = shape.type_name
        expected = self._leaf_types(kind)
        if expected is None:
            yield f"{path}: shape type {kind!r} is not supported by this validator"
        elif not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
            yield f"{path}: expected {kind}, got {type(value).__name__} {value!r}"
        elif isinstance(shape, StringShape) and shape.enum and value not in shape.enum:
            yield f"{path}: {value!r} is not one of {shape.name}'s values {shape.enum}"

    def _leaf_types(self, kind: str) -> tuple[type, ...] | None:
        if kind == "timestamp":
            return (int, float, str) if self.wire else (datetime,)
        if kind == "blob":
            return (str,) if self.wire else (bytes, bytearray)
        return {
            "string": (str,),
            "boolean": (bool,),
            "integer": (int,),
            "long": (int,),
            "float": (int, float),
            "double": (int, float),
        }.get(kind)

    def _name(self, name: str, member: Shape) -> str:
        if not self.wire:
            return name
        return str(member.serialization.get("name", name))

    @staticmethod
    def _outside_body(member: Shape) -> bool:
        return member.serialization.get("location") in _OUTSIDE_BODY
