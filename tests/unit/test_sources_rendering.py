"""Posts from every source are rendered as what they are, with upstream text made inert."""

from __future__ import annotations

import json
from typing import Any

from hotpapers import website
from hotpapers.scoring import Rules, score_snapshot
from support.builders import tweet, x_page
from support.sources_day import BOT, EXAMPLE_LINE, fixture, snapshot, stored_documents

EVIL = '<img src=x onerror="alert(1)">'


def day(documents: dict[str, dict[str, bytes]] | None = None, sources: str | None = None) -> dict[str, Any]:
    rules = Rules(ignored_accounts=frozenset({("bluesky", BOT)}))
    return score_snapshot(
        snapshot(sources or "x,hackernews,bluesky,reddit,huggingface,github", documents=documents), rules
    )


def test_each_post_is_rendered_as_what_it_is() -> None:
    # Given the day with every source
    markdown = website.markdown(day())
    # Then an HN story shows its link, points and comment thread
    assert (
        '<blockquote class="hn-story"><p><a href="https://arxiv.org/abs/2606.01001">'
        "Paper A: attention from every place</a></p>&mdash; 100 points and "
        '<a href="https://news.ycombinator.com/item?id=44100001">40 comments</a> on Hacker News, '
        "submitted by hn_alice on June 2, 2026</blockquote>" in markdown
    )
    # And a Bluesky post is in Bluesky's embed markup, with its author and date
    assert (
        '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:alice0000000000000000001/'
        'app.bsky.feed.post/3lqaaaaaaaa2a"><p lang="en">Paper A is out, and it is good. arxiv.org/abs/2606.0100...'
        "</p>&mdash; Alice Example (@alice.bsky.social) "
        '<a href="https://bsky.app/profile/alice.bsky.social/post/3lqaaaaaaaa2a">June 2, 2026</a>'
        "</blockquote>\n" + website.BLUESKY_EMBED in markdown
    )
    # And a Reddit thread shows its subreddit, score and comments
    assert (
        '<blockquote class="reddit-post"><p><a href="https://www.reddit.com/r/MachineLearning/comments/1l2b0a1/'
        'r_paper_b_a_second_look_at_counting/">[R] Paper B: a second look at counting</a></p>&mdash; 50 points and '
        "12 comments in r/MachineLearning, posted by u/r_alice on June 2, 2026</blockquote>" in markdown
    )
    # And the counts line of the same paper lists every source
    assert f"- {EXAMPLE_LINE} (06/03/2026 07:46:45)" in markdown


def test_a_paper_discussed_only_on_x_keeps_the_seeds_counts_line() -> None:
    # Given paper D discussed only on X, on a day when every source was fetched
    documents = stored_documents()
    documents["x"] = {
        "search-0000.json": json.dumps(
            x_page([tweet("9", "9", "https://arxiv.org/abs/2606.01004", retweets=7, likes=70)])
        ).encode()
    }
    markdown = website.markdown(day(documents))
    # Then its line is exactly the seed's
    assert "\n- retweets: 7, favorites: 70 (06/03/2026 07:46:45)\n" in markdown


def test_upstream_text_of_every_source_is_inert() -> None:
    # Given stories, posts and threads whose titles, texts, names and links carry markup
    documents = stored_documents()
    hn = json.loads(fixture("hackernews_search_by_date_DOCUMENTED_SHAPE.json"))
    hn["hits"][0].update(title=f"HN {EVIL}", author=f"a{EVIL}", url='https://arxiv.org/abs/2606.01001?"onmouseover="x')
    bluesky = json.loads(fixture("bluesky_searchPosts_DOCUMENTED_SHAPE.json"))
    bluesky["posts"][0]["record"]["text"] = f"Bluesky {EVIL} https://arxiv.org/abs/2606.01001"
    bluesky["posts"][0]["author"]["displayName"] = f"Alice {EVIL}"
    reddit = json.loads(fixture("reddit_search_listing_arxiv_REAL_FIELDS_REPOINTED.json"))
    for child in reddit["data"]["children"]:
        child["data"]["title"] = f"Reddit {EVIL}"
        child["data"]["subreddit"] = f"sub{EVIL}"
    documents["hackernews"] = {"p.json": json.dumps(hn).encode()}
    documents["bluesky"] = {"search-0000.json": json.dumps(bluesky).encode()}
    documents["reddit"] = {"search-0000.json": json.dumps(reddit).encode()}
    scored = day(documents)
    # When rendered to Markdown and to the pages (the digest, and the papers' pages holding every post)
    html = website.page(scored) + "".join(website.paper_pages(scored).values())
    for document in (website.markdown(scored), html):
        # Then no upstream tag or attribute survives as markup
        assert EVIL not in document
        assert '"onmouseover="' not in document
        assert "HN &lt;img src=x onerror=" in document
        assert "Bluesky &lt;img" in document
        assert "Reddit &lt;img" in document


def test_with_embeds_on_bluesky_posts_get_bluesky_embed_and_only_x_posts_get_x_script() -> None:
    # Given a day in which only Bluesky discussed the papers
    bluesky_only = day(sources="bluesky")

    # When its page is rendered with the platforms' own embeds turned on, and off
    embedded = website.page(bluesky_only, website.Chrome(embeds=True))
    static = website.page(bluesky_only)

    # Then Bluesky's embed markup and script are there only when turned on, and X's script never
    assert 'class="bluesky-embed"' in embedded
    assert "https://embed.bsky.app/static/embed.js" in embedded
    assert "embed.bsky.app" not in static
    assert "platform.twitter.com" not in embedded
