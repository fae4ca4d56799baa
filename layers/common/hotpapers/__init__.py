"""Hot Papers: a daily digest of the new arXiv papers people are talking about.

Data flows one way, and so do imports: ``arxiv``/``sources`` (fetch) -> ``raw`` snapshot ->
``scoring`` (score) -> ``render`` (render). ``pipeline`` holds the three steps the Lambda
handlers call, a module each. ``store``, ``events`` and ``credentials`` (SSM, Secrets Manager)
are the only domain modules that know about AWS; ``cli.aws`` drives a deployed stack.
"""

__version__ = "0.1.0"
