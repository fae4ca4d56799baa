"""Hot Papers: a daily digest of the new arXiv papers people are talking about.

Data flows one way, and so do imports: ``arxiv``/``sources`` (fetch) -> ``raw`` snapshot ->
``scoring`` (score) -> ``render`` (render). ``pipeline`` holds the three steps the Lambda
handlers call, a module each; ``store`` and ``events`` are the only modules that know about AWS.
"""

__version__ = "0.1.0"
