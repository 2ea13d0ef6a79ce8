"""SNS: moto confirms every subscription at once; AWS waits for the endpoint's owner.

On AWS an ``email``, ``email-json``, ``http`` or ``https`` subscription stays pending until someone
follows the link the confirmation message carries, which calls ``ConfirmSubscription`` with a token.
Until then:

- ``Subscribe`` answers ``pending confirmation`` instead of the ARN (unless
  ``ReturnSubscriptionArn=true``);
- ``ListSubscriptions`` and ``ListSubscriptionsByTopic`` show ``SubscriptionArn`` as
  ``PendingConfirmation``;
- ``GetSubscriptionAttributes`` says ``PendingConfirmation`` ``true`` and
  ``ConfirmationWasAuthenticated`` ``false``.

``sqs``, ``lambda``, ``firehose``, ``application`` and ``sms`` subscriptions in the same account are
confirmed at once, as on AWS. The sandbox keeps, per account, each such subscription's confirmation
token (the message AWS would send: read it with :func:`confirmation_token`, as the endpoint's owner
reads the e-mail) and whether it was confirmed. Not modelled: cross-account subscriptions (pending on
AWS whatever the protocol), token expiry after two days, and AWS deleting subscriptions left
unconfirmed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response
from wa_audit.sandbox.state import SandboxState
from wa_audit.sandbox.xml_responses import Element, corrected, query_result

handlers = Handlers(service="sns", signing_name="sns")
_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/"

CONFIRMATION_PROTOCOLS = frozenset({"email", "email-json", "http", "https"})
PENDING_ARN = "PendingConfirmation"
"""What the list operations show instead of the ARN of an unconfirmed subscription."""
PENDING_SUBSCRIBE_ANSWER = "pending confirmation"
"""What ``Subscribe`` answers for one (AWS spells it differently from the list operations)."""


@dataclass
class Confirmations:
    """Subscriptions that needed confirmation: their tokens, and which are still pending."""

    tokens: dict[str, str] = field(default_factory=dict)  # subscription ARN → token
    pending: set[str] = field(default_factory=set)
    authenticated: set[str] = field(default_factory=set)

    def is_pending(self, subscription_arn: str) -> bool:
        return subscription_arn in self.pending


def confirmations(state: SandboxState, account_id: str) -> Confirmations:
    """Subscription ARNs carry their region, so one area per account keeps regions apart."""
    return state.area(account_id, "sns.confirmations", Confirmations)


def confirmation_token(state: SandboxState, account_id: str, subscription_arn: str) -> str | None:
    """The token AWS would have sent to the endpoint; None if the protocol needs no confirmation."""
    return confirmations(state, account_id).tokens.get(subscription_arn)


@handlers.operation("Subscribe")
def subscribe(request: AwsRequest, state: SandboxState) -> Response:
    form = request.form()
    known = confirmations(state, request.account_id)

    def correct(root: Element, namespace: str) -> None:
        arn_element = root.find(f".//{{{namespace}}}SubscriptionArn")
        if arn_element is None or not arn_element.text:
            return
        arn = arn_element.text
        if form.get("Protocol") in CONFIRMATION_PROTOCOLS and arn not in known.tokens:
            known.tokens[arn] = secrets.token_hex(64)
            known.pending.add(arn)
        if known.is_pending(arn) and form.get("ReturnSubscriptionArn", "false").lower() != "true":
            arn_element.text = PENDING_SUBSCRIBE_ANSWER

    return corrected(request, correct)


@handlers.operation("ConfirmSubscription")
def confirm_subscription(request: AwsRequest, state: SandboxState) -> Response:
    """Replaces moto's, which creates a new subscription with a random ARN whatever the token."""
    from moto.sns.models import sns_backends

    form = request.form()
    topic_arn, token = form.get("TopicArn", ""), form.get("Token", "")
    backend = sns_backends[request.account_id][request.region]
    if topic_arn not in backend.topics:
        return error_response(request, "NotFound", "Topic does not exist", status=404)
    known = confirmations(state, request.account_id)
    matching = [
        arn
        for arn, issued in known.tokens.items()
        if issued == token
        and arn in backend.subscriptions
        and backend.subscriptions[arn].topic_arn == topic_arn
    ]
    if not matching:
        return error_response(request, "InvalidParameter", "Invalid token")
    arn = matching[0]
    known.pending.discard(arn)
    if form.get("AuthenticateOnUnsubscribe", "false").lower() == "true":
        known.authenticated.add(arn)
    return query_result("ConfirmSubscription", _NAMESPACE, {"SubscriptionArn": arn})


def _hide_pending_arns(request: AwsRequest, state: SandboxState) -> Response:
    known = confirmations(state, request.account_id)

    def correct(root: Element, namespace: str) -> None:
        for arn_element in root.iter(f"{{{namespace}}}SubscriptionArn"):
            if arn_element.text and known.is_pending(arn_element.text):
                arn_element.text = PENDING_ARN

    return corrected(request, correct)


handlers.operation("ListSubscriptions")(_hide_pending_arns)
handlers.operation("ListSubscriptionsByTopic")(_hide_pending_arns)


@handlers.operation("GetSubscriptionAttributes")
def get_subscription_attributes(request: AwsRequest, state: SandboxState) -> Response:
    arn = request.form().get("SubscriptionArn", "")
    known = confirmations(state, request.account_id)
    if arn not in known.tokens:
        return request.forward()  # confirmed at once: moto's answer is right
    attributes = {
        "PendingConfirmation": str(known.is_pending(arn)).lower(),
        "ConfirmationWasAuthenticated": str(arn in known.authenticated).lower(),
    }

    def correct(root: Element, namespace: str) -> None:
        for entry in root.iter(f"{{{namespace}}}entry"):
            key = entry.find(f"{{{namespace}}}key")
            value = entry.find(f"{{{namespace}}}value")
            if key is not None and value is not None and key.text in attributes:
                value.text = attributes[key.text]

    return corrected(request, correct)
