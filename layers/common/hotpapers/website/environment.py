"""The one jinja2 environment of the site, with the filters its templates use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2

from hotpapers import layout
from hotpapers.catalogue import CATALOGUE, figures
from hotpapers.website import text, words


def counts_line(entry: dict[str, Any]) -> str:
    """``retweets: R, favorites: F, hn points: P, ...``: the seed's X figures first, always (0
    where the paper has no X post: what parses the seed reads every line), then each other source
    with figures for the paper, in the catalogue's order, each figure under its one label."""
    line = [f"{label}: {entry['counts'].get('x', {}).get(metric, 0)}" for metric, label in CATALOGUE["x"].counts]
    line += [
        f"{label}: {entry['counts'][name][metric]}"
        for name, source in CATALOGUE.items()
        if name != "x" and name in entry["counts"]
        for metric, label in source.counts
        if metric in entry["counts"][name]
    ]
    return ", ".join(line)


# About the three lines of a wide card: what a digest shows of an abstract.
ABSTRACT_OPENING = 300


def opening(abstract: str) -> str:
    """What a digest card shows of an abstract."""
    return text.opening(abstract, ABSTRACT_OPENING)


# arXiv category names (cs.LG, math.AG, cond-mat.stat-mech), each part at most 32 letters (the
# longest arXiv has is 13): anything else never becomes a file name or a link.
CATEGORY = re.compile(r"^[A-Za-z][A-Za-z-]{0,31}(\.[A-Za-z][A-Za-z-]{0,31})?$")


def post_figures(post: dict[str, Any]) -> list[tuple[str, int]]:
    """A post's figures, those that count first in their source's order, then any others."""
    metrics = post["metrics"]
    order = [
        *(m for m in figures(post["source"]) if m in metrics),
        *sorted(set(metrics) - set(figures(post["source"]))),
    ]
    return [(metric, metrics[metric]) for metric in order]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hotpapers", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "xml.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        text=text.inert,
        tex=text.tex,
        opening=opening,
        linked=text.linked,
        counts_line=counts_line,
        number=words.number,
        figure=lambda pair: words.figure(pair[1], pair[0]),
        source_name=words.source_name,
        metric_word=words.metric_word,
        seed_time=lambda iso: text.when(iso).strftime("%m/%d/%Y %H:%M:%S"),
        front_matter_time=lambda iso: text.when(iso).strftime("%Y-%m-%dT%H:%M:%S.Z"),
        long_date=text.long_date,
        long_time=text.long_time,
        href=text.href,
        growth=growth,
    )
    env.globals["post_figures"] = post_figures
    # Templates spell no site path: they ask the layout, relative to their page's ``root``.
    env.globals["layout"] = layout
    env.tests["arxiv_category"] = lambda name: bool(CATEGORY.match(name))
    return env


def growth(entry: Mapping[str, Any]) -> str:
    """``+120 since June 2, 2026``: how much a refreshed paper's score grew since its digest was
    first published; nothing for a paper with one point of history (never refreshed)."""
    history: list[dict[str, Any]] = entry.get("history") or []
    if len(history) < 2:
        return ""
    change = history[-1]["score"] - history[0]["score"]
    return f"{'+' if change >= 0 else '−'}{words.number(abs(change))} since {text.long_date(history[0]['as_of'])}"


def from_template(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
