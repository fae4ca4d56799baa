"""The demo's fictional accounts and what they write: invented personas, never a real person.

Each name is a made-up pun on a field word, so no reader takes it for someone real; the site
shows each post's own address on a reserved ``.example`` domain, which leads nowhere.
"""

from __future__ import annotations

import random

PERSONAS = (
    ("Lemma Lena", "lemma_lena"),
    ("Tensor Theo", "tensortheo"),
    ("Gradient Grace", "gradient_grace"),
    ("Kernel Kai", "kernelkai"),
    ("Sparse Sam", "sparse_sam"),
    ("Bayes Bea", "bayesbea"),
    ("Vector Vik", "vector_vik"),
    ("Proof Paloma", "proofpaloma"),
    ("Latent Lou", "latent_lou"),
    ("Epoch Eli", "epoch_eli"),
    ("Manifold Mo", "manifoldmo"),
    ("Token Tara", "token_tara"),
)

# What a reader writes when sharing a paper; ``{title}`` is the paper's title.
OPENERS = (
    "New on arXiv: {title}",
    "Worth a read: {title}",
    "Just read this one and liked it a lot. {title}",
    "{title}. Clear write-up, and the ablations are convincing.",
    "Interesting take: {title}",
    "Bookmarking for the weekend: {title}",
    "Our reading group picks this for Friday: {title}",
    "{title}. Curious whether it holds up at larger scale.",
)


def persona(rng: random.Random) -> tuple[str, str]:
    """A (display name, handle) pair."""
    return rng.choice(PERSONAS)


def remark(rng: random.Random, title: str, limit: int | None = None) -> str:
    """A post's words about the paper, its title cut at ``limit`` characters."""
    shown = title if limit is None or len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"
    return rng.choice(OPENERS).format(title=shown)
