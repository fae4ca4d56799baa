"""The embedded default: the AWS chain run on one machine, with directories for buckets.

Nothing here is deployed to Lambda; it serves ``hotpapers run``, ``make demo`` and the tests.
"""
