"""Credentials: the environment first, then the stack's secret or SSM parameters; secrets masked."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters.constants import DEFAULT_PROVIDERS
from hotpapers import redaction
from hotpapers.config import Settings, load_settings
from hotpapers.credentials import MissingCredentialError, credential
from moto import mock_aws

TOKEN = "x-token-from-the-environment"


@pytest.fixture(scope="module")
def account() -> Iterator[None]:
    """One AWS account in memory for the module (moto patches botocore: no socket opens)."""
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        DEFAULT_PROVIDERS.clear()
        yield
        DEFAULT_PROVIDERS.clear()


@pytest.fixture(autouse=True)
def aws(account: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty account (every secret and parameter deleted afterwards) and no value cached."""
    for name in ("HOTPAPERS_X_BEARER_TOKEN", "HOTPAPERS_BLUESKY_HANDLE", "HOTPAPERS_GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield
    for provider in DEFAULT_PROVIDERS.values():
        provider.clear_cache()
    ssm, secrets = boto3.client("ssm"), boto3.client("secretsmanager")
    for stored in ssm.describe_parameters()["Parameters"]:
        ssm.delete_parameter(Name=stored["Name"])
    for stored in secrets.list_secrets()["SecretList"]:
        secrets.delete_secret(SecretId=stored["ARN"], ForceDeleteWithoutRecovery=True)


def settings(**env: str) -> Settings:
    return load_settings(env)


def secret(value: str) -> str:
    return str(boto3.client("secretsmanager").create_secret(Name="hotpapers/credentials", SecretString=value)["ARN"])


def parameter(name: str, value: str) -> None:
    boto3.client("ssm").put_parameter(Name=name, Value=value, Type="SecureString")


def test_a_credential_in_the_environment_wins_over_the_stacks_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a token in the environment, and another in both of the stack's stores
    arn = secret(json.dumps({"x_bearer_token": "from-the-secret"}))
    parameter("/hotpapers/x_bearer_token", "from-the-parameter")
    monkeypatch.setenv("HOTPAPERS_X_BEARER_TOKEN", TOKEN)
    # When the token is read
    value = credential(settings(HOTPAPERS_SECRET_ARN=arn, HOTPAPERS_SSM_PREFIX="/hotpapers"), "x_bearer_token")
    # Then the environment's is used
    assert value == TOKEN


def test_the_secret_holds_each_credential_by_name_and_wins_over_ssm() -> None:
    # Given a secret holding two credentials, and an SSM prefix too
    arn = secret(json.dumps({"x_bearer_token": "x-token-from-secret", "github_token": "gh-token-from-secret"}))
    parameter("/hotpapers/x_bearer_token", "from-the-parameter")
    configured = settings(HOTPAPERS_SECRET_ARN=arn, HOTPAPERS_SSM_PREFIX="/hotpapers")
    # When each is read
    # Then each comes from its key of the secret
    assert credential(configured, "x_bearer_token") == "x-token-from-secret"
    assert credential(configured, "github_token") == "gh-token-from-secret"


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        (json.dumps({"github_token": "gh-token-from-secret"}), "has no 'x_bearer_token' key"),
        (json.dumps({"x_bearer_token": ""}), "has no 'x_bearer_token' key"),
        (json.dumps(["x_bearer_token"]), "has no 'x_bearer_token' key"),
        ("not json", "is unreadable or not a JSON object"),
    ],
)
def test_a_secret_without_the_credential_says_which_key_is_missing(stored: str, said: str) -> None:
    # Given a secret that lacks the token, holds it empty, is no object or is no JSON at all
    arn = secret(stored)
    # When the token is read
    with pytest.raises(MissingCredentialError) as refused:
        credential(settings(HOTPAPERS_SECRET_ARN=arn), "x_bearer_token")
    # Then the error names the variable to set instead and what the secret lacks
    assert str(refused.value) == f"HOTPAPERS_X_BEARER_TOKEN is not set and secret {arn} {said}"


def test_a_secret_that_cannot_be_read_is_a_missing_credential() -> None:
    # Given an ARN naming no secret
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hotpapers/none-AbCdEf"
    # When the token is read
    with pytest.raises(MissingCredentialError) as refused:
        credential(settings(HOTPAPERS_SECRET_ARN=arn), "x_bearer_token")
    # Then the error says so, naming the secret
    assert (
        str(refused.value) == f"HOTPAPERS_X_BEARER_TOKEN is not set and secret {arn} is unreadable or not a JSON object"
    )


@pytest.mark.parametrize(
    ("prefix", "path"), [("/hotpapers", "/hotpapers"), ("/hotpapers/", "/hotpapers"), ("/X", "/X")]
)
def test_ssm_holds_one_decrypted_parameter_per_credential_under_the_prefix(prefix: str, path: str) -> None:
    # Given a SecureString parameter under the stack's prefix (given with or without its slash)
    parameter(f"{path}/github_token", "gh-token-from-ssm")
    # When the token is read
    value = credential(settings(HOTPAPERS_SSM_PREFIX=prefix), "github_token")
    # Then it is the decrypted value
    assert value == "gh-token-from-ssm"


def test_a_missing_parameter_names_its_path() -> None:
    with pytest.raises(MissingCredentialError) as refused:
        credential(settings(HOTPAPERS_SSM_PREFIX="/hotpapers/"), "github_token")
    assert (
        str(refused.value)
        == "HOTPAPERS_GITHUB_TOKEN is not set and SSM parameter /hotpapers/github_token is unreadable"
    )


def test_a_credential_configured_nowhere_says_where_to_put_it() -> None:
    with pytest.raises(MissingCredentialError) as refused:
        credential(settings(), "bluesky_handle")
    assert str(refused.value) == "HOTPAPERS_BLUESKY_HANDLE is not set (see docs/sources.md)"


def test_a_secret_read_from_a_store_is_masked_from_then_on_and_a_public_name_is_not() -> None:
    # Given a token and a (public) Bluesky handle in SSM, read from there (values no earlier
    # test can have registered: the register lasts as long as the process)
    token, handle = f"x-token-{uuid.uuid4().hex}", f"alice-{uuid.uuid4().hex}.bsky.social"
    parameter("/hotpapers/x_bearer_token", token)
    parameter("/hotpapers/bluesky_handle", handle)
    configured = settings(HOTPAPERS_SSM_PREFIX="/hotpapers")
    credential(configured, "x_bearer_token")
    credential(configured, "bluesky_handle")
    # When a text carrying both is redacted
    said = redaction.redact(f"Bearer {token} for {handle}")
    # Then the token is masked and the handle is not
    assert said == f"Bearer [REDACTED] for {handle}"


@pytest.mark.parametrize("store", ["ssm", "secret"])
def test_a_stored_value_is_cached_across_warm_invocations(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given Powertools told to cache nothing by default, and a token read once from either store
    monkeypatch.setenv("POWERTOOLS_PARAMETERS_MAX_AGE", "0")
    arn = ""
    if store == "ssm":
        parameter("/hotpapers/x_bearer_token", "x-token-first")
        configured = settings(HOTPAPERS_SSM_PREFIX="/hotpapers")
    else:
        arn = secret(json.dumps({"x_bearer_token": "x-token-first"}))
        configured = settings(HOTPAPERS_SECRET_ARN=arn)
    credential(configured, "x_bearer_token")
    # When the stored value changes and the token is read again
    if store == "ssm":
        boto3.client("ssm").put_parameter(Name="/hotpapers/x_bearer_token", Value="x-token-second", Overwrite=True)
    else:
        secrets = boto3.client("secretsmanager")
        secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"x_bearer_token": "x-2"}))
    # Then the value read first is used: our own cache time holds, not one call per source and day
    assert credential(configured, "x_bearer_token") == "x-token-first"
