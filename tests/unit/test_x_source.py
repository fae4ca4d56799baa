"""X: retweets, long posts, linking by text, and the oEmbed markup rebuilt from the API's fields."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hotpapers.linking import link_posts, paper_ids_of
from hotpapers.models import Post
from hotpapers.sources.x import X, _tokens, embed_html
from hypothesis import given
from hypothesis import strategies as st
from support.builders import tweet, x_page
from support.seed_day import SeedDay

PAPER = "2606.01002"


def parse(page: dict[str, Any]) -> list[Post]:
    return X.parse({"search-0000.json": json.dumps(page).encode()})


def test_a_retweet_known_only_by_its_rt_prefix_is_a_repost() -> None:
    # Given a retweet without referenced_tweets, carrying the original's copied counts
    retweet = tweet("1900000000000000011", "1", f"https://arxiv.org/abs/{PAPER}", retweets=90, likes=400)
    retweet["text"] = "RT @alice: A great paper " + retweet["text"]
    # When the page is parsed
    (post,) = parse(x_page([retweet]))
    # Then the post is a repost, and links no paper (its counts must never be scored)
    assert post.is_repost
    assert link_posts([post], {PAPER}) == {}


def test_a_post_merely_mentioning_rt_is_not_a_repost() -> None:
    # Given a post whose text only contains "RT @" later on
    found = tweet("1900000000000000012", "1", f"https://arxiv.org/abs/{PAPER}", text="Please RT @alice")
    # When parsed
    (post,) = parse(x_page([found]))
    # Then it is an ordinary post
    assert not post.is_repost


def test_a_paper_linked_past_280_characters_is_found_in_the_note_tweet() -> None:
    # Given a long post whose truncated text links a blog and whose note links the paper
    long_post = tweet("1900000000000000013", "1", "https://example.org/blog", likes=30)
    long_post["note_tweet"] = {
        "text": "A long thread ... https://t.co/blog https://t.co/paper",
        "entities": {
            "urls": [
                {"url": "https://t.co/blog", "expanded_url": "https://example.org/blog"},
                {
                    "url": "https://t.co/paper",
                    "expanded_url": "https://t.co/paper",
                    "unwound_url": f"https://arxiv.org/abs/{PAPER}v2",
                },
            ]
        },
    }
    # When parsed
    (post,) = parse(x_page([long_post]))
    # Then the note's URLs join the post's links, each once, and the post links the paper
    assert post.links == ("https://example.org/blog", f"https://arxiv.org/abs/{PAPER}v2")
    assert link_posts([post], {PAPER}) == {PAPER: [post]}


def test_a_post_linked_only_through_its_text_has_the_same_papers_for_scoring_and_enriching() -> None:
    # Given a post whose URL is a blog and whose text names the paper
    found = tweet("1900000000000000014", "1", "https://example.org/blog", text=f"Read arXiv:{PAPER} first")
    (post,) = parse(x_page([found]))
    # When its papers are asked for
    papers = paper_ids_of(post)
    # Then the text's paper is among them, as link_posts links it
    assert papers == [PAPER]
    assert link_posts([post], {PAPER}) == {PAPER: [post]}


def test_a_post_whose_author_is_not_included_degrades_to_its_own_url() -> None:
    # Given a page whose includes.users lacks the post's author
    page = x_page([tweet("1900000000000000015", "7", f"https://arxiv.org/abs/{PAPER}")])
    page["includes"]["users"] = []
    # When parsed and shown
    (post,) = parse(page)
    markup = X.shown(post).html
    # Then the post's URL and its markup's link are X's author-less address, and no empty byline is shown
    assert post.url == "https://twitter.com/i/web/status/1900000000000000015"
    assert markup is not None
    assert f'&mdash; <a href="{post.url}?ref_src=twsrc%5Etfw">July 9, 2020</a></blockquote>' in markup
    assert "(@)" not in markup
    assert "twitter.com//" not in markup


def test_the_markup_has_oembeds_byline_when_the_author_is_included() -> None:
    # Given a post and its author
    page = x_page([tweet("1900000000000000016", "7", f"https://arxiv.org/abs/{PAPER}")])
    page["includes"]["users"] = [{"id": "7", "name": "Ada <Lovelace>", "username": "ada"}]
    # When its markup is rebuilt
    (post,) = parse(page)
    markup = embed_html(post)
    # Then it is oEmbed's, byline and link included
    assert markup == (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Look '
        '<a href="https://t.co/00160">https://t.co/00160</a></p>&mdash; Ada &lt;Lovelace&gt; (@ada) '
        '<a href="https://twitter.com/ada/status/1900000000000000016?ref_src=twsrc%5Etfw">July 9, 2020</a>'
        '</blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
    )


def test_the_seeds_markup_is_rebuilt_byte_for_byte_without_oembed(seed_day: SeedDay) -> None:
    # Given the seed day's search pages and no oEmbed answers
    documents = {f"search-{n:04d}.json": json.dumps(page).encode() for n, page in enumerate(seed_day.x_pages())}
    # When parsed and shown
    posts = {post.url: post for post in X.parse(documents)}
    # Then every shown post's markup is the seed's own
    for url, quote in seed_day.oembeds().items():
        assert X.shown(posts[url]).html == quote


def _tokens_by_pattern(text: str, links: list[str]) -> list[tuple[int, str]]:
    """The tokens as a pattern of the post's own links finds them (how the markup was built before)."""
    known = "|".join(re.escape(url) for url in sorted(links, key=len, reverse=True))
    pattern = re.compile(f"{known}|[@#]\\w+" if known else r"[@#]\w+")
    return [(match.start(), match.group()) for match in pattern.finditer(text)]


LINKS = st.lists(st.sampled_from(["https://t.co/a", "https://t.co/ab", "t.co/a", "#x", "@a", "a@"]), max_size=4)


@given(text=st.text(alphabet="ab@#x/:.htps \n", max_size=60), links=LINKS.map(lambda found: list(dict.fromkeys(found))))
def test_tokens_are_those_a_pattern_of_the_posts_links_finds(text: str, links: list[str]) -> None:
    # Given any text and links (prefixes of each other, back to back, looking like mentions)
    # When its tokens are found
    found = list(_tokens(text, links))
    # Then they are the ones, in the places, a pattern of the post's own links finds
    assert found == _tokens_by_pattern(text, links)


def test_markup_is_rebuilt_without_compiling_a_pattern_per_post(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given posts that each link their own t.co address
    posts = parse(x_page([tweet(f"19000000000000{n:05d}", "7", f"https://arxiv.org/abs/{PAPER}") for n in range(20)]))
    compiled: list[str] = []
    real_compile = re.compile
    monkeypatch.setattr(re, "compile", lambda pattern, *args: compiled.append(pattern) or real_compile(pattern, *args))
    # When their markup is rebuilt
    for post in posts:
        embed_html(post)
    # Then no pattern is compiled for them (on a big day that was half of the score step)
    assert compiled == []


def test_a_link_entity_that_is_no_web_address_is_shown_as_text_never_as_a_link() -> None:
    # Given a post whose entities name a script URL as one of its links, written in its text
    found = tweet("1", "a", "https://arxiv.org/abs/2007.04001", likes=30)
    found["entities"]["urls"].append({"url": "javascript:alert(1)", "expanded_url": "https://example.org/"})
    found["text"] += " javascript:alert(1)"
    (post,) = X.parse({"search-0000.json": json.dumps(x_page([found])).encode()})

    # When its embed markup is built from its fields
    markup = X.shown(post).html or ""

    # Then the script URL is text, and the post's other link is still a link
    assert 'href="javascript:' not in markup
    assert "javascript:alert(1)</p>" in markup
    assert '<a href="https://t.co/' in markup
