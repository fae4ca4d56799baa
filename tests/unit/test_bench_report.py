"""The figures of ``make bench``: the monthly bill, the page's third parties, and the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cost, measures, report

ROOT = Path(__file__).resolve().parents[2]


def test_the_template_gives_memory_and_retention() -> None:
    # When the project's template is read
    template = cost.read_template(ROOT / "template.yaml")
    # Then every function has its memory size, and raw snapshots their retention
    assert set(template.memory_mb) == {"fetch", "score", "render"}
    assert all(memory >= 128 for memory in template.memory_mb.values())
    assert template.raw_retention_days >= 30


def test_the_bill_adds_up_its_parts() -> None:
    # Given a day measured on one local core, and functions with a whole vCPU (1769 MB)
    day = cost.Day(
        seconds={"fetch": 1.0, "score": 2.0, "render": 0.5},
        waits={"fetch": 6.0},
        init_seconds={"fetch": 0.5, "score": 0.5, "render": 0.5},
        peak_mb={"score": 300.0, "render": 100.0},
        raw_documents=10,
        raw_bytes=10**9,
    )
    template = cost.Template(memory_mb={"fetch": 1769, "score": 1769, "render": 256}, raw_retention_days=30)
    # When the month is billed
    bill = cost.monthly(day, template)
    # Then a whole vCPU runs as fast as the local core, a smaller function slower, waits as long
    assert bill["gb_seconds_per_day"]["fetch"] == pytest.approx(7.5 * 1769 / 1024)
    assert bill["gb_seconds_per_day"]["render"] == pytest.approx(1.0 * 1769 / 256 * 256 / 1024)
    # And storage is a retention's worth of days, the total the sum of the parts
    assert bill["parts"]["s3_storage"] == pytest.approx(30 * cost.PRICES["s3_gb_month"])
    assert bill["usd_month"] == pytest.approx(sum(bill["parts"].values()))
    # And a step whose peak is above its memory is flagged
    assert bill["fits_memory"] == {"score": True, "render": True}
    smaller = cost.monthly(
        day, cost.Template(memory_mb={"fetch": 512, "score": 256, "render": 256}, raw_retention_days=30)
    )
    assert smaller["fits_memory"] == {"score": False, "render": True}


def test_third_parties_are_what_loads_from_other_hosts() -> None:
    # Given a page with scripts, an image and a frame from here and elsewhere
    page = (
        '<script src="/assets/app.js"></script><script src="https://hotpapers.example/a.js"></script>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
        '<img src="https://pbs.twimg.com/a.jpg"><iframe src="https://embed.bsky.app/x"></iframe>'
        '<a href="https://elsewhere.example/">a link loads nothing</a>'
    )
    # When its third parties are counted
    found = measures.third_party(page, "https://hotpapers.example")
    # Then only what loads from another host counts
    assert found == [("script", "platform.twitter.com"), ("img", "pbs.twimg.com"), ("iframe", "embed.bsky.app")]


def test_the_table_shows_before_after_and_the_verdict() -> None:
    # Given figures before and after, one target met and one missed
    before = {"p1_ratio": 10.6, "p5_third_party": 36}
    after = {"p1_ratio": 1.9, "p5_third_party": 2, "p6_usd_month": 0.05}
    # When the table is written
    table = report.figures_table(after, before)
    rows = {line.split(" | ")[0].strip("| `"): line for line in table.splitlines()[2:]}
    # Then each row has the target, before, after and whether it is met (a strict target strictly)
    assert rows["p1_ratio"].endswith("| ≤ 2.00× | 10.60× | 1.90× | yes |")
    assert rows["p5_third_party"].endswith("| ≤ 0 | 36 | 2 | **no** |")
    assert rows["p6_usd_month"].endswith("| < $0.050 | — | $0.050 | **no** |")
    assert rows["p2_vs_etree"].endswith("| reported | — | — |  |")


def test_only_the_marked_part_of_the_page_is_rewritten() -> None:
    # Given a page with prose around the markers
    text = "intro\n<!-- bench:figures -->\nold\n<!-- /bench:figures -->\nafter\n"
    # When the figures are replaced
    replaced = report.replace_between(text, "figures", "new")
    # Then the prose stays and the old figures are gone
    assert replaced == "intro\n<!-- bench:figures -->\nnew\n<!-- /bench:figures -->\nafter\n"
    # And a page without the markers is refused
    with pytest.raises(ValueError, match="bench:profile"):
        report.replace_between(text, "profile", "new")


def test_the_page_gets_figures_bill_and_profile(tmp_path: Path) -> None:
    # Given a page with the three markers, and a run's results
    page = tmp_path / "performance.md"
    page.write_text("".join(f"{start}\n{end}\n" for start, end in report.MARKERS.values()), encoding="utf-8")
    row = {"function": "layers/common/hotpapers/sources/x.py:195(embed_html)", "calls": 80000}
    row |= {"own_s": 2.0, "cumulative_s": 25.0, "own_share": 0.04, "cumulative_share": 0.48}
    parts = dict.fromkeys(report.COST_PARTS, 0.01)
    results = {
        "p1_ratio": 11.5,
        "p6_cost": {"parts": parts, "gb_seconds_per_day": {"fetch": 26.5, "score": 18.1, "render": 1.6}},
        "profile": {"own": [row], "project": [row]},
    }
    # When the page is written
    report.write_docs(page, results, None)
    # Then each part is filled: the figure, the bill's total, and the hotspot with its share
    text = page.read_text(encoding="utf-8")
    assert "| `p1_ratio` |" in text
    assert "11.50×" in text
    assert "| **Total** | **0.0500** |" in text
    assert "| 25.00 s | 48% | 80000 | `layers/common/hotpapers/sources/x.py:195(embed_html)` |" in text
