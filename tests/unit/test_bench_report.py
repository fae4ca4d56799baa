"""The figures of ``make bench``: the monthly bill, the page's third parties, and the table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import bigday, cost, measures, report

ROOT = Path(__file__).resolve().parents[2]
# The share of the month's days that are digest dates: raw objects are stored on those only.
SHARE = cost.DIGESTS_PER_MONTH / cost.DAYS_PER_MONTH


def test_the_template_gives_memory_and_how_raw_snapshots_are_kept() -> None:
    # When the project's template is read
    template = cost.read_template(ROOT / "template.yaml")
    # Then every function has its memory size, and raw snapshots their retention, the day they go
    # cold, and how long the versioned bucket keeps them once expired
    assert set(template.memory_mb) == {"fetch", "score", "render"}
    assert all(memory >= 128 for memory in template.memory_mb.values())
    assert template.raw_retention_days >= 30
    assert 0 < template.raw_cold_days < template.raw_retention_days
    assert template.noncurrent_days == 30


def a_day(raw_objects: tuple[int, ...] = (10**9,)) -> cost.Day:
    """A day measured on one local core, storing ``raw_objects`` (their sizes in bytes)."""
    return cost.Day(
        seconds={"fetch": 1.0, "score": 2.0, "render": 0.5},
        waits={"fetch": 6.0},
        init_seconds={"fetch": 0.5, "score": 0.5, "render": 0.5},
        peak_mb={"score": 300.0, "render": 100.0},
        raw_objects=raw_objects,
    )


def test_the_bill_adds_up_its_parts() -> None:
    # Given a day, and functions with a whole vCPU (1769 MB) but one
    day = a_day((cost.GB,))
    template = cost.Template(memory_mb={"fetch": 1769, "score": 1769, "render": 256}, raw_retention_days=30)
    # When the month is billed
    bill = cost.monthly(day, template)
    # Then a whole vCPU runs as fast as the local core, a smaller function slower, waits as long
    assert bill["gb_seconds_per_day"]["fetch"] == pytest.approx(7.5 * 1769 / 1024)
    assert bill["gb_seconds_per_day"]["render"] == pytest.approx(1.0 * 1769 / 256 * 256 / 1024)
    # And storage is a retention's worth of days, the total the sum of the parts
    assert bill["parts"]["s3_storage"] == pytest.approx(30 * cost.PRICES["s3_gb_month"] * SHARE)
    assert bill["usd_month"] == pytest.approx(sum(bill["parts"].values()))
    # And a step whose peak is above its memory is flagged
    assert bill["fits_memory"] == {"score": True, "render": True}
    smaller = cost.monthly(
        day, cost.Template(memory_mb={"fetch": 512, "score": 256, "render": 256}, raw_retention_days=30)
    )
    assert smaller["fits_memory"] == {"score": False, "render": True}


def test_raw_objects_are_billed_in_each_class_for_the_days_the_lifecycle_keeps_them_there() -> None:
    # Given a day storing a GiB in one object and a small one, kept 365 days, cold after 30, and
    # 30 more days as noncurrent versions
    small = 100 * 1024
    template = cost.Template(memory_mb={"fetch": 512}, raw_retention_days=365, raw_cold_days=30, noncurrent_days=30)
    # When their month is billed
    bill = cost.storage((cost.GB, small), template)
    # Then the GiB is in S3 Standard 30 days, in Glacier Instant Retrieval the 365 others, moved once a day
    glacier = 30 * cost.PRICES["s3_gb_month"] + 365 * cost.PRICES["glacier_ir_gb_month"]
    # And the small object, which S3's lifecycle leaves where it is, in S3 Standard all 395 days
    standard = 395 * small / cost.GB * cost.PRICES["s3_gb_month"]
    assert bill["s3_storage"] == pytest.approx((glacier + standard) * SHARE)
    assert bill["s3_transitions"] == pytest.approx(cost.DIGESTS_PER_MONTH * cost.PRICES["glacier_ir_transition"])
    # And without the cold class (0), or a retention too short for it, everything stays in S3 Standard
    for days in ({"raw_cold_days": 0}, {"raw_retention_days": 30, "raw_cold_days": 30}):
        kept = cost.Template(**{"memory_mb": {}, "raw_retention_days": 365, "noncurrent_days": 30, **days})  # type: ignore[arg-type]
        flat = cost.storage((cost.GB,), kept)
        assert flat["s3_storage"] == pytest.approx((kept.raw_retention_days + 30) * cost.PRICES["s3_gb_month"] * SHARE)
        assert flat["s3_transitions"] == 0
    # And a short stay in Glacier Instant Retrieval is billed its 90 days at least
    brief = cost.Template(memory_mb={}, raw_retention_days=60, raw_cold_days=30, noncurrent_days=0)
    assert cost.storage((cost.GB,), brief)["s3_storage"] == pytest.approx(
        (30 * cost.PRICES["s3_gb_month"] + 90 * cost.PRICES["glacier_ir_gb_month"]) * SHARE
    )


def test_each_stored_object_is_one_put_and_one_get() -> None:
    # Given two days alike but for the number of objects their snapshots store
    template = cost.Template(memory_mb={"fetch": 512, "score": 512, "render": 512}, raw_retention_days=30)
    few, many = (cost.monthly(a_day((1000,) * count), template) for count in (10, 1010))
    # When their S3 requests are billed / Then the thousand more objects cost a thousand PUTs and GETs a day
    extra = (few["parts"]["s3_requests"], many["parts"]["s3_requests"])
    assert extra[1] - extra[0] == pytest.approx(
        1000 * (cost.PRICES["s3_put_or_list"] + cost.PRICES["s3_get"]) * cost.DIGESTS_PER_MONTH
    )
    assert many["raw_objects_per_day"] == 1010


def test_the_render_steps_writes_are_puts_and_its_days_pages_stay_published() -> None:
    # Given two days alike but for what their render writes: 6 objects, or 331 (a page of posts
    # for each of 325 papers), with the day's own files 3 GiB
    template = cost.Template(memory_mb={"fetch": 512, "score": 512, "render": 512}, raw_retention_days=30)
    few = cost.monthly(a_day(), template)
    day = a_day()
    many = cost.monthly(cost.Day(**{**day.__dict__, "site_writes": 331, "site_day_bytes": 3 * cost.GB}), template)
    # When their month is billed / Then each object written is a PUT a day
    extra = many["parts"]["s3_requests"] - few["parts"]["s3_requests"]
    assert extra == pytest.approx(331 * cost.PRICES["s3_put_or_list"] * cost.DIGESTS_PER_MONTH)
    # And the month's own pages are kept, half the month on average
    assert many["site_gb_added_per_month"] == pytest.approx(3 * cost.DIGESTS_PER_MONTH)
    assert many["parts"]["s3_site_storage"] == pytest.approx(
        3 * cost.DIGESTS_PER_MONTH / 2 * cost.PRICES["s3_gb_month"]
    )
    assert few["parts"]["s3_site_storage"] == 0


def test_each_refresh_bills_the_sources_again_a_score_of_every_snapshot_and_a_render() -> None:
    # Given a day whose render writes 100 objects and whose refresh stores 3 objects of a MiB
    template = cost.Template(memory_mb={"fetch": 1769, "score": 1769, "render": 1769}, raw_retention_days=30)
    day = cost.Day(**{**a_day((2**20,) * 5).__dict__, "site_writes": 100, "refresh_objects": (2**20,) * 3})
    # When a month is billed without refreshes, and with three a day
    none, three = cost.monthly(day, template), cost.monthly(day, template, refreshes=3)
    # Then nothing of refreshes is billed without them
    assert not {name for name in none["parts"] if name.startswith("refresh")}
    assert three["usd_month"] - none["usd_month"] == pytest.approx(
        sum(value for name, value in three["parts"].items() if name.startswith("refresh"))
    )
    # And three refreshes run three fetches' CPU (no wait), nine scores (2 + 3 + 4 snapshots) with
    # three cold starts, and three renders with theirs, at a whole vCPU
    seconds = 3 * 1.0 + (9 * 2.0 + 3 * 0.5) + 3 * (0.5 + 0.5)
    assert three["parts"]["refresh_lambda_compute"] == pytest.approx(
        seconds * 1769 / 1024 * cost.PRICES["lambda_arm64_gb_second"] * cost.DIGESTS_PER_MONTH
    )
    # And each writes its 3 objects, the scored day and the render's 100, and reads every
    # snapshot's objects (9 x 5) and what a render reads
    puts = 3 * (3 + 1 + 100) + 3 * (1 + cost.RENDER_LISTS)
    gets = 9 * 5 + 3 * (1 + cost.RENDER_READS)
    assert three["parts"]["refresh_requests"] == pytest.approx(
        (puts * cost.PRICES["s3_put_or_list"] + gets * cost.PRICES["s3_get"] + 3 * 2 * cost.PRICES["lambda_request"])
        * cost.DIGESTS_PER_MONTH
    )
    # And their objects are kept as a day's snapshot is: three a day, a retention long
    assert three["parts"]["refresh_storage"] == pytest.approx(
        9 * 2**20 / cost.GB * 30 * cost.PRICES["s3_gb_month"] * SHARE
    )
    assert three["refreshes_per_day"] == 3


def test_a_renders_writes_are_counted_without_the_assets(tmp_path: Path) -> None:
    # Given a render that wrote the day's digest, a page in its folder, a paper's page, a shared
    # page and an asset
    keys = [
        f"digests/{bigday.DIGEST_DATE}.html",
        f"digests/{bigday.DIGEST_DATE}/x.html",
        "papers/2606.00001.html",
        "index.html",
        "assets/a.css",
    ]
    for number, key in enumerate(keys, start=1):
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(b"x" * 10 * number)
    # When they are counted / Then the asset is left out, and only the day's own files' bytes kept
    assert measures.site_writes(keys, tmp_path) == {"objects": 4, "day_bytes": 60}


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
    after = {"p1_ratio": 1.9, "p5_third_party": 2, "p6_usd_month": 0.25}
    # When the table is written
    table = report.figures_table(after, before)
    rows = {line.split(" | ")[0].strip("| `"): line for line in table.splitlines()[2:]}
    # Then each row has the target, before, after and whether it is met (a strict target strictly)
    assert rows["p1_ratio"].endswith("| ≤ 2.00× | 10.60× | 1.90× | yes |")
    assert rows["p5_third_party"].endswith("| ≤ 0 | 36 | 2 | **no** |")
    assert rows["p6_usd_month"].endswith("| < $0.250 | — | $0.250 | **no** |")
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
    assert f"| **Total** | **{0.01 * len(report.COST_PARTS):.4f}** |" in text
    assert "| 25.00 s | 48% | 80000 | `layers/common/hotpapers/sources/x.py:195(embed_html)` |" in text


def test_every_resource_of_the_template_is_billed_or_known_to_cost_nothing_idle() -> None:
    # When the project's template is billed
    template = cost.read_template(ROOT / "template.yaml")
    fees = cost.fixed(template)
    # Then its only fixed fee is the one alarm of one metric: no key, no per-step alarms
    assert fees == {"AWS::CloudWatch::Alarm": pytest.approx(0.10)}
    assert {kind for kind, _ in template.resources.values()} <= set(cost.FREE_TYPES) | set(cost.MONTHLY_FEES)


def test_a_resource_with_an_unlisted_fee_fails_the_bill() -> None:
    # Given a template that declares a NAT gateway, which the model knows nothing of
    template = cost.Template(
        memory_mb={"fetch": 512, "score": 512, "render": 512},
        raw_retention_days=30,
        resources={"Nat": ("AWS::EC2::NatGateway", {})},
    )
    # When it is billed / Then the bill refuses to leave it out
    with pytest.raises(cost.UnknownResourceError, match="Nat: AWS::EC2::NatGateway"):
        cost.fixed(template)


def test_an_alarm_on_metric_math_pays_for_each_metric_it_reads_and_keys_and_secrets_their_fee() -> None:
    # Given an alarm over two queues, a customer-managed key and a secret
    math = {
        "Metrics": [
            {"Id": "a", "MetricStat": {}},
            {"Id": "b", "MetricStat": {}},
            {"Id": "m", "Expression": "MAX([a, b])"},
        ]
    }
    template = cost.Template(
        memory_mb={"fetch": 512, "score": 512, "render": 512},
        raw_retention_days=30,
        resources={
            "Two": ("AWS::CloudWatch::Alarm", math),
            "Key": ("AWS::KMS::Key", {}),
            "Secret": ("AWS::SecretsManager::Secret", {}),
        },
    )
    # When it is billed / Then two alarm metrics, a key and a secret
    assert cost.fixed(template) == {
        "AWS::CloudWatch::Alarm": pytest.approx(0.20),
        "AWS::KMS::Key": 1.00,
        "AWS::SecretsManager::Secret": 0.40,
    }


def test_the_bill_counts_every_metric_the_handlers_send_and_no_cold_start_metric() -> None:
    # Given every custom metric the functions and the package send
    sources = [*ROOT.glob("functions/*/app.py"), *ROOT.glob("layers/common/hotpapers/**/*.py")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    sent = set(re.findall(r'add_metric\(name="(\w+)"', text))
    # Then the bill has each of them, and no handler sends Powertools' cold-start metric
    assert sent == set(cost.METRICS_PER_RUN)
    assert "capture_cold_start_metric=True" not in text
    # And each costs one hour of a metric each day it is sent on: every tick, or digest dates only
    assert cost.metrics_month({"One": "tick"}) == pytest.approx(cost.DAYS_PER_MONTH * 0.30 / 730)
    assert cost.metrics_month({"One": "digest date"}) == pytest.approx(cost.DIGESTS_PER_MONTH * 0.30 / 730)


def test_the_whole_bill_includes_the_fixed_fees_and_the_metrics() -> None:
    # Given the project's template and a day
    bill = cost.monthly(a_day(), cost.read_template(ROOT / "template.yaml"))
    # Then its parts have the stack's fixed fees and the metrics, and the total is their sum
    assert bill["parts"]["fixed"] == pytest.approx(0.10)
    assert bill["parts"]["custom_metrics"] == pytest.approx(cost.metrics_month())
    assert bill["usd_month"] == pytest.approx(sum(bill["parts"].values()))


def test_deploy_md_states_the_fixed_fees_and_the_metrics_as_the_model_bills_them() -> None:
    # Given the cost section of docs/deploy.md and the model's bill of the template
    page = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = page[page.index("## What it costs") :]
    fees = cost.fixed(cost.read_template(ROOT / "template.yaml"))
    # Then the alarm row gives the model's fixed fee, and the metrics row its count and price
    [alarm] = re.findall(r"\| CloudWatch alarm `\w+` \|[^|]*\| \$([0-9.]+) \|", section)
    assert float(alarm) == pytest.approx(sum(fees.values()))
    [(metrics, price)] = re.findall(r"\| CloudWatch custom metrics \| (\d+) metrics[^|]*\| \$([0-9.]+) ", section)
    assert int(metrics) == len(cost.METRICS_PER_RUN)
    assert float(price) == pytest.approx(cost.metrics_month(), abs=0.0005)


def test_the_search_index_step_is_billed_at_its_memory_for_its_builds_and_the_files_it_writes() -> None:
    # Given the template, and an index step measured at 10 s a day on one core writing 100 changed
    # files, and 60 s once a month writing 1,000
    template = cost.read_template(ROOT / "template.yaml")
    index = cost.Index(seconds=10.0, peak_mb=900.0, writes=100, days=1500, monthly_seconds=60.0, monthly_writes=1000)
    # When the month is billed with and without it
    without, bill = cost.monthly(a_day(), template), cost.monthly(a_day(), template, index)
    # Then its Lambda time is billed at IndexFunction's memory, slower below a whole vCPU
    slowdown = max(1.0, cost.FULL_VCPU_MB / template.index_memory_mb)
    seconds = (10.0 + index.init_seconds) * cost.DIGESTS_PER_MONTH + 60.0
    assert bill["parts"]["index_compute"] == pytest.approx(
        seconds * slowdown * template.index_memory_mb / 1024 * cost.PRICES["lambda_arm64_gb_second"]
    )
    # And each changed file and each records document is one PUT
    puts = ((100 + cost.INDEX_PUTS) * cost.DIGESTS_PER_MONTH + 1000) * cost.PRICES["s3_put_or_list"]
    assert puts < bill["parts"]["index_requests"] < puts * 1.1
    assert bill["usd_month"] == pytest.approx(
        without["usd_month"] + sum(cost.index_month(index, template.index_memory_mb).values())
    )
    # And whether the largest build fits the function's memory is said
    assert bill["fits_memory"]["index"] is (template.index_memory_mb > 900.0)


def test_the_cost_table_sets_the_big_days_bill_beside_the_typical_days() -> None:
    # Given a typical day's bill and the big day's, with three refreshes a day
    template = cost.Template(memory_mb={"fetch": 512, "score": 512, "render": 512}, raw_retention_days=30)
    typical = cost.monthly(cost.Day(**{**a_day().__dict__, "site_writes": 100}), template, refreshes=3)
    big = cost.monthly(cost.Day(**{**a_day().__dict__, "site_writes": 1600}), template, refreshes=3)
    # When the table is written
    table = report.cost_table(typical, big)
    # Then each part has both figures, and each total is its bill's
    rows = {
        cells[0].strip("* "): cells[1:] for cells in (line.strip("|").split("|") for line in table.splitlines()[2:])
    }
    assert float(rows["S3 requests"][0]) < float(rows["S3 requests"][1])
    assert [cell.strip() for cell in rows["Total"]] == [
        f"**{typical['usd_month']:.4f}**",
        f"**{big['usd_month']:.4f}**",
    ]
    assert "each again at each of 3 refreshes" in table


def test_the_chain_is_billed_on_digest_dates_and_the_other_ticks_for_the_fetchs_cold_start() -> None:
    # Given arXiv's published schedule: weekdays announce, weekends and its holidays do not
    # Then 2025 had 252 digest dates (261 weekdays, 9 deferred evenings), 21 a month
    assert cost.digests_a_month(2025) == pytest.approx(252 / 12)
    assert cost.DIGESTS_PER_MONTH < cost.DAYS_PER_MONTH
    # And a month of runs bills its runs on digest dates, and on the other ticks the scheduler's
    # invocation and the fetch's cold start only
    template = cost.Template(memory_mb={"fetch": 1769, "score": 1769, "render": 1769}, raw_retention_days=30)
    bill = cost.monthly(a_day(), template)
    run = (7.5 + 2.5 + 1.0) * 1769 / 1024 * cost.PRICES["lambda_arm64_gb_second"]
    idle = 0.5 * 1769 / 1024 * cost.PRICES["lambda_arm64_gb_second"]
    others = cost.DAYS_PER_MONTH - cost.DIGESTS_PER_MONTH
    assert bill["parts"]["lambda_compute"] == pytest.approx(run * cost.DIGESTS_PER_MONTH + idle * others)
    assert bill["parts"]["events"] == pytest.approx(cost.DAYS_PER_MONTH * cost.PRICES["scheduler_invocation"])
