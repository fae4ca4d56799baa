"""The site's shared files: every static file published, each under a name its content decides."""

from __future__ import annotations

import re
from pathlib import Path

import hotpapers
from hotpapers.website.assets import assets

STATIC = Path(hotpapers.__file__).parent / "static"


def test_the_stylesheet_the_social_image_and_the_search_script_are_the_shared_files_each_content_hashed() -> None:
    # Given the package's static files, read afresh (assets() keeps them for the process)
    shared = assets.__wrapped__()
    css, png = (STATIC / "site.css").read_bytes(), (STATIC / "social.png").read_bytes()
    # Then each is named after a hash of its content
    assert re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", shared.stylesheet)
    assert shared.files[shared.stylesheet] == css
    assert re.fullmatch(r"assets/social\.[0-9a-f]{10}\.png", shared.social_image)
    assert shared.files[shared.social_image] == png
    assert re.fullmatch(r"assets/search\.[0-9a-f]{10}\.js", shared.search_script)
    assert shared.files[shared.search_script] == (STATIC / "search.js").read_bytes()
    assert shared.stylesheet.split(".")[1] != shared.social_image.split(".")[1]
    # And nothing else is published: math is typeset when the site is built, with no script or
    # font; the one script is search.html's
    assert sorted(shared.files) == sorted([shared.stylesheet, shared.social_image, shared.search_script])
    assert sorted(path.name for path in STATIC.iterdir()) == ["search.js", "site.css", "social.png"]
