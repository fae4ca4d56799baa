"""tools/mutation.py reads mutmut's results into per-module scores."""

from __future__ import annotations

from collections import Counter

from mutation import outcomes, score

RESULTS = """\
    hotpapers.events.x_object_created__mutmut_1: survived
    hotpapers.sources.x.x_parse__mutmut_2: killed
    hotpapers.schedule.xǁWindowǁto_dict__mutmut_3: timeout
    hotpapers.local.runner.x__stat__mutmut_4: no tests
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
        ("hotpapers.local.runner.x__stat__mutmut_4", "local.runner", "no tests"),
    ]


def test_a_score_counts_killed_and_timed_out_mutants_over_all_checked() -> None:
    assert score(Counter({"killed": 6, "timeout": 1, "survived": 2, "no tests": 1})) == 70
