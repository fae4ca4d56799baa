"""template.yaml as CloudFormation will run it: linted, expanded by the SAM translator, and read.

No emulator here: these tests read the translator's expansion, with parameters resolved, and
check what each resource must be (wiring, limits, alarms, encryption) (and that docs/deploy.md's walkthrough matches).
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import Any

import pytest
from hotpapers import layout
from hotpapers.offline.wiring import load_template
from reliability_doc import read_section
from support.aws_support import ROOT, TEMPLATE, Stack, expand, tool

# They run sam and cfn-lint, and the SAM translator: tools, not the fast unit tier.
pytestmark = pytest.mark.integration
FUNCTIONS = ("FetchFunction", "ScoreFunction", "RenderFunction", "IndexFunction")
DATA, SITE = "arn:aws:s3:::hotpapers-databucket", "arn:aws:s3:::hotpapers-sitebucket"


def deployed(parameters: dict[str, str] | None = None) -> Stack:
    return Stack(expand(parameters=parameters), parameters)


def run(*command: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def s3_grants(stack: Stack, function: str) -> set[tuple[str, str]]:
    return {(action, resource) for action, resource in stack.grants(function) if action.startswith("s3:")}


def test_cfn_lint_reports_nothing_at_all() -> None:
    # Given the template / When cfn-lint checks it with informational rules included
    result = run(tool("cfn-lint"), "--include-checks", "I", "--", TEMPLATE)

    # Then it has no error, warning or remark
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_sam_validate_lint_passes() -> None:
    # Given the template / When SAM CLI validates and lints it
    result = run(tool("sam"), "validate", "--lint", "--template-file", TEMPLATE)

    # Then it is valid
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"EnableCloudFront": "true"},
        {"CredentialsSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hotpapers-AbCdEf"},
        {"AlarmEmail": "ops@example.org", "RawSnapshotRetentionDays": "30", "LogRetentionDays": "7"},
        {"RawSnapshotRetentionDays": "30", "RawSnapshotColdDays": "0"},
        {"ReserveFetchConcurrency": "false"},
    ],
)
def test_the_translator_expands_every_option(parameters: dict[str, str]) -> None:
    # Given a choice of parameters / When the SAM transform expands the template
    stack = deployed(parameters)

    # Then the three functions exist, and every reference in what is deployed resolves
    assert set(stack.of_type("AWS::Lambda::Function")) == set(FUNCTIONS)
    for logical, resource in stack.resources.items():
        if stack.deployed(logical):
            assert stack.resolve(resource)


def test_functions_run_python313_on_arm64_traced_with_the_layer() -> None:
    # Given the expanded template
    stack = deployed()

    # When its functions are read
    functions = {name: stack.resources[name]["Properties"] for name in FUNCTIONS}
    [layer] = stack.of_type("AWS::Lambda::LayerVersion").values()

    # Then each is python3.13 on arm64, traced, with the common layer and the Powertools settings
    for properties in functions.values():
        assert properties["Runtime"] == "python3.13"
        assert properties["Architectures"] == ["arm64"]
        assert properties["TracingConfig"] == {"Mode": "Active"}
        assert len(properties["Layers"]) == 1
        variables = properties["Environment"]["Variables"]
        assert variables["POWERTOOLS_SERVICE_NAME"] == "hotpapers"
        assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "HotPapers"
        assert variables["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def test_fetch_is_alone_and_given_time_for_politeness() -> None:
    # Given the expanded template, with its default parameters
    stack = deployed()

    # When the functions' limits are read
    fetch, score, render, index = (stack.resolve(stack.resources[name]["Properties"]) for name in FUNCTIONS)

    # Then fetch is limited to one at a time, with Lambda's longest timeout; render is too, so
    # that one writer at a time rebuilds the index, and so is the search index's build, which
    # merges each day into one records document; days are scored side by side
    assert stack.template["Parameters"]["ReserveFetchConcurrency"]["Default"] == "true"
    assert fetch["ReservedConcurrentExecutions"] == 1
    assert fetch["Timeout"] == 900
    assert render["ReservedConcurrentExecutions"] == 1
    assert index["ReservedConcurrentExecutions"] == 1
    assert "ReservedConcurrentExecutions" not in score


def test_an_account_at_the_minimum_concurrency_quota_can_deploy_without_the_reservation() -> None:
    # Given a stack for an account whose Lambda concurrency quota is the minimum of 10, where any
    # reservation would leave fewer than the 10 unreserved executions Lambda insists on
    stack = deployed({"ReserveFetchConcurrency": "false"})

    # When the functions' limits are read
    functions = {name: stack.resolve(stack.resources[name]["Properties"]) for name in FUNCTIONS}

    # Then no function reserves any concurrency, and fetch keeps its timeout
    assert [name for name, properties in functions.items() if "ReservedConcurrentExecutions" in properties] == []
    assert functions["FetchFunction"]["Timeout"] == 900


def test_each_function_logs_to_its_own_group_with_the_chosen_retention() -> None:
    # Given a stack keeping logs for 14 days
    stack = deployed({"LogRetentionDays": "14"})

    for function in FUNCTIONS:
        # When its logging configuration is followed to its log group
        group = stack.resolve(stack.resources[function]["Properties"]["LoggingConfig"]["LogGroup"])
        [log_group] = [
            resource
            for logical, resource in stack.of_type("AWS::Logs::LogGroup").items()
            if stack.names[logical] == group
        ]

        # Then that group keeps logs 14 days
        assert log_group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert stack.resolve(log_group["Properties"]["RetentionInDays"]) == "14"


ALERTS = "arn:aws:sqs:us-east-1:123456789012:hotpapers-Alerts"


def test_whatever_fails_lands_in_the_one_alert_queue_that_one_alarm_watches() -> None:
    # Given the expanded template
    stack = deployed()
    [alarm] = [stack.resolve(alarm["Properties"]) for alarm in stack.of_type("AWS::CloudWatch::Alarm").values()]

    for function in FUNCTIONS:
        # When its asynchronous invocation settings and its environment are read
        [config] = [
            stack.resolve(resource["Properties"])
            for resource in stack.of_type("AWS::Lambda::EventInvokeConfig").values()
            if resource["Properties"]["FunctionName"] == {"Ref": function}
        ]
        # Then the events it gives up on go to the alert queue, which it may also write itself
        assert config["DestinationConfig"]["OnFailure"]["Destination"] == ALERTS
        assert stack.environment(function)["HOTPAPERS_ALERT_QUEUE"] == stack.names["Alerts"]
        assert stack.allows(function, "sqs:SendMessage", ALERTS)

    # And the one alarm counts each message sent there (a new one alarms again, whatever still
    # waits to be read), and mails the alarm topic
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == ("AWS/SQS", "NumberOfMessagesSent", "Sum")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": "hotpapers-Alerts"}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
    assert alarm["AlarmActions"] == [stack.names["AlarmTopic"]]


def test_the_schedule_retries_and_keeps_what_it_could_not_deliver() -> None:
    # Given the expanded template
    stack = deployed()

    # When the fetch schedule is read
    [schedule] = stack.of_type("AWS::Scheduler::Schedule").values()
    target = stack.resolve(schedule["Properties"]["Target"])

    # Then it retries, sends what it gives up on to its own watched queue, and runs in UTC
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert target["DeadLetterConfig"]["Arn"] == ALERTS
    assert schedule["Properties"]["ScheduleExpressionTimezone"] == "UTC"
    assert stack.resolve(schedule["Properties"]["Name"]) == "hotpapers-daily-fetch"


def test_each_rule_filters_on_its_bucket_and_key_and_has_a_dead_letter_queue() -> None:
    # Given the expanded template
    stack = deployed()
    policy = stack.resolve(stack.resources["AlertsPolicy"]["Properties"]["PolicyDocument"])
    allowed = {
        (statement["Resource"], rule)
        for statement in policy["Statement"]
        for rule in statement["Condition"]["ArnEquals"]["aws:SourceArn"]
    }

    # When its EventBridge rules are read
    rules = {
        rule["Targets"][0]["Arn"].rsplit(":", 1)[1]: rule
        for rule in map(stack.resolve, (r["Properties"] for r in stack.of_type("AWS::Events::Rule").values()))
    }

    # Then score waits for a data manifest, render for a scored day, the search index for a day's
    # records; each retries, then gives up into the alert queue, which lets in these rules only
    keys = {
        "hotpapers-ScoreFunction": layout.SEALED_MANIFEST_RULE,
        "hotpapers-RenderFunction": layout.SCORED_DAY_RULE,
        "hotpapers-IndexFunction": layout.SEARCH_DAY_RULE,
    }
    assert set(rules) == set(keys)
    for function, rule in rules.items():
        pattern = rule["EventPattern"]
        assert pattern["source"] == ["aws.s3"]
        assert pattern["detail-type"] == ["Object Created"]
        assert pattern["detail"]["bucket"]["name"] == ["hotpapers-databucket"]
        assert pattern["detail"]["object"]["key"] == [{"wildcard": keys[function]}]
        [target] = rule["Targets"]
        assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
        rule_arn = f"arn:aws:events:us-east-1:123456789012:rule/{rule['Name']}"
        assert (target["DeadLetterConfig"]["Arn"], rule_arn) in allowed
    assert {rule for _, rule in allowed} == {
        f"arn:aws:events:us-east-1:123456789012:rule/{rule['Name']}" for rule in rules.values()
    }


def rule_wildcards() -> dict[str, str]:
    """Each function an S3 rule starts -> the key wildcard of its event pattern, as deployed."""
    stack = deployed()
    return {
        rule["Targets"][0]["Arn"].rsplit(":", 1)[1].removeprefix("hotpapers-"): rule["EventPattern"]["detail"][
            "object"
        ]["key"][0]["wildcard"]
        for rule in map(stack.resolve, (r["Properties"] for r in stack.of_type("AWS::Events::Rule").values()))
    }


def wildcard_matches(wildcard: str, key: str) -> bool:
    """EventBridge's wildcard: ``*`` stands for any characters, ``/`` included; nothing else is special."""
    return re.fullmatch(".*".join(map(re.escape, wildcard.split("*"))), key) is not None


def test_the_rules_start_each_step_on_the_keys_the_layout_gives_it_and_on_no_other() -> None:
    # Given the template's rules and the keys of one day as the layout spells them
    wildcards = rule_wildcards()
    day = "2026-06-02"
    snapshot = layout.snapshot_prefix(day, "20260603T010203Z", "0123456789ab")
    sealed, scored, records = layout.manifest_key(day), layout.scored_key(day), layout.search_day(day)
    others = [
        layout.search_records("recent"),
        layout.SEARCH_ALL_RECORDS,
        layout.SEARCH_PUBLISHED,
        layout.attempt_key(snapshot),
        f"{snapshot}/arxiv/pages-000.json.gz",
        layout.empty_key(day),
        layout.notice_key(day),
        f"{sealed}.bak",
    ]

    # Then score's rule matches the sealed manifest, render's the scored day and index's the day's
    # search records, as the handlers parse them, and none matches any other key of the data store
    assert wildcards == {
        "ScoreFunction": layout.SEALED_MANIFEST_RULE,
        "RenderFunction": layout.SCORED_DAY_RULE,
        "IndexFunction": layout.SEARCH_DAY_RULE,
    }
    assert wildcard_matches(wildcards["ScoreFunction"], sealed)
    assert layout.SEALED_MANIFEST.fullmatch(sealed)
    assert wildcard_matches(wildcards["RenderFunction"], scored)
    assert layout.SCORED_DAY.fullmatch(scored)
    assert wildcard_matches(wildcards["IndexFunction"], records)
    assert layout.SEARCH_DAY.fullmatch(records)
    for function, own in (("ScoreFunction", sealed), ("RenderFunction", scored), ("IndexFunction", records)):
        for key in [*others, sealed, scored, records]:
            if key != own:
                assert not wildcard_matches(wildcards[function], key), (function, key)


def listable(stack: Stack, function: str, bucket: str, prefix: str | None) -> bool:
    """Whether the function may list ``bucket`` under ``prefix`` (``None``: the whole bucket)."""
    return stack.allows(function, "s3:ListBucket", bucket, {} if prefix is None else {"s3:prefix": prefix})


def test_each_function_may_touch_only_its_own_prefixes() -> None:
    # Given the expanded template / When each role's S3 grants are read
    stack = deployed()

    # Then fetch reads and writes raw/, score reads raw/ and writes scored/, render reads scored/
    # and the site's digests and writes the site and the day's search records, the index step
    # reads and writes the search records and writes and deletes the site's search index
    assert s3_grants(stack, "FetchFunction") == {("s3:GetObject", f"{DATA}/raw/*"), ("s3:PutObject", f"{DATA}/raw/*")}
    assert s3_grants(stack, "ScoreFunction") == {
        ("s3:GetObject", f"{DATA}/raw/*"),
        ("s3:PutObject", f"{DATA}/scored/*"),
    }
    assert s3_grants(stack, "RenderFunction") == {
        ("s3:GetObject", f"{DATA}/scored/*"),
        ("s3:GetObject", f"{SITE}/digests/*"),
        ("s3:GetObject", f"{SITE}/archive/*"),
        ("s3:PutObject", f"{SITE}/*"),
        ("s3:PutObject", f"{DATA}/search/days/*"),
    }
    assert s3_grants(stack, "IndexFunction") == {
        ("s3:GetObject", f"{DATA}/search/*"),
        ("s3:PutObject", f"{DATA}/search/*"),
        ("s3:PutObject", f"{SITE}/pagefind/*"),
        ("s3:DeleteObject", f"{SITE}/pagefind/*"),
    }
    # ... each lists only under the prefixes it reads, never a whole bucket
    listings = {
        "FetchFunction": {(DATA, "raw/")},
        "ScoreFunction": {(DATA, "raw/")},
        "RenderFunction": {(DATA, "scored/"), (SITE, "digests/"), (SITE, "archive/"), (SITE, "assets/")},
        "IndexFunction": {(DATA, "search/")},
    }
    for function, allowed in listings.items():
        for bucket in (DATA, SITE):
            for prefix in (None, "", "raw/", "scored/", "digests/", "index.html", "search/"):
                expected = (bucket, prefix) in allowed
                assert listable(stack, function, bucket, prefix) == expected, (function, bucket, prefix)
    # ... and nothing is granted on every resource but SSM's DescribeParameters, which has no scope
    for function in FUNCTIONS:
        everywhere = {a for s in stack.statements(function) if "*" in s.resources for a in s.actions}
        assert everywhere <= {"ssm:DescribeParameters"}


# S3 actions on buckets, not objects (among those a role here might be given).
BUCKET_ACTIONS = {
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetLifecycleConfiguration",
    "s3:PutLifecycleConfiguration",
}


def test_bucket_actions_name_buckets_and_object_actions_name_objects() -> None:
    # Given the expanded template / When each role's S3 statements are read
    stack = deployed()

    for function in FUNCTIONS:
        for statement in stack.statements(function):
            for action in (a for a in statement.actions if a.startswith("s3:")):
                # Then a bucket's action is granted on a bucket's ARN (a prefix goes in s3:prefix:
                # arn:aws:s3:::bucket/raw is no bucket, and such a grant allows nothing), an
                # object's on objects' ARNs
                for resource in statement.resources:
                    is_bucket = "/" not in resource.removeprefix("arn:aws:s3:::")
                    assert is_bucket == (action in BUCKET_ACTIONS), (function, action, resource)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_missing_key_a_function_may_read_is_reported_missing_not_refused(function: str) -> None:
    # Given the expanded template / When the keys the function may read are listed
    stack = deployed()
    readable = [r for a, r in s3_grants(stack, function) if a == "s3:GetObject"]
    assert readable

    for pattern in readable:
        # Then it may also list them: S3 answers a read of a missing key with 404 NoSuchKey only to
        # a caller that may list the bucket (ListBucket on the bucket, s3:prefix being the key),
        # and with 403 AccessDenied to anyone else
        bucket, _, key_pattern = pattern.partition("/")
        key = key_pattern.replace("*", "2026-06-02.json")
        assert stack.allows(function, "s3:GetObject", f"{bucket}/{key}")
        assert listable(stack, function, bucket, key), (function, pattern)


def test_fetch_can_tell_a_day_without_a_sealed_manifest() -> None:
    # Given the expanded template / When fetch looks for the sealed manifest of a day before sealing
    stack = deployed()
    manifest = "raw/2026-06-02/manifest.json"

    # Then it may read it, and when there is none S3 may tell it so (NoSuchKey, not AccessDenied)
    assert stack.allows("FetchFunction", "s3:GetObject", f"{DATA}/{manifest}")
    assert listable(stack, "FetchFunction", DATA, manifest)
    assert listable(stack, "FetchFunction", DATA, "raw/")


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({}, {("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/hotpapers/*")}),
        (
            {"CredentialsSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hp-AbCdEf"},
            {("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:hp-AbCdEf")},
        ),
    ],
)
def test_only_fetch_reads_credentials_and_only_from_the_one_place(
    parameters: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    # Given credentials in SSM (the default) or in one secret / When the roles are read
    stack = deployed(parameters)
    credential_grants = {
        function: {(a, r) for a, r in stack.grants(function) if a.startswith(("ssm:Get", "secretsmanager:"))}
        for function in FUNCTIONS
    }

    # Then fetch reads that one place, and nothing else reads credentials
    assert expected <= credential_grants["FetchFunction"]
    assert {resource for _, resource in credential_grants["FetchFunction"]} == {r for _, r in expected}
    assert credential_grants["ScoreFunction"] == credential_grants["RenderFunction"] == set()


def test_the_data_bucket_is_private_encrypted_versioned_and_tls_only() -> None:
    # Given the expanded template / When the data bucket and its policy are read
    stack = deployed({"RawSnapshotRetentionDays": "45"})
    bucket = stack.resolve(stack.resources["DataBucket"]["Properties"])
    policy = stack.resolve(stack.resources["DataBucketPolicy"]["Properties"]["PolicyDocument"])

    # Then
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["NotificationConfiguration"] == {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    [raw_rule] = [rule for rule in bucket["LifecycleConfiguration"]["Rules"] if rule.get("Prefix") == "raw/"]
    assert raw_rule["ExpirationInDays"] == "45"
    assert policy["Statement"] == [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [DATA, f"{DATA}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]


def test_raw_snapshots_are_kept_at_least_thirty_days() -> None:
    # Given the template's parameters / When the raw retention is read
    parameter = deployed().template["Parameters"]["RawSnapshotRetentionDays"]

    # Then it cannot go below 30 days
    assert parameter["MinValue"] == 30
    assert parameter["Default"] >= 30


def raw_rule(stack: Stack) -> dict[str, Any]:
    bucket = stack.resolve(stack.resources["DataBucket"]["Properties"])
    [rule] = [rule for rule in bucket["LifecycleConfiguration"]["Rules"] if rule.get("Prefix") == "raw/"]
    return dict(rule)


def test_raw_snapshots_go_to_glacier_instant_retrieval_after_a_month_unless_told_never() -> None:
    # Given the template with its defaults, another choice, and 0 (never)
    default, later, never = (
        deployed(parameters)
        for parameters in (
            {},
            {"RawSnapshotColdDays": "90"},
            {"RawSnapshotColdDays": "0", "RawSnapshotRetentionDays": "30"},
        )
    )
    parameter = default.template["Parameters"]["RawSnapshotColdDays"]

    # When the raw snapshots' lifecycle rule is read
    # Then by default they move to Glacier Instant Retrieval (millisecond reads, a sixth of the
    # price) after 30 days, and are deleted after RawSnapshotRetentionDays as before
    assert parameter["Default"] == 30
    assert parameter["MinValue"] == 0
    assert raw_rule(default)["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": "30"}]
    assert raw_rule(default)["ExpirationInDays"] == "365"
    assert raw_rule(later)["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": "90"}]
    # And 0 keeps them in S3 Standard until they are deleted (a retention too short for the
    # transition, whose days must be fewer than the expiration's)
    assert "Transitions" not in raw_rule(never)
    assert raw_rule(never)["ExpirationInDays"] == "30"


def public_statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in policy["Statement"] if s["Effect"] == "Allow" and s["Principal"] == "*"]


def test_the_site_is_public_for_reading_its_objects_and_nothing_else() -> None:
    # Given the default stack (no CloudFront) / When the site bucket and its policy are read
    stack = deployed()
    bucket = stack.resolve(stack.resources["SiteBucket"]["Properties"])
    policy = stack.resolve(stack.resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"])
    [deny] = [statement for statement in policy["Statement"] if statement["Effect"] == "Deny"]

    # Then it is a website whose objects anyone may get, whose listing and writes are not public,
    # and which refuses plain HTTP for everything but the website's reads
    assert bucket["WebsiteConfiguration"] == {"IndexDocument": "index.html"}
    assert public_statements(policy) == [
        {
            "Sid": "PublicReadOfTheSite",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"{SITE}/*",
        }
    ]
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicAcls"] is True
    assert deny["NotAction"] == "s3:GetObject"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert not any(stack.deployed(name) for name in ("SiteDistribution", "SiteOriginAccessControl"))


def test_with_cloudfront_the_site_bucket_is_private_and_read_through_origin_access_control() -> None:
    # Given a stack with CloudFront / When the site's bucket, policy and distribution are read
    stack = deployed({"EnableCloudFront": "true"})
    bucket = stack.resolve(stack.resources["SiteBucket"]["Properties"])
    policy = stack.resolve(stack.resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"])
    distribution = stack.resolve(stack.resources["SiteDistribution"]["Properties"]["DistributionConfig"])

    # Then nothing is public; CloudFront alone reads, signing with OAC, and redirects readers to HTTPS
    assert public_statements(policy) == []
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    [reader] = [statement for statement in policy["Statement"] if statement["Effect"] == "Allow"]
    assert reader["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reader["Condition"]["StringEquals"]["AWS:SourceArn"].endswith(":distribution/hotpapers-SiteDistribution")
    [origin] = distribution["Origins"]
    assert origin["OriginAccessControlId"]
    assert origin["DomainName"] == "hotpapers-sitebucket.s3.us-east-1.amazonaws.com"
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert stack.environment("RenderFunction")["HOTPAPERS_SITE_URL"].startswith("https://")


def test_the_outputs_name_the_site_the_buckets_and_the_functions() -> None:
    # Given the expanded template / When its outputs are read
    outputs = deployed().resolve(deployed().template["Outputs"])

    # Then
    assert outputs["SiteURL"]["Value"] == "http://hotpapers-sitebucket.s3-website-us-east-1.amazonaws.com"
    assert outputs["DataBucketName"]["Value"] == "hotpapers-databucket"
    assert outputs["SiteBucketName"]["Value"] == "hotpapers-sitebucket"
    for function in FUNCTIONS:
        assert outputs[f"{function}Name"]["Value"] == f"hotpapers-{function}"


def deploy_section() -> str:
    return (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_the_readme_deploy_walkthrough_matches_the_template() -> None:
    # Given docs/deploy.md and the template
    section = deploy_section()
    template = deployed().template

    # When the names each mentions are compared
    overrides = {
        token.split("=", 1)[0]
        for line in re.findall(r"--parameter-overrides ([^\n]+)", section)
        for token in line.split()
        if "=" in token
    }
    credentials = set(
        re.findall(
            r"""credential\([^,()]+,\s*["'](\w+)["']""",
            "".join(path.read_text() for path in (ROOT / "layers/common/hotpapers/sources").glob("*.py")),
        )
    )

    # Then every parameter, output and credential is documented, and every override names a parameter
    assert {name for name in template["Parameters"] if f"`{name}`" not in section} == set()
    assert {name for name in template["Outputs"] if f"`{name}`" not in section} == set()
    sources_page = (ROOT / "docs" / "sources.md").read_text()
    assert {name for name in credentials if f"`{name}`" not in section + sources_page} == set()
    assert overrides
    assert overrides <= set(template["Parameters"])
    assert len(credentials) >= 1
    assert "sam deploy --guided" in section
    assert "sam local invoke FetchFunction -e events/" in section


def test_both_buckets_log_access_to_a_private_log_bucket_and_the_site_is_versioned() -> None:
    # Given the expanded template / When the buckets and the log bucket's policy are read
    stack = deployed({"LogRetentionDays": "90"})
    data, site, logs = (
        stack.resolve(stack.resources[name]["Properties"]) for name in ("DataBucket", "SiteBucket", "LogBucket")
    )
    policy = stack.resolve(stack.resources["LogBucketPolicy"]["Properties"]["PolicyDocument"])
    [delivery] = [statement for statement in policy["Statement"] if statement["Effect"] == "Allow"]

    # Then each bucket logs to the log bucket under its own prefix, which only S3's log delivery
    # may write to (for these two buckets), nobody may read publicly, and which forgets in time
    assert data["LoggingConfiguration"] == {"DestinationBucketName": stack.names["LogBucket"], "LogFilePrefix": "data/"}
    assert site["LoggingConfiguration"] == {"DestinationBucketName": stack.names["LogBucket"], "LogFilePrefix": "site/"}
    assert set(logs["PublicAccessBlockConfiguration"].values()) == {True}
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Condition"]["ArnLike"]["aws:SourceArn"] == [DATA, SITE]
    assert [rule["ExpirationInDays"] for rule in logs["LifecycleConfiguration"]["Rules"]] == ["90"]
    # ... and an overwritten page can be restored for 30 days
    assert site["VersioningConfiguration"] == {"Status": "Enabled"}
    [pages] = site["LifecycleConfiguration"]["Rules"]
    assert pages["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}


def test_the_alarm_topic_has_no_key_of_its_own_and_says_why() -> None:
    # Given the expanded template / When the topic and its checkov skips are read
    stack = deployed()
    topic = stack.resources["AlarmTopic"]
    [skip] = topic["Metadata"]["checkov"]["skip"]
    # Then no customer-managed key ($1 a month) is in the stack, and the topic's skip says why
    assert stack.of_type("AWS::KMS::Key") == {}
    assert "KmsMasterKeyId" not in topic["Properties"]
    assert skip["id"] == "CKV_AWS_26"
    assert "email" in skip["comment"]


def test_the_reliability_doc_lists_every_checkov_skip_of_the_template_with_its_reason() -> None:
    # Given the skips declared in the template's resource Metadata
    declared = {
        (skip["id"], logical, skip["comment"])
        for logical, resource in load_template(TEMPLATE)["Resources"].items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    }

    # When the scan section that `make scan` generated is read
    rows = re.findall(r"^\| (CKV_\w+) \| (\w+) \| (.+) \|$", read_section("template-scan"), re.M)

    # Then it lists exactly those skips, and no check failed when it was generated
    assert set(rows) == declared
    assert "Failed checks:" not in read_section("template-scan")
