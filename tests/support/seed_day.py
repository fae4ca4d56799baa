"""The seed digest ("Hot Papers 2020-07-09") turned back into the upstream answers behind it.

``SeedDay.load()`` parses the seed Markdown; ``arxiv_feed()`` gives the arXiv API page (late-2025
Atom format) and ``x_pages()`` the X API v2 recent-search pages (documented shape) whose posts
are the seed's, rebuilt from their oEmbed markup. Per-post engagement is not in the seed, so it
is made up: every shown post gets at least the seed's 25, in the seed's order, and one more
small post per paper makes the sums equal the seed's counts line.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from support.builders import atom_entry, atom_feed

SEED = Path(__file__).parent.parent / "fixtures" / "seed" / "hot-papers-2020-07-09.md"
DATE = "2020-07-09"
NOW = "2020-07-10T07:46:45Z"
TWITTER_EPOCH_MS = 1288834974657

_SECTION = re.compile(r"^# (\d+)\. (.+)$", re.MULTILINE)
_COUNTS = re.compile(r"^- retweets: (\d+), favorites: (\d+) \((.+)\)$", re.MULTILINE)
_QUOTE = re.compile(
    r'<blockquote class="twitter-tweet"><p lang="(?P<lang>[^"]+)" dir="ltr">(?P<body>.*?)</p>&mdash; '
    r'(?P<name>.*?) \(@(?P<handle>\w+)\) <a href="https://twitter\.com/\w+/status/(?P<id>\d+)\?ref_src=twsrc%5Etfw">'
    r"(?P<date>[^<]+)</a></blockquote>\n<script[^\n]*</script>\n"
)
_ANCHOR = re.compile(r'<a href="(?P<href>[^"]+)">(?P<label>[^<]+)</a>')


@dataclass
class SeedPaper:
    rank: int
    id: str
    title: str
    authors: list[str]
    categories: list[str]
    abstract: str
    retweets: int
    favorites: int
    quotes: list[str]
    """The seed's post markup, each exactly as it stands in the digest."""


def _tweet_from_quote(match: re.Match[str]) -> dict[str, Any]:
    """The API v2 tweet (text with &, <, > as entities; entities) that oEmbed rendered as ``match``."""
    urls, mentions, hashtags = [], [], []

    def anchor(found: re.Match[str]) -> str:
        href, label = html.unescape(found["href"]), html.unescape(found["label"])
        if href.startswith("https://t.co/"):
            display = label if label.startswith("pic.") else href.removeprefix("https://")
            urls.append({"url": href, "expanded_url": href, "display_url": display})
            return href
        if label.startswith("@"):
            mentions.append({"username": label[1:]})
        elif label.startswith("#"):
            hashtags.append({"tag": label[1:]})
        return label

    body = _ANCHOR.sub(anchor, match["body"]).replace("<br>", "\n")
    text = html.unescape(body).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    created = datetime.fromtimestamp(((int(match["id"]) >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)
    return {
        "id": match["id"],
        "text": text,
        "lang": match["lang"],
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "entities": {"urls": urls, "mentions": mentions, "hashtags": hashtags},
        "author": {"name": html.unescape(match["name"]), "username": match["handle"]},
    }


@dataclass
class SeedDay:
    text: str
    papers: list[SeedPaper]

    @classmethod
    def load(cls) -> SeedDay:
        text = SEED.read_text(encoding="utf-8")
        starts = [match.start() for match in _SECTION.finditer(text)] + [len(text)]
        papers = []
        for start, end in itertools.pairwise(starts):
            section = text[start:end]
            header = _SECTION.match(section)
            counts = _COUNTS.search(section)
            assert header
            assert counts
            lines = section.split("\n")
            paper_id = re.search(r"arxiv\.org/abs/([^)]+)\)", section)
            assert paper_id
            papers.append(
                SeedPaper(
                    rank=int(header[1]),
                    id=paper_id[1],
                    title=header[2],
                    authors=lines[2].split(", "),
                    categories=re.findall(r"\[([^\]]+)\]\(https://arxiv\.org/list/", section),
                    abstract=lines[9],
                    retweets=int(counts[1]),
                    favorites=int(counts[2]),
                    quotes=[match.group() for match in _QUOTE.finditer(section)],
                )
            )
        return cls(text=text, papers=papers)

    def tweets(self) -> list[dict[str, Any]]:
        """Every post of the seed plus one small filler post per paper, engagement assigned."""
        tweets = []
        for paper in self.papers:
            shown = [_tweet_from_quote(m) for m in _QUOTE.finditer("".join(paper.quotes))]
            for tweet in shown:
                tweet["entities"]["urls"][0]["expanded_url"] = f"https://arxiv.org/abs/{paper.id}v1"
            # Posts after the first get 25, 26, ... in reverse, so the seed's order is the ranking.
            tail = [(1, 24 + len(shown) - position) for position in range(1, len(shown))]
            filler_rt, filler_fav = 0, 3
            head_rt = paper.retweets - sum(rt for rt, _ in tail) - filler_rt
            head_fav = paper.favorites - sum(fav for _, fav in tail) - filler_fav
            for tweet, (rt, fav) in zip(shown, [(head_rt, head_fav), *tail], strict=True):
                tweet["public_metrics"] = {
                    "retweet_count": rt,
                    "like_count": fav,
                    "reply_count": 0,
                    "quote_count": 0,
                }
            filler = {
                "id": str(int(shown[0]["id"]) + 1),
                "text": f"Reading https://t.co/filler{paper.rank}",
                "lang": "en",
                "created_at": shown[0]["created_at"],
                "entities": {
                    "urls": [
                        {
                            "url": f"https://t.co/filler{paper.rank}",
                            "expanded_url": f"http://arxiv.org/pdf/{paper.id}v1.pdf",
                            "display_url": f"arxiv.org/pdf/{paper.id}v1.pdf",
                        }
                    ]
                },
                "author": {"name": "Filler Reader", "username": "filler_reader"},
                "public_metrics": {
                    "retweet_count": filler_rt,
                    "like_count": filler_fav,
                    "reply_count": 0,
                    "quote_count": 0,
                },
            }
            tweets.extend([*shown, filler])
        return tweets

    def x_pages(self, page_size: int = 8) -> list[dict[str, Any]]:
        """Recent-search pages in the API v2 shape, linked by ``next_token``."""
        tweets = self.tweets()
        users: dict[str, dict[str, str]] = {}
        data = []
        for tweet in tweets:
            author = tweet["author"]
            user = users.setdefault(author["username"], {"id": str(1000 + len(users)), **author})
            data.append({key: value for key, value in tweet.items() if key != "author"} | {"author_id": user["id"]})
        pages = []
        for number, start in enumerate(range(0, len(data), page_size)):
            chunk = data[start : start + page_size]
            authors = {tweet["author_id"] for tweet in chunk}
            meta: dict[str, Any] = {
                "result_count": len(chunk),
                "newest_id": chunk[0]["id"],
                "oldest_id": chunk[-1]["id"],
            }
            if start + page_size < len(data):
                meta["next_token"] = f"seed-page-{number + 1}"
            pages.append(
                {
                    "data": chunk,
                    "includes": {"users": [u for u in users.values() if u["id"] in authors]},
                    "meta": meta,
                }
            )
        return pages

    def oembeds(self) -> dict[str, str]:
        """Post URL -> the oEmbed ``html`` X would answer (the seed's own markup)."""
        found = {}
        for paper in self.papers:
            for quote in paper.quotes:
                match = _QUOTE.match(quote)
                assert match
                found[f"https://twitter.com/{match['handle']}/status/{match['id']}"] = quote
        return found

    def atom_entries(self) -> list[str]:
        """The seed's papers as arXiv API entries (late-2025 Atom format)."""
        return [
            atom_entry(p.id, p.title, authors=tuple(p.authors), categories=tuple(p.categories), abstract=p.abstract)
            for p in self.papers
        ]

    def arxiv_feed(self) -> bytes:
        """The arXiv API answer for the seed's window."""
        return atom_feed(self.atom_entries())
