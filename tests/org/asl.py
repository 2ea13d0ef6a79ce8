"""Reading the shipped state machine as Step Functions would, far enough to run it locally: its
states, JSONPath references and the intrinsics it uses, and Choice rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "aws"
DEFINITION: dict[str, Any] = json.loads((DEPLOY / "state-machine.asl.json").read_text())
ECS_RUN_TASK = "arn:aws:states:::ecs:runTask.sync"


def states(machine: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = machine["States"]
    return found


def machines(machine: dict[str, Any]) -> list[dict[str, Any]]:
    """The machine and the item processors of its Map states."""
    found = [machine]
    for state in states(machine).values():
        if "ItemProcessor" in state:
            found += machines(state["ItemProcessor"])
    return found


def path_value(path: str, data: dict[str, Any], context: dict[str, Any]) -> Any:
    """``$.a.b`` in the state's input, ``$$.a.b`` in the context object."""
    source, rest = (context, path[3:]) if path.startswith("$$.") else (data, path[2:])
    value: Any = source
    for key in rest.split("."):
        value = value[key]
    return value


_TOKEN = re.compile(r"\s*(States\.\w+\(|'((?:[^'\\]|\\.)*)'|(\$\$?(?:\.\w+)+)|\)|,)")


def evaluate(expression: str, data: dict[str, Any], context: dict[str, Any]) -> Any:
    """A ``.$`` value: a path, or the intrinsics the definition uses (States.Array, Format)."""
    if not expression.startswith("States."):
        return path_value(expression, data, context)
    tokens = list(_TOKEN.finditer(expression))
    position = 0

    def value() -> Any:
        nonlocal position
        token = tokens[position]
        position += 1
        if token.group(2) is not None:
            return token.group(2)
        if token.group(3) is not None:
            return path_value(token.group(3), data, context)
        function = token.group(1)[:-1]
        args = []
        while tokens[position].group(1) != ")":
            args.append(value())
            if tokens[position].group(1) == ",":
                position += 1
        position += 1
        if function == "States.Array":
            return args
        if function == "States.Format":
            template, *rest = args
            return template.replace("{}", "%s") % tuple(rest)
        raise AssertionError(f"unknown intrinsic {function}")

    return value()


def resolve(template: Any, data: dict[str, Any], context: dict[str, Any]) -> Any:
    """Parameters or ItemSelector with every ``key.$`` replaced by its value."""
    if isinstance(template, list):
        return [resolve(item, data, context) for item in template]
    if not isinstance(template, dict):
        return template
    resolved = {}
    for key, value in template.items():
        if key.endswith(".$"):
            resolved[key[:-2]] = evaluate(value, data, context)
        else:
            resolved[key] = resolve(value, data, context)
    return resolved


def _rule_holds(rule: dict[str, Any], data: dict[str, Any]) -> bool:
    if "Not" in rule:
        return not _rule_holds(rule["Not"], data)
    value = path_value(rule["Variable"], data, {})
    if "StringEquals" in rule:
        return isinstance(value, str) and value == rule["StringEquals"]
    if "BooleanEquals" in rule:
        return isinstance(value, bool) and value is rule["BooleanEquals"]
    raise AssertionError(f"unsupported Choice rule {rule}")


def choose(state: dict[str, Any], data: dict[str, Any]) -> str:
    """The state a Choice state goes to next."""
    for rule in state["Choices"]:
        if _rule_holds(rule, data):
            return str(rule["Next"])
    return str(state["Default"])


def container(state: dict[str, Any], data: dict[str, Any], context: dict[str, Any]) -> Any:
    """The one container override of an ECS task state, resolved: Name, Command, Environment."""
    parameters = resolve(state["Parameters"], data, context)
    [override] = parameters["Overrides"]["ContainerOverrides"]
    return override
