"""Rendering: upstream text is inert everywhere, and the page says what is missing."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from typing import Any

import pytest
from hotpapers import website
from hotpapers.models import Post
from hotpapers.schedule import window_for
from hotpapers.scoring import Rules, score_snapshot
from hotpapers.snapshot import Snapshot
from hotpapers.website import mathml, text
from support.builders import atom_entry, atom_feed, tweet, x_page
from support.memory_store import MemoryStore
from support.seed_day import SEED as SEED_MARKDOWN

from bench.measures import downloaded

EVIL = '<script>alert("x")</script>'


def scored_day(*, failed: dict[str, str] | None = None, **entry: Any) -> dict[str, Any]:
    post = tweet("1", "a", "https://arxiv.org/abs/2007.00001", likes=60, text=f"Wow {EVIL} & more")
    sources: dict[str, Any] = {"x": {"status": "ok", "error": None, "files": []}}
    sources.update({name: {"status": "failed", "error": error, "files": []} for name, error in (failed or {}).items()})
    day = Snapshot(
        manifest={
            "date": "2020-07-09",
            "fetched_at": "2020-07-10T07:46:45Z",
            "window": window_for(date(2020, 7, 9)).to_dict(),
            "sources": sources,
        },
        arxiv=[atom_feed([atom_entry("2007.00001", **entry)])],
        sources={"x": {"search-0000.json": json.dumps(x_page([post])).encode()}},
    )
    return score_snapshot(day, Rules())


def test_upstream_text_is_escaped_in_markdown_and_html() -> None:
    # Given a paper and a post whose upstream text carries markup
    day = scored_day(title=f"Title {EVIL}", abstract=f"Abstract {EVIL}", authors=(f"Eve {EVIL}",))
    # When both documents are rendered
    for document in (website.markdown(day), website.page(day)):
        # Then no upstream tag survives, in the paper or in the post built from the API's fields
        assert "<script>alert" not in document
        assert "&lt;script" in document


def test_markdown_keeps_upstream_text_as_written_where_it_is_inert() -> None:
    # Given an abstract with quotes, ampersands and comparisons, and one with an entity and a tag
    plain = 'Raven\'s "Progressive" Matrices, R&D at p > 0.05 & more'
    day = scored_day(abstract=plain, title="Tags <b>bold</b> and &lt;entities&gt;")
    # When rendered to Markdown
    markdown = website.markdown(day)
    # Then plain text is untouched, as the seed has it ("Raven's Progressive Matrices")
    assert f"\n{plain}\n" in markdown
    # And what could become markup is shown as text, entities read as what they stand for
    assert "# 1. Tags &lt;b>bold&lt;/b> and &lt;entities>\n" in markdown


def test_counts_line_front_matter_and_links_follow_the_seed_format() -> None:
    markdown = website.markdown(scored_day(categories=("stat.ML", "cs.LG")))
    assert markdown.startswith("---\ntitle: Hot Papers 2020-07-09\ndate: 2020-07-10T07:46:45.Z\n")
    assert '  - "Twitter"\n' in markdown
    assert "\n- retweets: 0, favorites: 60 (07/10/2020 07:46:45)\n\n" in markdown
    assert "- links: [abs](https://arxiv.org/abs/2007.00001) | [pdf](https://arxiv.org/pdf/2007.00001)\n" in markdown
    assert (
        "- [stat.ML](https://arxiv.org/list/stat.ML/recent) | [cs.LG](https://arxiv.org/list/cs.LG/recent)\n"
        in markdown
    )


def test_missing_sources_are_said_in_reader_words_never_operator_text() -> None:
    # Given a day on which X had no token and Hugging Face answered 503
    operator = "HOTPAPERS_X_BEARER_TOKEN is not set (see README.md, 'Credentials')"
    day = scored_day(failed={"huggingface": "huggingface: HTTP 503"})
    day["sources"]["x"] = {"status": "out-of-reach", "error": operator, "posts": 0}
    # When both documents are rendered
    markdown, page = website.markdown(day), website.page(day)
    # Then they name the sources as readers know them, with what that means for the day
    assert "> Missing sources: Hugging Face (no data for this day); X (its posts are too old to search)." in markdown
    assert "<strong>Hugging Face</strong> (no data for this day)" in page
    # And no setting name, HTTP code or upstream text reaches either
    for document in (markdown, page):
        assert "HOTPAPERS_" not in document
        assert "503" not in document
    assert '"Hugging Face"' not in markdown


def test_flags_of_a_source_warn_readers_that_counts_may_be_low() -> None:
    # Given an ok source whose page cap was hit, and one that dropped malformed items
    day = scored_day()
    day["sources"]["x"].update(capped=True, skipped=2, degraded=True)
    # (and a failed source named before it, which has no caveat but is missing)
    day["sources"]["bluesky"] = {"status": "failed", "error": None, "files": []}
    # Then the page says its counts may be incomplete, in reader words
    page = website.page(day)
    assert "<strong>X</strong> (more posts than we read; its counts may be low)" in page
    assert "<strong>X</strong> (fewer posts than earlier today; some may be missing)" in page
    assert "<strong>X</strong> (2 unreadable items left out)" in page
    # And the seed-format Markdown stays as it was
    assert "Counts may be" not in website.markdown(day)


def test_a_suspect_source_is_said_to_look_incomplete_in_reader_words() -> None:
    # Given an ok source whose posts fell far below its recent days
    day = scored_day()
    day["sources"]["x"].update(suspect=True)
    # Then the page says its counts look incomplete, with no figure or setting
    page = website.page(day)
    assert "<strong>X</strong> (far fewer posts than on recent days; its counts look incomplete)" in page
    assert "median" not in page


def test_a_rate_limited_paper_signal_is_said_to_miss_figures_not_posts() -> None:
    # Given GitHub (stars, no posts) stopped by its rate limit
    day = scored_day()
    day["sources"]["github"] = {"status": "ok", "posts": 0, "capped": True}
    # Then readers are told figures may be missing, not that posts went unread
    page = website.page(day)
    said = "not every figure could be read; some may be missing; its counts may be low"
    assert f"<strong>GitHub</strong> ({said})" in page


def test_entities_in_an_abstract_are_decoded_in_markdown_and_none_becomes_a_tag() -> None:
    # Given an abstract holding numeric, hexadecimal and named entities, one inside math, and an escaped entity
    day = scored_day(
        abstract=r"a &#60;script&#62; b &#x3C;i&#x3E; c &lt;d&gt; with $\rho&lt; 0.95$, &amp;lt; and p < 0.05"
    )
    # When rendered to Markdown
    markdown = website.markdown(day)
    # Then each reads as the character it stands for, and none of them can turn into a tag
    assert "\na &lt;script> b &lt;i> c &lt;d> with $\\rho< 0.95$, &amp;lt; and p < 0.05\n" in markdown


def test_a_day_without_listed_papers_says_so() -> None:
    day = scored_day()
    day["papers"] = []
    assert "No paper reached the attention threshold on 2020-07-09." in website.markdown(day)
    assert "No paper reached the attention threshold" in website.page(day)


def test_only_http_links_from_upstream_become_hrefs() -> None:
    # Given a Hacker News story whose URL is a script, beside an ordinary one
    day = scored_day()
    story = Post(
        "hackernews",
        "1",
        "javascript:alert(1)",
        "a",
        "a",
        "Story",
        "not a date",
        {"points": 30, "comments": 3},
        links=("javascript:alert(2)",),
    )
    thread = Post(
        "reddit",
        "2",
        "https://www.reddit.com/r/MachineLearning/comments/2/",
        "b",
        "b",
        "Thread",
        "2020-07-09T10:00:00Z",
        {"score": 30, "comments": 3},
    )
    day["papers"][0]["posts"] = [story.to_dict(), thread.to_dict()]
    # When rendered
    markdown, page = website.markdown(day), website.page(day)
    # Then the script URLs are neutralised, the ordinary one is kept, and a garbled date is left out
    for document in (markdown, page):
        assert "javascript:" not in document
        assert 'href="https://www.reddit.com/r/MachineLearning/comments/2/"' in document
    assert "submitted by a on </blockquote>" in markdown
    assert "posted by u/b on July 9, 2020" in markdown
    assert 'href="https://www.reddit.com/r/MachineLearning/comments/2/">Reddit, July 9, 2020</a>' in page
    assert "not a date" not in page


def test_tags_name_the_sources_the_digest_shows() -> None:
    # Given a day scored with X and Hugging Face asked, but only X saying anything
    day = scored_day()
    day["present_sources"] = ["x", "huggingface"]
    day["sources"]["huggingface"] = {"status": "ok", "error": None, "posts": 0}
    # Then the front matter tags X (as the seed does) and not Hugging Face
    markdown = website.markdown(day)
    assert 'tags:\n  - "arXiv"\n  - "Twitter"\n  - "Machine Learning"\n  - "Computer Science"\n' in markdown
    # And a source the digest shows only by its figures (GitHub's stars) is tagged too
    day["papers"][0]["counts"]["github"] = {"stars": 5}
    assert '  - "Twitter"\n  - "GitHub"\n' in website.markdown(day)


# X's oEmbed markup in its documented shape, with what a hostile answer could slip into it.
HOSTILE_OEMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Wow &amp; <a href="javascript:alert(1)">click</a>'
    '<img src=x onerror=alert(1)><br><a href="https://t.co/abc">https://t.co/abc</a></p>&mdash; A &quot;B&quot; (@a) '
    '<a href="https://twitter.com/a/status/1?ref_src=twsrc%5Etfw">July 9, 2020</a></blockquote>\n'
    "<script>alert(2)</script>"
)
REBUILT_OEMBED = (
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Wow &amp; click<br>'
    '<a href="https://t.co/abc">https://t.co/abc</a></p>&mdash; A &quot;B&quot; (@a) '
    '<a href="https://twitter.com/a/status/1?ref_src=twsrc%5Etfw">July 9, 2020</a></blockquote>\n'
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
)


def test_x_posts_keep_their_oembed_markup_in_markdown_rebuilt_but_the_page_shows_them_statically() -> None:
    # Given an X post that carries X's oEmbed markup, with a script link, a handler and a script in it
    day = scored_day()
    day["papers"][0]["posts"][0]["html"] = HOSTILE_OEMBED
    # When rendered
    markdown, page = website.markdown(day), website.page(day)
    # Then the Markdown has the oEmbed markup as the seed does, built again from its parts alone
    assert f"\n{REBUILT_OEMBED}" in markdown
    for hostile in ("javascript:", "onerror", "alert(2)", "<img"):
        assert hostile not in markdown
    # And the page has the post built from its stored fields, with nothing from another host
    assert "twitter-tweet" not in page
    assert "<script" not in page.replace('<script defer src="../assets/', "")
    for tag in ("<iframe", "<img", "https://platform.twitter.com", "embed.bsky.app"):
        assert tag not in page
    assert '<li><p><b>User a</b> @usera · 60 likes · <a href="https://twitter.com/usera/status/1">X,' in page


def test_official_embeds_appear_only_when_turned_on_and_only_rebuilt() -> None:
    # Given an X post with oEmbed markup
    day = scored_day()
    day["papers"][0]["posts"][0]["html"] = HOSTILE_OEMBED
    # When the page is rendered with embeds turned on
    page = website.page(day, website.Chrome(embeds=True))
    # Then X's own markup, rebuilt, and its script are there, and nothing else the answer held
    assert REBUILT_OEMBED.split("\n")[0] in page
    assert "https://platform.twitter.com/widgets.js" in page
    for hostile in ("javascript:", "onerror", "alert(2)"):
        assert hostile not in page


def test_the_score_and_each_sources_figures_are_shown_as_badges() -> None:
    # Given a paper with X and Bluesky attention (quotes and replies count too)
    day = scored_day()
    entry = day["papers"][0]
    entry["counts"]["bluesky"] = {"likes": 40, "reposts": 5, "quotes": 1, "replies": 2}
    entry["points"]["bluesky"] = 50
    entry["score"] = 110
    # When the page is rendered
    page = website.page(day)
    # Then the score is a number, and each source has a badge with what it added and every figure,
    # in words that agree with the number
    assert "<strong>110</strong>" in page
    assert '<span class="b-x"><b>X</b> +60: 0 reposts, 60 likes</span>' in page
    assert '<span class="b-bluesky"><b>Bluesky</b> +50: 40 likes, 5 reposts, 1 quote, 2 replies</span>' in page


def test_text_mode_tex_reads_as_text_and_math_is_typeset_as_mathml_when_the_site_is_built() -> None:
    # Given an abstract with text-mode TeX, math, an HTML entity inside math, and math nothing can read
    abstract = (
        r"We call it a \emph{game sheaf}: ``bastion defense'' wins 90\% of games~at $W \geq 0.90$ and \(10^{-10}\)"
        r" with $\rho&lt; 0.95$, but $\frac{1}{$ stays."
    )
    day = scored_day(abstract=abstract, title=r"Sheaves with $x<y$")
    # When the page is rendered
    page = website.page(day)
    # Then the text reads as text, and the math is MathML the browser shows without any script
    assert (
        "We call it a <em>game sheaf</em>: \u201cbastion defense\u201d wins 90% of games\u00a0at "
        '<math display="inline"><mrow><mi>W</mi><mo>≥</mo><mn>0.90</mn></mrow></math>' in page
    )
    assert "<msup><mn>10</mn><mrow><mo>−</mo><mn>10</mn></mrow></msup>" in page
    assert "<mi>ρ</mi><mo>&lt;</mo><mn>0.95</mn>" in page
    assert 'Sheaves with <math display="inline"><mrow><mi>x</mi><mo>&lt;</mo><mi>y</mi></mrow></math>' in page
    # And TeX that cannot be read is shown as the TeX it is
    assert r"but $\frac{1}{$ stays." in page
    # And no page loads a script
    assert "<script" not in page


@pytest.mark.parametrize(
    ("tex", "forbidden"),
    [
        (r"$\href{javascript:alert(1)}{x}$", "javascript:"),
        (r"$\style{background:url(https://example.org/t)}{x}$", "example.org"),
        (r"$\color{red}{x}$", "red"),
        (r"$\unicode{x}$", "&#x;"),
        ("$<img src=x onerror=alert(1)>$", "<img"),
        ("$a & b$", "<mi>&</mi>"),
    ],
    ids=["href", "style", "colour", "bad-entity", "tag", "bare-ampersand"],
)
def test_math_becomes_only_mathml_that_cannot_link_style_or_script(tex: str, forbidden: str) -> None:
    # Given a title whose math asks for a link, a style, a colour, or carries markup
    day = scored_day(title=f"Title {tex}")
    # When the page is rendered
    page = website.page(day)
    # Then nothing of it is taken as more than math or text
    assert forbidden not in page
    heading = re.search(r"<h2><a [^>]*>(.*?)</a></h2>", page)
    assert heading is not None
    assert re.findall(r"<(\w+)", heading[1]) == [] or set(re.findall(r"<(\w+)", heading[1])) <= mathml.ELEMENTS


def test_long_author_lists_fold_and_posts_beyond_three_are_on_the_papers_page() -> None:
    # Given a paper with twelve authors and five posts
    day = scored_day(authors=tuple(f"Author {n}" for n in range(12)))
    first = day["papers"][0]["posts"][0]
    day["papers"][0]["posts"] = [{**first, "id": str(n), "text": f"Post {n}"} for n in range(5)]
    # When the digest and its papers' pages are rendered
    page, papers = website.page(day), website.paper_pages(day)
    # Then the authors are shortened and expandable
    assert "<summary>Author 0, Author 1, Author 2, Author 3, Author 4 … Author 11" in page
    assert "(12 authors)</summary>Author 5, Author 6, Author 7, Author 8, Author 9, Author 10</details>" in page
    # And the digest shows the first three posts and links the paper's page for all five
    assert all(f"Post {n}<" in page for n in range(3))
    assert "Post 3" not in page
    paper_id = day["papers"][0]["paper"]["id"]
    assert f'<p class="more-posts"><a href="../papers/{paper_id}.html#posts">All 5 posts</a></p>' in page
    # And that page has every post and every author, and links back to the paper on its day
    own = papers[f"papers/{paper_id}.html"]
    assert all(f"Post {n}<" in own for n in range(5))
    assert "Author 5, Author 6" in own
    assert '<a href="../digests/2020-07-09.html#paper-1">' in own
    assert 'href="../assets/site.' in own
    assert "more-posts" not in own


def test_a_day_whose_papers_have_three_posts_or_fewer_has_no_posts_page() -> None:
    # Given a day whose only paper has one post
    day = scored_day()
    # Then the digest shows it all and no posts page is made
    assert website.posts_pages(day) == {}
    assert "more-posts" not in website.page(day)


def test_a_long_abstract_shows_its_opening_and_folds_the_whole_with_its_math_typeset() -> None:
    # Given a paper with four posts whose abstract is long, with math across its 300th character and at its end
    opening = "We study sheaves on games. " * 10
    abstract = (
        opening
        + r"We bound $x^2 + y^2 + z^2 + w^2 + v^2$ and \emph{more}. "
        + "Long tail. " * 100
        + r"Up to 256$\times$256 pixels."
    )
    day = scored_day(abstract=abstract)
    day["papers"][0]["posts"] *= 4
    # When the digest and the paper's page are rendered
    page = website.page(day)
    (own,) = website.paper_pages(day).values()
    # Then the digest shows about its first three lines, the math left out whole, as a fold's summary
    fold = re.search(
        r'<details class="abs"><summary><span class="opening">(.*?)… </span>(.*?)</summary>(.*?)</details>', page
    )
    assert fold is not None
    assert fold[1] == opening + "We bound"
    assert "Show the whole abstract" in fold[2]
    # And the fold holds the whole abstract, in place, its math typeset as MathML to its very end
    assert fold[3].startswith(
        "<p>" + opening + 'We bound <math display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup>'
    )
    assert fold[3].endswith('Up to 256<math display="inline"><mrow><mo>×</mo></mrow></math>256 pixels.</p>')
    assert "Whole abstract on arXiv" not in page
    # And the paper's page shows the whole abstract unfolded
    assert '<p class="abs">' + opening + "We bound <math" in own
    assert '<details class="abs">' not in own


def test_a_short_abstract_is_shown_whole_without_a_fold() -> None:
    # Given a paper whose abstract is short
    day = scored_day(abstract="Short and sweet.")
    # Then its card shows it whole, with nothing to unfold
    page = website.page(day)
    assert '<p class="abs">Short and sweet.</p>' in page
    assert '<details class="abs">' not in page


@pytest.mark.parametrize(
    "abstract",
    [
        "Words " * 45 + "and $" + "x + " * 40 + "y$ after " * 20,
        "Words " * 45 + r"and \emph{" + "some emphasis " * 10 + "} after " * 20,
        "Words " * 45 + r"and \(" + "a + " * 30 + r"b\)" + " after" * 20,
    ],
    ids=["dollar-math", "text-command", "paren-math"],
)
def test_an_abstracts_opening_is_never_cut_inside_math_or_a_text_command(abstract: str) -> None:
    # Given an abstract whose 300th character falls inside math or a text-mode command
    assert len(abstract) > 400
    # When its opening is taken
    shown = text.opening(abstract, 300)
    # Then the cut falls before it, between words
    assert shown == ("Words " * 45 + "and").rstrip()
    # And a text barely longer than the limit is kept whole
    assert text.opening("word " * 70, 300) == "word " * 70


def test_paper_links_include_arxiv_html_and_the_code_repository() -> None:
    # Given a paper whose Hugging Face page names its repository
    day = scored_day()
    day["papers"][0]["posts"][0]["links"].append("https://github.com/owner/repo")
    # Then its card links abs, pdf, arXiv's HTML version and the code
    page = website.page(day)
    assert (
        '<a href="https://arxiv.org/html/2007.00001">html</a><a href="https://github.com/owner/repo">code</a>' in page
    )
    assert '<a href="../categories/cs.LG.html">cs.LG</a>' in page


def test_a_project_page_is_linked_from_the_hugging_face_paper_page_only() -> None:
    # Given a paper whose X post links a blog, and whose Hugging Face page names a project page
    day = scored_day()
    day["papers"][0]["posts"][0]["links"].append("https://someones.blog/post")
    hf_post = {**day["papers"][0]["posts"][0], "source": "huggingface", "id": "2007.00001"}
    hf_post["links"] = ["https://huggingface.co/papers/2007.00001", "https://project.example.org/"]
    day["papers"][0]["posts"].append(hf_post)
    # Then the card links the project page, and not the blog an X post linked
    page = website.page(day)
    assert '<a href="https://project.example.org/">project</a>' in page
    assert 'href="https://someones.blog/post">project<' not in page


def _fifty_papers(posts: int) -> dict[str, Any]:
    """Fifty papers shaped like the demo days' listed papers on average (a long title, eight
    authors, a 1,400-character abstract, three categories), each with ``posts`` posts of 130
    characters, the busiest bearing every source's figures."""
    day = scored_day(categories=("cs.LG", "cs.AI", "stat.ML"))
    template = day["papers"][0]
    post = {**template["posts"][0], "text": "A" * 106 + " https://t.co/abcdefgh", "author_name": "Some Reader Name"}
    day["papers"] = [
        {
            **template,
            "rank": rank,
            "paper": {
                **template["paper"],
                "id": f"2007.{rank:05d}",
                "title": "T" * 95,
                "authors": [f"Author Number {n}" for n in range(8)],
                "abstract": "word " * 280,
            },
            "posts": [{**post, "id": str(n)} for n in range(posts)],
        }
        for rank in range(1, 51)
    ]
    return day


def test_a_25_paper_digest_with_whole_abstracts_and_math_downloads_at_most_40_kb_with_all_it_loads() -> None:
    # Given 25 papers of eight authors, with whole abstracts in words of real abstracts (drawn at
    # random, so they compress worse than prose), math in every abstract's opening, and ten posts each
    words = re.findall(r"[A-Za-z]+", SEED_MARKDOWN.read_text(encoding="utf-8").split("---", 2)[2])
    draw = random.Random(25)
    prose = lambda count: " ".join(draw.choice(words) for _ in range(count))  # noqa: E731
    day = _fifty_papers(posts=10)
    day["papers"] = day["papers"][:25]
    for entry in day["papers"]:
        entry["paper"] = {
            **entry["paper"],
            "title": prose(10),
            "abstract": f"{prose(12)} $O(n^2)$ {prose(180)} up to 256$\\times$256 pixels.",
        }
        entry["posts"] = [{**post, "text": prose(18)} for post in entry["posts"]]
    site = MemoryStore()
    # When the day is published
    website.publish_day(day, website.SiteOptions(sources=("x",)), site)
    # Then the page, with everything it loads, is at most 40 KB as a reader downloads it
    loaded = downloaded(site.objects, "digests/2020-07-09.html")
    assert sum(loaded.values()) <= 40 * 1024, loaded
    # And it holds every abstract whole, its math typeset
    assert site.objects["digests/2020-07-09.html"].count(b"256<math") == 25
    # And each paper's own page (its whole abstract, ten posts, its chart) is small: at most 8 KB
    # with the stylesheet (about 5 KB)
    papers = [key for key in site.objects if key.startswith("papers/")]
    assert len(papers) == 25
    for paper_page in papers:
        own = downloaded(site.objects, paper_page)
        assert sum(own.values()) <= 8 * 1024, own


def test_only_arxiv_category_names_become_category_links() -> None:
    # Given a paper whose categories include one that is not an arXiv category name
    day = scored_day(categories=("cs.LG", "../../index"))
    # Then the real one links its page and the other is shown as text
    page = website.page(day)
    assert '<a href="../categories/cs.LG.html">cs.LG</a><span>../../index</span>' in page


def test_a_page_rendered_alone_links_the_sites_own_hashed_stylesheet() -> None:
    # Given a day, rendered without saying where the assets are
    page = website.page(scored_day(abstract="Bounds for $x^2$."))
    # Then it links the hashed stylesheet the site publishes, and nothing else
    assert re.search(r'href="\.\./assets/site\.[0-9a-f]{10}\.css"', page)
    assert "<script" not in page


def test_tex_quotes_are_normalised_the_same_way_in_html_and_markdown() -> None:
    # Given an abstract with TeX quotes, outside and inside math
    day = scored_day(abstract=r"A ``good'' model and its $f''(x)$.")
    # When both documents are rendered
    markdown, page = website.markdown(day), website.page(day)
    # Then both show the quotes as typeset quotes, and leave the math's primes alone
    assert "A \u201cgood\u201d model and its $f''(x)$." in markdown
    assert "A \u201cgood\u201d model and its <math" in page


def test_a_category_that_is_no_arxiv_name_is_inert_text_in_the_markdown() -> None:
    # Given a paper whose category term is markup
    day = scored_day()
    day["papers"][0]["paper"]["categories"] = ["cs.LG", '<img src=x onerror="alert(1)">']
    # When the Markdown is rendered
    markdown = website.markdown(day)
    # Then the arXiv name is a link, the other escaped text and no link
    assert '[cs.LG](https://arxiv.org/list/cs.LG/recent) | &lt;img src=x onerror="alert(1)">' in markdown
    assert "<img" not in markdown
