"""The README and docs/ against the repository: links resolve, settings match the code, the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hotpapers.config import DEFAULT_MAX_PAGES, DEFAULT_URLS, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "common" / "hotpapers"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
SETTING = re.compile(r"HOTPAPERS_[A-Z0-9_<>]*[A-Z0-9>]")
PER_SOURCE = re.compile(r'prefix \+ "([A-Z_]+)"')
CREDENTIAL = re.compile(r"""credential\([^,()]+,\s*["'](\w+)["']""")
# Absolute paths of a machine (not a URL's path: nothing word-like, ":" or "/" before them).
MACHINE_PATH = re.compile(r"(?<![\w.:/])(?:/(?:work|home|root|tmp|Users|mnt|opt)/|~/)[^\s`)]*")
CLIMBING_PATH = re.compile(r"(?:\.\./)+[^\s`)\]]*")


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", markdown, flags=re.DOTALL), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def relative_links(page: Path) -> list[str]:
    return [target for target in LINK.findall(page.read_text(encoding="utf-8")) if not re.match(r"\w+:", target)]


@pytest.mark.parametrize("page", DOCS, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    # Given every relative link (and image) in the page
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        # Then its file exists inside the repository, and its anchor is one of that page's headings
        exists = resolved.is_relative_to(ROOT) and resolved.exists()
        if not exists or (anchor and anchor not in anchors(resolved.read_text(encoding="utf-8"))):
            broken.append(target)
    assert broken == []


def test_the_docs_cite_no_path_outside_the_repository() -> None:
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        # Then no page names a path of one machine (absolute, or in a home folder)
        assert MACHINE_PATH.findall(text) == [], page
        # And no relative path climbs out of the repository
        climbing = [
            path for path in CLIMBING_PATH.findall(text) if not (page.parent / path).resolve().is_relative_to(ROOT)
        ]
        assert climbing == [], page
        # And none cites the shared fixtures the recordings were first built from, beside the repository
        assert "shared/fixtures" not in text, page


def test_the_readme_is_short_and_links_every_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 8 * 1024
    for name in ("configuration", "sources", "deploy", "schedule", "testing", "reliability", "performance"):
        assert f"](docs/{name}.md)" in readme


def settings_in_code() -> set[str]:
    """Every HOTPAPERS_* variable the package reads: literal names, URL overrides, per-source limits, credentials."""
    source = "".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    names = {name for name in SETTING.findall(source) if "<" not in name and not name.endswith("_")}
    names |= {f"HOTPAPERS_{key.upper()}_URL" for key in DEFAULT_URLS}
    names |= {f"HOTPAPERS_<SOURCE>_{suffix}" for suffix in PER_SOURCE.findall(source)}
    names |= {f"HOTPAPERS_{credential.upper()}" for credential in CREDENTIAL.findall(source)}
    return names


def test_configuration_md_documents_every_setting_and_no_other() -> None:
    # Given the settings the code reads and those docs/configuration.md names
    documented = set(SETTING.findall((ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")))
    in_code = settings_in_code()
    # Then each is in the other
    assert sorted(in_code - documented) == []
    assert sorted(documented - in_code) == []
    # And the collection itself found what it must (a regex gone stale would find nothing)
    assert {
        "HOTPAPERS_NOW",
        "HOTPAPERS_HF_API_URL",
        "HOTPAPERS_<SOURCE>_MAX_PAGES",
        "HOTPAPERS_X_BEARER_TOKEN",
    } <= in_code
    assert set(DEFAULT_MAX_PAGES) <= {"x", "hackernews", "bluesky", "reddit", "github"}


class _Template(yaml.SafeLoader):
    """Reads template.yaml's intrinsic functions (``!Ref Name``) as ``{"!Ref": "Name"}``."""


_Template.add_multi_constructor(
    "!",
    lambda loader, tag, node: {
        tag: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    },
)
TEMPLATE = yaml.load((ROOT / "template.yaml").read_text(encoding="utf-8"), Loader=_Template)
DEFAULT_CELL = re.compile(r"^\| `([A-Za-z0-9_<>]+)` \| (`[^`|]*`|empty|none) \|", re.MULTILINE)
DEFAULT_PROSE = re.compile(r"`(\w+)` parameter defaults to `([^`]*)`")


def named_defaults() -> list[tuple[str, str, str]]:
    """(page, name, default) for each default docs/ states as a literal: a table row's second cell
    (`value`, empty or none) or "the `Name` parameter defaults to `value`"."""
    found = []
    for page in DOCS:
        markdown = page.read_text(encoding="utf-8")
        for name, cell in DEFAULT_CELL.findall(markdown):
            found.append((page.name, name, cell.strip("`") if cell.startswith("`") else ""))
        found += [(page.name, name, value) for name, value in DEFAULT_PROSE.findall(markdown)]
    return found


def _same_as_unset(variable: str, value: str, unset: Settings) -> bool:
    """Whether setting ``variable`` to ``value`` gives the settings its absence gives. An upstream
    URL is compared alone: setting X's also points its embeds there, on purpose."""
    settings = load_settings({variable: value})
    url = re.fullmatch(r"HOTPAPERS_(\w+)_URL", variable)
    if url and url[1].lower() in DEFAULT_URLS:
        return settings.urls[url[1].lower()] == unset.urls[url[1].lower()]
    return settings == unset


def test_every_default_the_docs_name_is_the_templates_and_the_codes() -> None:
    # Given the defaults docs/ states, the template's parameters and the variables they set
    parameters = {name: str(spec.get("Default", "")) for name, spec in TEMPLATE["Parameters"].items()}
    variables = {
        variable: value["!Ref"]
        for variable, value in TEMPLATE["Globals"]["Function"]["Environment"]["Variables"].items()
        if isinstance(value, dict) and "!Ref" in value and variable.startswith("HOTPAPERS_")
    }
    stated = named_defaults()
    code = load_settings({})
    checked = set()
    for page, name, default in stated:
        # Then a template parameter's default is the template's
        if name in parameters:
            assert default == parameters[name], (page, name, default, parameters[name])
            checked.add(name)
        # And a setting's default is the code's: setting it to that value changes nothing
        elif name.startswith("HOTPAPERS_") and "<" not in name and default:
            assert _same_as_unset(name, default, code), (page, name, default)
            checked.add(name)
    # And each parameter that sets a variable defaults to what the code does without it
    for variable, parameter in variables.items():
        assert load_settings({variable: parameters[parameter]}) == code, (variable, parameter)
    # And the collection found what it must: the sources wherever they are named, the politeness delay
    assert {
        "Sources",
        "Categories",
        "ReserveFetchConcurrency",
        "HOTPAPERS_ARXIV_DELAY",
        "HOTPAPERS_MIN_SCORE",
    } <= checked
    assert [page for page, name, _ in stated if name == "Sources"] == ["deploy.md", "sources.md"]
