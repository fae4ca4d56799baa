"""``make bench``: the big day, the measures taken on it, and the figures they give.

``bigday`` builds a seeded day of real arXiv entries and posts in each source's documented
shape; ``measures`` times and weighs the pipeline on it; ``cost`` turns the figures into a
monthly AWS bill; ``report`` writes ``bench/results.json`` and the table of
``docs/performance.md``. Run it with ``python -m bench`` (``--quick`` for CI).
"""
