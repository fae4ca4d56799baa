"""The site's shared files: every static file published, each under a name its content decides."""

from __future__ import annotations

import re
from pathlib import Path

import hotpapers
from hotpapers.website.assets import assets

STATIC = Path(hotpapers.__file__).parent / "static"


def test_the_stylesheet_and_the_social_image_are_the_shared_files_each_under_a_content_hashed_name() -> None:
    # Given the package's static files, read afresh (assets() keeps them for the process)
    shared = assets.__wrapped__()
    css, png = (STATIC / "site.css").read_bytes(), (STATIC / "social.png").read_bytes()
    # Then each is named after a hash of its content
    assert re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", shared.stylesheet)
    assert shared.files[shared.stylesheet] == css
    assert re.fullmatch(r"assets/social\.[0-9a-f]{10}\.png", shared.social_image)
    assert shared.files[shared.social_image] == png
    assert shared.stylesheet.split(".")[1] != shared.social_image.split(".")[1]
    # And nothing else is published: math is typeset when the site is built, with no script or font
    assert sorted(shared.files) == sorted([shared.stylesheet, shared.social_image])
    assert sorted(path.name for path in STATIC.iterdir()) == ["site.css", "social.png"]
