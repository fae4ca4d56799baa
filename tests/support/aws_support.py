"""AWS without an account: the SAM template as the translator expands it, rebuilt in moto server.

``expand`` runs the SAM translator (what CloudFormation runs on deploy) over ``template.yaml``.
``Stack`` is that expansion with its parameters chosen and its intrinsic functions resolved
against the names the resources get in moto. ``deploy_wiring`` creates in moto what routes the
chain's events: the buckets with the template's EventBridge notifications and versioning, and
the EventBridge rules with the template's patterns, an SQS queue standing where each rule's
Lambda target is. ``Function`` loads a handler from the template's ``CodeUri`` with the
template's environment, as a cold start does.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import requests
from hotpapers.offline.runner import LambdaContext, environment, load_handler
from hotpapers.offline.wiring import load_template
from hotpapers.store import S3Store
from moto.server import ThreadedMotoServer
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
EVENTS = ROOT / "events"
RECORDING = ROOT / "demo" / "recordings" / "2026-06-02"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account
STACK = "hotpapers"
PACKAGED = "s3://packaged/"
NO_VALUE = object()

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def load_event(name: str) -> dict[str, Any]:
    """One of the sample events in ``events/``."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


class _NoManagedPolicies:
    """The translator knows the managed policies SAM itself attaches; it asks IAM for no other."""

    def load(self) -> dict[str, str]:
        return {}


def expand(template: Path = TEMPLATE, parameters: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The CloudFormation the SAM transform makes of ``template`` (code URIs as if packaged)."""
    document = load_template(template)
    for resource in document["Resources"].values():
        properties = resource.get("Properties", {})
        for uri in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(uri), str):
                properties[uri] = PACKAGED + properties[uri]
    with environment({"AWS_DEFAULT_REGION": REGION}):
        expanded: dict[str, Any] = transform(document, dict(parameters or {}), _NoManagedPolicies())
    return expanded


class Stack:
    """An expanded template as deployed: parameter values, conditions and physical names."""

    def __init__(
        self,
        template: dict[str, Any],
        parameters: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.template = template
        self.resources: dict[str, dict[str, Any]] = template["Resources"]
        defaults = {name: str(spec.get("Default", "")) for name, spec in template["Parameters"].items()}
        self.parameters = defaults | dict(parameters or {})
        self.names = {logical: _physical_name(logical, resource) for logical, resource in self.resources.items()}
        for logical in self.of_type("AWS::Events::Rule") | self.of_type("AWS::Scheduler::Schedule"):
            if "Name" in self.resources[logical]["Properties"]:
                self.names[logical] = str(self.resolve(self.resources[logical]["Properties"]["Name"]))
        self.names.update(names or {})

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {logical: resource for logical, resource in self.resources.items() if resource["Type"] == kind}

    def deployed(self, logical: str) -> bool:
        condition = self.resources[logical].get("Condition")
        return condition is None or self.condition(condition)

    def condition(self, name: str) -> bool:
        return self._truth(self.template["Conditions"][name])

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic function evaluated (``AWS::NoValue`` entries dropped)."""
        if isinstance(value, list):
            return [item for item in map(self.resolve, value) if item is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self._ref(argument)
            if key == "Fn::GetAtt":
                logical, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
                return self._attribute(logical, attribute)
            if key == "Fn::Sub":
                return self._sub(argument)
            if key == "Fn::If":
                name, chosen, other = argument
                return self.resolve(chosen if self.condition(name) else other)
            if key == "Fn::Join":
                separator, items = argument
                return separator.join(map(str, self.resolve(items)))
        resolved = {key: self.resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def statements(self, function: str) -> list[Statement]:
        """The statements of the function's role, its managed policies aside (all must allow)."""
        role = self.resolve(self.resources[f"{function}Role"])
        found = []
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                if statement["Effect"] != "Allow":
                    raise ValueError(f"{function}'s role has a {statement['Effect']} statement")
                actions, resources = statement["Action"], statement["Resource"]
                found.append(
                    Statement(
                        actions=tuple([actions] if isinstance(actions, str) else actions),
                        resources=tuple([resources] if isinstance(resources, str) else resources),
                        condition=statement.get("Condition", {}),
                    )
                )
        return found

    def grants(self, function: str) -> set[tuple[str, str]]:
        """(action, resource) pairs the function's role allows whatever the request (no condition)."""
        return {
            (action, resource)
            for statement in self.statements(function)
            if not statement.condition
            for action in statement.actions
            for resource in statement.resources
        }

    def allows(self, function: str, action: str, resource: str, context: Mapping[str, str] | None = None) -> bool:
        """Whether the role grants ``action`` on ``resource`` to a request carrying ``context``.

        ``context`` holds the request's condition keys (``s3:prefix`` for a listing); a key the
        request does not carry fails the conditions that test it, as in IAM.
        """
        return any(statement.allows(action, resource, context or {}) for statement in self.statements(function))

    def environment(self, function: str) -> dict[str, str]:
        """The function's environment variables (Globals included), as Lambda would set them."""
        properties = self.resources[function]["Properties"]
        variables = self.resolve(properties.get("Environment", {}).get("Variables", {}))
        return {name: str(value) for name, value in variables.items()}

    def scheduled_event(self, function: str, at: datetime, attempt: int = 1) -> dict[str, Any]:
        """What the function's schedule sends it when it fires at ``at``.

        The scheduler replaces its ``<aws.scheduler.*>`` placeholders in the template's Input.
        """
        for logical, schedule in self.of_type("AWS::Scheduler::Schedule").items():
            target = schedule["Properties"]["Target"]
            if _target_function(target) != function:
                continue
            name = self.names[logical]
            placeholders = {
                "<aws.scheduler.scheduled-time>": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "<aws.scheduler.execution-id>": f"{name}-{at:%Y%m%dT%H%M%S}-{attempt}",
                "<aws.scheduler.schedule-arn>": f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{name}",
                "<aws.scheduler.attempt-number>": str(attempt),
            }
            text = str(self.resolve(target["Input"]))
            for placeholder, value in placeholders.items():
                text = text.replace(placeholder, value)
            unknown = re.findall(r"<aws\.scheduler\.[^>]*>", text)
            if unknown:
                raise ValueError(f"the schedule's Input uses placeholders the scheduler does not know: {unknown}")
            event: dict[str, Any] = json.loads(text)
            return event
        raise LookupError(f"no schedule targets {function}")

    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::StackName": STACK,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.names[name]

    def _attribute(self, logical: str, attribute: str) -> str:
        name = self.names[logical]
        kind = self.resources[logical]["Type"]
        attributes = {
            "AWS::S3::Bucket": {
                "Arn": f"arn:aws:s3:::{name}",
                "WebsiteURL": f"http://{name}.s3-website-{REGION}.amazonaws.com",
                "RegionalDomainName": f"{name}.s3.{REGION}.amazonaws.com",
            },
            "AWS::Lambda::Function": {"Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"},
            "AWS::SQS::Queue": {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "QueueName": name},
            "AWS::CloudFront::Distribution": {"DomainName": f"{name.lower()}.cloudfront.net"},
            "AWS::CloudFront::OriginAccessControl": {"Id": name},
            "AWS::IAM::Role": {"Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}"},
            "AWS::Events::Rule": {"Arn": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{name}"},
        }
        return attributes[kind][attribute]

    def _sub(self, argument: str | list[Any]) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], self.resolve(argument[1]))

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name:
                return self._attribute(*name.split(".", 1))
            return str(self._ref(name))

        return re.sub(r"\$\{([^}]+)\}", value, text)

    def _truth(self, expression: dict[str, Any]) -> bool:
        ((key, argument),) = expression.items()
        if key == "Fn::Equals":
            left, right = self.resolve(argument)
            return str(left) == str(right)
        if key == "Fn::Not":
            return not self._truth(argument[0])
        if key == "Fn::And":
            return all(map(self._truth, argument))
        if key == "Fn::Or":
            return any(map(self._truth, argument))
        if key == "Condition":
            return self.condition(argument)
        raise ValueError(f"unsupported condition {expression}")


@dataclass(frozen=True)
class Statement:
    """One Allow statement of a role: its actions, resources and condition (IAM's evaluation)."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: Mapping[str, Mapping[str, str | list[str]]]

    def allows(self, action: str, resource: str, context: Mapping[str, str]) -> bool:
        return (
            any(_like(action.lower(), granted.lower()) for granted in self.actions)
            and any(_like(resource, pattern) for pattern in self.resources)
            and self._holds(context)
        )

    def _holds(self, context: Mapping[str, str]) -> bool:
        for operator, tests in self.condition.items():
            test = {"StringEquals": str.__eq__, "StringLike": _like}.get(operator.removesuffix("IfExists"))
            if test is None:
                raise ValueError(f"condition operator {operator} is not modelled")
            for key, values in tests.items():
                if key not in context:
                    if operator.endswith("IfExists"):
                        continue
                    return False
                if not any(test(context[key], value) for value in ([values] if isinstance(values, str) else values)):
                    return False
        return True


def _like(value: str, pattern: str) -> bool:
    """IAM's ``StringLike`` and resource matching: ``*`` is any run of characters, ``?`` one."""
    expression = "".join({"*": ".*", "?": "."}.get(char, re.escape(char)) for char in pattern)
    return re.fullmatch(expression, value, re.DOTALL) is not None


def _physical_name(logical: str, resource: dict[str, Any]) -> str:
    # Bucket names must be lower case; CloudFormation would add a random suffix to all of them.
    if resource["Type"] == "AWS::S3::Bucket":
        return f"{STACK}-{logical.lower()}"
    return f"{STACK}-{logical}"


def _target_function(target: dict[str, Any]) -> str | None:
    """The logical id of the function a rule's or schedule's target invokes."""
    arn = target.get("Arn")
    if isinstance(arn, dict) and "Fn::GetAtt" in arn:
        reference = arn["Fn::GetAtt"]
        logical, attribute = reference.split(".", 1) if isinstance(reference, str) else reference
        if attribute == "Arn":
            return str(logical)
    return None


# ------------------------------------------------------------------ moto
@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free loopback port, for the ``with`` block; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def aws_environment(endpoint: str) -> dict[str, str]:
    """Variables that point boto3 (in this process or a child) at moto, with fake credentials."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }


def reset(endpoint: str) -> None:
    """Forget every resource: the next test starts from an empty account."""
    requests.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()


@dataclass
class Wiring:
    """What routes events in moto: buckets by logical id, and an inbox queue per targeted function.

    ``witness`` receives every S3 "Object Created" event EventBridge gets, so that "no function
    received it" can be told apart from "S3 never sent it".
    """

    buckets: dict[str, str]
    inboxes: dict[str, str]
    witness: str
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def drain(self) -> dict[str, list[dict[str, Any]]]:
        """The events waiting in each inbox (and the witness), removed from their queues."""
        sqs = boto3.client("sqs")
        queues = {**self.inboxes, "witness": self.witness}
        return {name: _receive_all(sqs, url) for name, url in queues.items()}


def deploy_wiring(stack: Stack) -> Wiring:
    """Create the stack's buckets and EventBridge rules in moto; an SQS inbox replaces each function."""
    s3, events, sqs = boto3.client("s3"), boto3.client("events"), boto3.client("sqs")
    buckets = {}
    for logical, bucket in stack.of_type("AWS::S3::Bucket").items():
        name = stack.names[logical]
        s3.create_bucket(Bucket=name)
        properties = stack.resolve(bucket.get("Properties", {}))
        notifications = properties.get("NotificationConfiguration", {})
        if notifications.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
            s3.put_bucket_notification_configuration(
                Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}}
            )
        if properties.get("VersioningConfiguration", {}).get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        buckets[logical] = name

    inboxes: dict[str, str] = {}
    rules = {}
    for logical, rule in stack.of_type("AWS::Events::Rule").items():
        properties = rule["Properties"]
        name = stack.names[logical]
        pattern = stack.resolve(properties["EventPattern"])
        events.put_rule(Name=name, EventPattern=json.dumps(pattern), State="ENABLED")
        targets = []
        for target in properties["Targets"]:
            function = _target_function(target)
            if function is None:
                raise ValueError(f"rule {logical} targets something other than a function: {target}")
            if function not in inboxes:
                inboxes[function] = sqs.create_queue(QueueName=f"{function}-inbox")["QueueUrl"]
            targets.append({"Id": target["Id"], "Arn": _queue_arn(sqs, inboxes[function])})
        events.put_targets(Rule=name, Targets=targets)
        rules[name] = pattern

    witness = sqs.create_queue(QueueName="witness")["QueueUrl"]
    everything_created = {"source": ["aws.s3"], "detail-type": ["Object Created"]}
    events.put_rule(Name="witness", EventPattern=json.dumps(everything_created), State="ENABLED")
    events.put_targets(Rule="witness", Targets=[{"Id": "witness", "Arn": _queue_arn(sqs, witness)}])
    return Wiring(buckets=buckets, inboxes=inboxes, witness=witness, rules=rules)


def _queue_arn(sqs: Any, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def _receive_all(sqs: Any, url: str) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not messages:
            return received
        for message in messages:
            received.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


S3_ACTIONS = {"PutObject": "s3:PutObject", "GetObject": "s3:GetObject", "ListObjectsV2": "s3:ListBucket"}


@dataclass(frozen=True)
class S3Call:
    """What one S3 request needs of its caller's role: an IAM action on a resource, in a context."""

    function: str
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()

    def allowed_by(self, stack: Stack) -> bool:
        return stack.allows(self.function, self.action, self.resource, dict(self.context))


@dataclass
class S3Calls:
    """The S3 requests made through boto3's default session, as what each needs of IAM.

    moto does not enforce IAM; this records what each function really asked S3 for, to be held
    against the role the template gives it. A listing carries its ``s3:prefix``. A GetObject
    that moto answers NoSuchKey needs more on AWS: S3 says 404 NoSuchKey only to a caller that
    may list the bucket (``s3:ListBucket`` on the bucket, ``s3:prefix`` being the key) and
    refuses everyone else with 403 AccessDenied, which the code does not take for "missing". So
    such a read also records that listing, and ``missing`` records the keys it asked for.
    """

    calls: list[S3Call] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    acting: str | None = None

    @contextmanager
    def recording(self) -> Iterator[S3Calls]:
        events = boto3.DEFAULT_SESSION.events if boto3.DEFAULT_SESSION else None
        if events is None:
            boto3.setup_default_session()
            events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
        events.register("before-parameter-build.s3", self._record, unique_id="hotpapers-s3-calls")
        events.register("after-call.s3.GetObject", self._record_missing, unique_id="hotpapers-s3-missing")
        try:
            yield self
        finally:
            events.unregister("before-parameter-build.s3", unique_id="hotpapers-s3-calls")
            events.unregister("after-call.s3.GetObject", unique_id="hotpapers-s3-missing")

    @contextmanager
    def acting_as(self, function: str) -> Iterator[None]:
        self.acting = function
        try:
            yield
        finally:
            self.acting = None

    def _record(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if self.acting is None:
            return
        resource = f"arn:aws:s3:::{params['Bucket']}"
        if "Key" in params:
            resource += f"/{params['Key']}"
            context["hotpapers_object"] = (self.acting, params["Bucket"], params["Key"])
        conditions = (("s3:prefix", params["Prefix"]),) if "Prefix" in params else ()
        self.calls.append(S3Call(self.acting, S3_ACTIONS[model.name], resource, conditions))

    def _record_missing(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "hotpapers_object" not in context or parsed.get("Error", {}).get("Code") != "NoSuchKey":
            return
        function, bucket, key = context["hotpapers_object"]
        self.missing.append((function, f"{bucket}/{key}"))
        self.calls.append(S3Call(function, "s3:ListBucket", f"arn:aws:s3:::{bucket}", (("s3:prefix", key),)))


def objects(bucket: str) -> dict[str, bytes]:
    """Every object in ``bucket`` (its current version), by key, as a reader's client decodes it
    (the site's text is stored gzip-compressed)."""
    store = S3Store(bucket, client=boto3.client("s3"))
    return {key: store.get(key) for key in store.keys("")}


# ------------------------------------------------------------------ functions
@dataclass
class Function:
    """A handler module loaded from the template's CodeUri, invoked with its environment."""

    name: str
    env: dict[str, str]
    handler: Handler

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        with environment(self.env):
            return self.handler(event, LambdaContext(self.name))


def load_function(source: dict[str, Any], stack: Stack, logical: str, extra: Mapping[str, str]) -> Function:
    """Cold-start ``logical`` from the SAM template ``source``: import its module under its environment.

    ``extra`` adds what the test supplies (moto's endpoint, the replayed upstreams' URLs).
    """
    properties = source["Resources"][logical]["Properties"]
    module_name, attribute = stack.resources[logical]["Properties"]["Handler"].rsplit(".", 1)
    path = ROOT / properties["CodeUri"] / f"{module_name.replace('.', '/')}.py"
    env = stack.environment(logical) | dict(extra)
    with environment(env):
        handler = load_handler(path, f"hotpapers_aws_{logical}", attribute)
    return Function(name=logical, env=env, handler=handler)


# ------------------------------------------------------------------ tools
def tool(name: str) -> Path:
    """A command installed next to this interpreter (the project's dev tools: sam, cfn-lint)."""
    path = Path(sys.executable).parent / name
    found = path if path.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed; run `make install`")
    return Path(found)


# ------------------------------------------------------------------ events
MOTO_SPELLINGS = {"eTag": "etag"}
"""moto 5 names S3's ``etag`` field ``eTag`` in the events it sends to EventBridge."""


def shape(event: Any, *, moto: bool = False) -> Any:
    """An event's structure: its keys, recursively, and the type of each value."""
    if isinstance(event, dict):
        return {
            (MOTO_SPELLINGS.get(key, key) if moto else key): shape(value, moto=moto) for key, value in event.items()
        }
    if isinstance(event, list):
        return [shape(item, moto=moto) for item in event]
    return type(event).__name__
