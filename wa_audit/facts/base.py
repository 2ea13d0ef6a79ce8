"""What a fact is: a named, typed AWS fetch that declares the IAM actions it needs.

Facts are the only code that calls AWS. Each is fetched at most once per account and region per run
by the :class:`~wa_audit.facts.store.FactStore`, however many checks read it. A fetch sees the store
only through :class:`FactReader`, so this module does not import the store that imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from botocore.exceptions import ClientError

from wa_audit.aws import AwsSession, Identity

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")


@dataclass(frozen=True, eq=False)
class Fact(Generic[T_co]):
    """A fetch of one kind of account data, global (fetched in the home region) or per region."""

    name: str
    regional: bool
    permissions: tuple[str, ...]
    fetch: Callable[[FetchContext], T_co]
    needs: tuple[Fact[Any], ...] = ()

    def __repr__(self) -> str:
        return f"Fact({self.name!r})"


def fact(
    name: str,
    *,
    regional: bool,
    permissions: tuple[str, ...] | list[str],
    needs: tuple[Fact[Any], ...] = (),
) -> Callable[[Callable[[FetchContext], T]], Fact[T]]:
    """Turn a fetch function into a :class:`Fact`.

    ``permissions`` are the IAM actions the fetch needs (``wa-audit policy`` is derived from them);
    ``needs`` are facts the fetch reads through ``ctx.get``, so their actions join the policy too.
    """

    def wrap(fetch: Callable[[FetchContext], T]) -> Fact[T]:
        return Fact(
            name=name, regional=regional, permissions=tuple(permissions), fetch=fetch, needs=needs
        )

    return wrap


def all_permissions(fact_: Fact[Any]) -> set[str]:
    actions = set(fact_.permissions)
    for dependency in fact_.needs:
        actions |= all_permissions(dependency)
    return actions


class FactReader(Protocol):
    """What a fetch needs of the store (:class:`~wa_audit.facts.store.FactStore` is one)."""

    @property
    def session(self) -> AwsSession: ...

    @property
    def identity(self) -> Identity: ...

    @property
    def now(self) -> datetime: ...

    def get(self, fact_: Fact[U], region: str) -> U: ...


class FetchContext:
    """What a fetch may use: clients for its region, and other facts through the store."""

    def __init__(self, store: FactReader, region: str) -> None:
        self._store = store
        self.region = region

    @property
    def account_id(self) -> str:
        return self._store.identity.account_id

    @property
    def partition(self) -> str:
        return self._store.identity.partition

    @property
    def now(self) -> datetime:
        """The run's start time, so a fetch's time window matches the checks' clock."""
        return self._store.now

    def client(self, service: str, region: str | None = None) -> Any:
        return self._store.session.client(service, region or self.region)

    def get(self, dependency: Fact[U]) -> U:
        """Another fact, for the same region when regional (raises FactUnavailable if it failed)."""
        return self._store.get(dependency, self.region)

    def paginate(
        self, service: str, operation: str, result_key: str, **params: Any
    ) -> Iterator[Any]:
        """Every item of ``result_key`` over all pages of ``operation``.

        A page without ``result_key`` is an empty page only where botocore's model lets AWS omit
        it; where the model requires it, its absence is a broken answer, raised as a KeyError.
        """
        client = self.client(service)
        output = client.meta.service_model.operation_model(
            client.meta.method_to_api_mapping[operation]
        ).output_shape
        required = result_key in (output.required_members if output is not None else ())
        for page in client.get_paginator(operation).paginate(**params):
            if required and result_key not in page:
                raise KeyError(result_key)
            yield from page.get(result_key, [])


def response_unless(
    absent_codes: Collection[str], call: Callable[..., dict[str, Any]], **params: Any
) -> dict[str, Any] | None:
    """``call(**params)``, or None when AWS answers with one of ``absent_codes``.

    Some APIs say "there is none" with an error (no password policy, not subscribed, not in an
    organization): that is a fact about the account, not a failure to fetch it.
    """
    try:
        return call(**params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in absent_codes:
            return None
        raise
