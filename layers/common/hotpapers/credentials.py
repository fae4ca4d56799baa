"""Upstream credentials: ``HOTPAPERS_<NAME>`` locally; SSM Parameter Store or Secrets Manager on AWS.

A credential set in the environment wins. Otherwise, on AWS, the template sets one of:

- ``HOTPAPERS_SECRET_ARN``: one Secrets Manager secret whose JSON object holds every credential
  by name (``{"x_bearer_token": "..."}``);
- ``HOTPAPERS_SSM_PREFIX``: one SecureString parameter per credential, ``<prefix>/<name>``.

Both are read through Powertools Parameters, which caches them across warm invocations for
``CACHE_SECONDS``. Values are never logged.
"""

from __future__ import annotations

import os
from typing import Any

from hotpapers import redaction
from hotpapers.catalogue import SECRET_CREDENTIALS
from hotpapers.config import Settings

CACHE_SECONDS = 300


class MissingCredentialError(LookupError):
    """A source needs a credential that is configured nowhere."""


def credential(settings: Settings, name: str) -> str:
    """The secret ``name`` (e.g. ``x_bearer_token``) or ``MissingCredentialError`` saying where to put it.

    A secret's value is registered for redaction as it is read, wherever it came from.
    """
    value = _read(settings, name)
    if name in SECRET_CREDENTIALS:
        redaction.register(value)
    return value


def _read(settings: Settings, name: str) -> str:
    variable = f"HOTPAPERS_{name.upper()}"
    value = os.environ.get(variable)
    if value:
        return value
    if settings.secret_arn:
        return _from_secret(settings.secret_arn, name, variable)
    if settings.ssm_prefix:
        return _from_parameter(f"{settings.ssm_prefix.rstrip('/')}/{name}", variable)
    raise MissingCredentialError(f"{variable} is not set (see docs/sources.md)")


def _from_parameter(path: str, variable: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        return str(parameters.get_parameter(path, decrypt=True, max_age=CACHE_SECONDS))
    except parameters.exceptions.GetParameterError as exc:
        raise MissingCredentialError(f"{variable} is not set and SSM parameter {path} is unreadable") from exc


def _from_secret(arn: str, name: str, variable: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        values: Any = parameters.get_secret(arn, transform="json", max_age=CACHE_SECONDS)
    except (parameters.exceptions.GetParameterError, parameters.exceptions.TransformParameterError) as exc:
        raise MissingCredentialError(
            f"{variable} is not set and secret {arn} is unreadable or not a JSON object"
        ) from exc
    value = values.get(name) if isinstance(values, dict) else None
    if not value:
        raise MissingCredentialError(f"{variable} is not set and secret {arn} has no {name!r} key")
    return str(value)
