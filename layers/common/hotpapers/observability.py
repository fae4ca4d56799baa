"""Logger, Metrics and Tracer, created once and configured by the ``POWERTOOLS_*`` variables."""

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "hotpapers"
NAMESPACE = "HotPapers"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
tracer = Tracer(service=SERVICE)
