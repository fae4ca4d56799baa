"""Hot Papers: a daily digest of the new arXiv papers people are talking about.

Data flows one way, and so do imports: ``arxiv``/``sources`` (fetch) -> ``snapshot`` (raw) ->
``scoring`` (score) -> ``website`` (render). ``pipeline`` holds the three steps the Lambda
handlers call, a module each; ``layout`` spells every key and path, ``schemas`` types the
documents between the steps. The modules that call AWS are ``store`` (S3), ``credentials`` (SSM,
Secrets Manager), ``alerts`` (SQS) and ``doctor`` (a deployed function's configuration);
``cli.aws`` drives a deployed stack.
"""

__version__ = "0.1.0"
