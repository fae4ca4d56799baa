"""GitHub: illustrative repository and stargazer answers for the repositories the discussed papers name."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hotpapers.linking import find_github_repos

from recording.common import Day, iso


def illustrative_github(day: Day, papers: list[dict], hf: list[dict], rng: random.Random, fast: str) -> list[dict]:
    """Routes answering for the repositories of discussed papers that Hugging Face gives no stars for:
    the repositories are the ones the papers name, their star counts and stargazers illustrative."""
    hf_by_id = {item["paper"]["id"]: item["paper"] for item in hf}
    wanted = []
    for paper in papers:
        hf_paper = hf_by_id.get(paper["id"], {})
        if isinstance(hf_paper.get("githubStars"), int):
            continue
        found = find_github_repos([hf_paper.get("githubRepo") or ""]) or find_github_repos(
            [paper.get("comment") or "", paper["summary"]]
        )
        if found:
            wanted.append((paper, found[0]))
    routes = []
    for number, (paper, repository) in enumerate(wanted):
        owner, name = repository.split("/")
        # One starred so fast that three pages do not reach back to the window: shown as a total.
        stars = 480 if paper["id"] == fast else rng.randint(0, 300)
        gained = 420 if stars == 480 else rng.randint(0, stars)
        older = sorted(
            day.moment(rng, datetime(2025, 9, 1, tzinfo=UTC), day.window_start) for _ in range(stars - gained)
        )
        starred = older + sorted(day.moment(rng) for _ in range(gained))
        key = repository.replace("/", "__", 1)
        created = older[0] if older else day.window_start
        routes.append(
            _github_route(
                day,
                f"/gh/repos/{repository}",
                f"github_repo_{key}_ILLUSTRATIVE.json",
                {
                    "id": 990000000 + number,
                    "node_id": f"R_kgDEMO{day.shift}{number:03d}",
                    "name": name,
                    "full_name": f"{owner}/{name}",
                    "private": False,
                    "owner": {"login": owner, "id": 70000000 + number, "type": "User", "site_admin": False},
                    "html_url": f"https://github.com/{owner}/{name}",
                    "description": f"Code for the paper {paper['title'][:90]}",
                    "fork": False,
                    "url": f"https://api.github.com/repos/{owner}/{name}",
                    "created_at": iso(created - timedelta(days=3), millis=False),
                    "updated_at": iso(day.now, millis=False),
                    "pushed_at": iso(day.now - timedelta(hours=5), millis=False),
                    "homepage": None,
                    "size": rng.randint(100, 90000),
                    "stargazers_count": stars,
                    "watchers_count": stars,
                    "language": "Python",
                    "forks_count": stars // 9,
                    "open_issues_count": rng.randint(0, 12),
                    "license": None,
                    "topics": [],
                    "visibility": "public",
                    "default_branch": "main",
                    "subscribers_count": max(1, stars // 30),
                },
            )
        )
        for page in range(1, math.ceil(stars / 100) + 1):
            routes.append(
                _github_route(
                    day,
                    f"/gh/repos/{repository}/stargazers",
                    f"github_stargazers_{key}_p{page}_ILLUSTRATIVE.json",
                    [
                        {
                            "starred_at": iso(when, millis=False),
                            "user": {
                                "login": f"demo-stargazer-{n}",
                                "id": 80000000 + n,
                                "type": "User",
                                "site_admin": False,
                            },
                        }
                        for n, when in enumerate(starred[(page - 1) * 100 : page * 100], start=(page - 1) * 100)
                    ],
                    query={"page": str(page)},
                )
            )
    return routes


def _github_route(day: Day, path: str, name: str, document: Any, query: dict[str, str] | None = None) -> dict:
    route = {"path": path, "body": day.write(name, document), "content_type": "application/json"}
    if query:
        route["query"] = query
    return route
