"""Upstream credentials: ``HOTPAPERS_<NAME>`` locally, SSM Parameter Store on AWS.

On AWS the template sets ``HOTPAPERS_SSM_PREFIX``; a credential missing from the environment is
then read as the SecureString ``<prefix>/<name>`` through Powertools Parameters, which caches
it across warm invocations. Values are never logged.
"""

from __future__ import annotations

import os

from hotpapers.config import Settings

CACHE_SECONDS = 300


class MissingCredential(LookupError):  # noqa: N818 - reads as the condition it names
    """A source needs a credential that is configured nowhere."""


def credential(settings: Settings, name: str) -> str:
    """The secret ``name`` (e.g. ``x_bearer_token``) or ``MissingCredential`` saying where to put it."""
    variable = f"HOTPAPERS_{name.upper()}"
    value = os.environ.get(variable)
    if value:
        return value
    if settings.ssm_prefix:
        from aws_lambda_powertools.utilities import parameters

        path = f"{settings.ssm_prefix.rstrip('/')}/{name}"
        try:
            return str(parameters.get_parameter(path, decrypt=True, max_age=CACHE_SECONDS))
        except parameters.exceptions.GetParameterError as exc:
            raise MissingCredential(f"{variable} is not set and SSM parameter {path} is unreadable") from exc
    raise MissingCredential(f"{variable} is not set (see README.md, 'Credentials')")
