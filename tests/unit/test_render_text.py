"""Upstream text for pages: post texts escaped, their links and line breaks kept."""

from __future__ import annotations

from hotpapers.website import text, words


def test_a_posts_urls_become_links_shown_without_their_scheme_and_line_breaks_are_kept() -> None:
    # Given a post on two lines, one of its links an archived page holding another URL
    post = "Read <this>:\nhttps://web.archive.org/web/2020/https://example.org/paper and http://a.example/x."
    # When it is made HTML
    html = str(text.linked(post))
    # Then its text is escaped, each URL is a link shown from its host on, and its lines stay apart
    assert html == (
        "Read &lt;this&gt;:<br>"
        '<a href="https://web.archive.org/web/2020/https://example.org/paper">'
        "web.archive.org/web/2020/https://example.org/paper</a>"
        ' and <a href="http://a.example/x">a.example/x</a>.'
    )


def test_a_post_without_text_shows_nothing() -> None:
    assert str(text.linked(None)) == ""
    assert str(text.linked("")) == ""


def test_missing_text_is_empty_in_markdown_and_html() -> None:
    assert text.inert(None) == ""
    assert str(text.tex(None)) == ""


def test_only_http_and_https_urls_are_links_whatever_their_case() -> None:
    assert text.href("http://a.example/x") == "http://a.example/x"
    assert text.href("HTTPS://a.example/x") == "HTTPS://a.example/x"
    assert text.href("javascript:alert(1)") == "#"
    assert text.href(None) == "#"


def test_text_mode_tex_is_read_around_math_and_never_inside_it() -> None:
    # Given dashes before, inside and after inline math
    html = str(text.tex("a -- $x--y$ -- b"))
    # Then the text's dashes become en dashes and the math's stay two minus signs
    assert (
        html == 'a \u2013 <math display="inline"><mrow><mi>x</mi><mo>−</mo><mo>−</mo><mi>y</mi></mrow></math> \u2013 b'
    )


def test_figures_are_read_as_numbers_with_their_words() -> None:
    assert (words.number(1421), words.number(12.5)) == ("1,421", "12.5")
    assert [words.figure(1, metric) for metric in ("replies", "stars", "likes", "score")] == [
        "1 reply",
        "1 new star",
        "1 like",
        "1 point",
    ]
    assert words.figure(3, "replies") == "3 replies"


def test_a_source_name_readers_would_not_know_is_shown_as_it_is() -> None:
    assert (words.source_name("x"), words.source_name("bluesky")) == ("X", "Bluesky")
    assert words.source_name("mastodon") == "mastodon"


def test_a_source_in_a_state_readers_have_no_words_for_gave_no_data() -> None:
    assert words.missing({"x": {"status": "ok"}, "reddit": {"status": "paused"}}) == [
        ("Reddit", "no data for this day")
    ]


def test_an_opening_keeps_a_text_up_to_a_quarter_longer_than_the_limit_whole() -> None:
    # Given texts of exactly a limit and a quarter, and one character more
    limit = 20
    whole = "abcd " * 5  # 25 characters: 20 + 20 // 4
    # When their openings are taken / Then the first is kept whole, the second cut at a space
    assert text.opening(whole, limit) == whole
    assert text.opening(whole + "x", limit) == "abcd abcd abcd abcd"
    # And a missing text is empty
    assert text.opening(None, limit) == ""


def test_an_opening_is_cut_at_the_last_space_tab_or_newline_before_the_limit() -> None:
    # Given long texts whose last break before the 12th character is a space, a tab or a newline
    for separator in (" ", "\t", "\n"):
        value = f"one two{separator}three four five six seven"
        # When the opening is taken / Then it ends at that break, the break itself left out
        assert text.opening(value, 12) == "one two", repr(separator)
    # And a break exactly at the limit is not used: the cut is before the limit
    assert text.opening("aaaa bbbbbbb" + " c" * 20, 12) == "aaaa"


def test_an_opening_drops_the_punctuation_it_ends_on() -> None:
    for ending in (",", ";", ":", "."):
        assert text.opening(f"first words{ending} then more words " * 3, 13) == "first words"
    # And a text with no break before the limit is kept whole rather than cut inside a word
    assert text.opening("x" * 40, 10) == "x" * 40


def test_an_opening_steps_back_over_each_math_span_it_would_cut() -> None:
    # Given a text where the last space before the limit is inside a text-mode command, and the
    # last space before that command inside math
    value = r"intro $a + b$\emph{c d e} tail " + "more words " * 10
    # When the opening is taken in the command's middle
    cut_at = value.index("d e}")
    # Then it is cut before both, between words
    assert text.opening(value, cut_at) == "intro"
    # And math after a space that is free is left out whole, the cut at that space
    spaced = "intro $a + b$ $c + d + e$ tail " + "more words " * 10
    assert text.opening(spaced, spaced.index("d +")) == "intro $a + b$"
    # And math starting the text leaves nothing to cut before, so the text is kept whole
    leading = "$a + b + c + d$ " + "tail " * 10
    assert text.opening(leading, 8) == leading
