"""The site's shared files: every static file published, each under a name its content decides."""

from __future__ import annotations

import re
from pathlib import Path

import hotpapers
from hotpapers.render.assets import assets

STATIC = Path(hotpapers.__file__).parent / "static"


def test_the_stylesheet_is_the_one_shared_file_and_is_published_under_a_content_hashed_name() -> None:
    # Given the package's stylesheet, read afresh (assets() keeps it for the process)
    shared = assets.__wrapped__()
    css = (STATIC / "site.css").read_bytes()
    # Then it is named after a hash of its content
    assert re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", shared.stylesheet)
    assert shared.files[shared.stylesheet] == css
    # And nothing else is published: math is typeset when the site is built, with no script or font
    assert list(shared.files) == [shared.stylesheet]
    assert sorted(path.name for path in STATIC.iterdir()) == ["site.css"]
