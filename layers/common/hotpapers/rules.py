"""The rules of a digest: the thresholds, and who counts how much.

Apart from the score step's logic, so that the render step, which states the rules on the about
page, loads neither the scoring nor the arXiv parser and the source clients it imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hotpapers.catalogue import source_order
from hotpapers.config import Settings


@dataclass(frozen=True)
class Rules:
    """The thresholds of a digest, and who counts how much."""

    min_score: int = 50
    min_post_engagement: int = 25
    max_posts: int = 10
    account_cap: int | None = None
    """The most one account's posts may add to one paper's score; ``None``: no cap (the seed)."""
    ignored_accounts: frozenset[tuple[str, str]] = frozenset()
    """(source, lower-case handle) pairs whose posts do not count (bots, mirrors)."""
    weights: Mapping[str, float] = field(default_factory=dict)
    """Per source, what one unit of its engagement is worth; a source not named weighs 1 (the seed)."""

    def weight(self, source: str) -> float:
        return self.weights.get(source, 1.0)

    @classmethod
    def from_settings(cls, settings: Settings) -> Rules:
        """The rules the ``HOTPAPERS_*`` settings in force ask for."""
        return cls(
            min_score=settings.min_score,
            min_post_engagement=settings.min_post_engagement,
            max_posts=settings.max_posts,
            account_cap=settings.account_cap,
            ignored_accounts=settings.ignored_accounts,
            weights=settings.weights,
        )

    def describe(self, sources: Iterable[str]) -> dict[str, Any]:
        """The rules as a scored day and the about page state them, with the weights of ``sources``."""
        return {
            "min_score": self.min_score,
            "min_post_engagement": self.min_post_engagement,
            "max_posts": self.max_posts,
            "account_cap": self.account_cap,
            "ignored_accounts": sorted(f"{source}:{handle}" for source, handle in self.ignored_accounts),
            "weights": {name: self.weight(name) for name in source_order(sources)},
        }
