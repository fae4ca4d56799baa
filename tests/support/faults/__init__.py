"""The fault matrix: every upstream answering every fault, through the real ``hotpapers run``.

A daily job is judged by its worst day, so each cell of the matrix is one such day: one upstream
(arXiv, X, X oEmbed, Hacker News, Hugging Face, Bluesky, Reddit, GitHub) answers one fault, on
its first request only (transient) or on every request (persistent), with an earlier good digest
of the day already published or none. Every other upstream answers as on the bundled demo day.

Each case runs ``hotpapers run`` (``hotpapers.cli.main``) in a child process of its own: a hung
case can then be killed and still judged, a traceback that escapes ``main`` reaches stderr as it
would from the console script, and the child's stdout and stderr are exactly what an operator
reads. Children are forked from a ``forkserver`` that has already imported the package, so a case
costs the chain's own time, not the imports'.

``judge`` gives each case exactly one outcome (recovered, degraded, refused or kept) and lists
every "never" it broke (a traceback, a secret in any output or written file, a corrupt or emptier
digest over a better one, a run past its deadline). ``render_matrix`` writes the result as
``docs/reliability_matrix.md``.

By job: ``catalogue`` (upstreams, faults, cases, timings), ``bodies`` (the arXiv listing and the
rewritten bodies), ``server`` (the fault hook on the demo day's ``ReplayServer``), ``runner`` (one
``hotpapers run`` in a child), ``judge`` (the baseline, each case's verdict) and ``report`` (the
Markdown document).
"""
