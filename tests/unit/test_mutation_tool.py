"""tools/mutation.py reads mutmut's results into per-module scores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mutation import RESULT_LINE, equivalent, outcomes, score, section, tally, unchecked_modules

RESULTS = """\
    hotpapers.events.x_object_created__mutmut_1: survived
    hotpapers.sources.x.x_parse__mutmut_2: killed
    hotpapers.schedule.xǁWindowǁto_dict__mutmut_3: timeout
    hotpapers.offline.runner.x__stat__mutmut_4: no tests
    hotpapers.events.x_fetch_date__mutmut_5: not checked
"""


def test_each_checked_mutant_is_attributed_to_its_module_even_a_dotted_one() -> None:
    # Given mutmut's listing / When it is read
    read = outcomes(RESULTS)

    # Then every checked mutant has its module (sources.x is not sources), unchecked ones are left out
    assert read == [
        ("hotpapers.events.x_object_created__mutmut_1", "events", "survived"),
        ("hotpapers.sources.x.x_parse__mutmut_2", "sources.x", "killed"),
        ("hotpapers.schedule.xǁWindowǁto_dict__mutmut_3", "schedule", "timeout"),
        ("hotpapers.offline.runner.x__stat__mutmut_4", "offline.runner", "no tests"),
    ]


def test_a_score_counts_killed_and_timed_out_mutants_over_all_checked() -> None:
    assert score(Counter({"killed": 6, "timeout": 1, "survived": 2, "no tests": 1})) == 70


def test_equivalent_survivors_are_listed_with_their_reason_and_left_out_of_the_score(tmp_path: Path) -> None:
    # Given two survivors in events, one judged equivalent, and a killed mutant
    judged_file = tmp_path / "equivalent.toml"
    judged_file.write_text('"hotpapers.events.x_a__mutmut_1" = "same digest outside FIPS mode"\n', encoding="utf-8")
    found = [
        ("hotpapers.events.x_a__mutmut_1", "events", "survived"),
        ("hotpapers.events.x_a__mutmut_2", "events", "survived"),
        ("hotpapers.events.x_a__mutmut_3", "events", "killed"),
    ]

    # When they are tallied and written up
    judged = equivalent(judged_file)
    counts = tally(found, judged)
    text = section("quick", 60, counts, ["hotpapers.events.x_a__mutmut_1", "hotpapers.events.x_a__mutmut_2"], judged)

    # Then the equivalent one is out of the score (1 of 2, not 1 of 3) and listed with its reason
    assert counts["events"] == Counter({"survived": 2, "killed": 1, "equivalent": 1})
    assert score(counts["events"]) == 50
    assert "| events | 3 | 1 | 2 | 1 | 0 | 0 | 50% |" in text
    assert "- `hotpapers.events.x_a__mutmut_1`: same digest outside FIPS mode" in text
    assert text.split("Other surviving mutants:")[1].strip() == "- `hotpapers.events.x_a__mutmut_2`"


def test_the_equivalent_survivors_file_reads() -> None:
    # Given the project's list / When it is read / Then every entry names a mutant and gives a reason
    for name, why in equivalent().items():
        assert RESULT_LINE.match(f"    {name}: survived"), name
        assert len(why) > 10, name


def test_modules_with_unchecked_mutants_are_named() -> None:
    # Given a listing with one unchecked mutant / Then its module is named as not finished
    assert unchecked_modules(RESULTS) == ("events",)
    assert "Not checked (not named on the command line, or the run was cut short" in section(
        "full", 1, {}, [], {}, ("events",)
    )
