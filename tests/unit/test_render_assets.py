"""The site's shared files: every static file published, each under a name its content decides."""

from __future__ import annotations

import re
from pathlib import Path

import hotpapers
from hotpapers.render.assets import assets

STATIC = Path(hotpapers.__file__).parent / "static"


def test_every_shared_file_is_published_under_a_content_hashed_name() -> None:
    # Given the package's static files, read afresh (assets() keeps them for the process)
    shared = assets.__wrapped__()
    css, starter = (STATIC / "site.css").read_bytes(), (STATIC / "math.js").read_bytes()
    katex = {
        path.relative_to(STATIC / "katex").as_posix(): path.read_bytes()
        for path in (STATIC / "katex").rglob("*")
        if path.is_file()
    }
    # Then the stylesheet and the math starter are named after a hash of their content
    assert re.fullmatch(r"assets/site\.[0-9a-f]{10}\.css", shared.stylesheet)
    assert shared.files[shared.stylesheet] == css
    starter_key = shared.math[-1]
    assert re.fullmatch(r"assets/math\.[0-9a-f]{10}\.js", starter_key)
    assert shared.files[starter_key] == starter
    # And different contents get different names
    assert shared.stylesheet.split(".")[1] != starter_key.split(".")[1]
    # And KaTeX keeps its own names, fonts included, in one folder named after all its files
    folder = shared.math[0].removesuffix("/katex.min.css")
    assert re.fullmatch(r"assets/katex-[0-9a-f]{10}", folder)
    assert {
        key.removeprefix(f"{folder}/"): body for key, body in shared.files.items() if key.startswith(folder)
    } == katex
    assert any(name.startswith("fonts/") for name in katex)
    assert shared.math == (
        f"{folder}/katex.min.css",
        f"{folder}/katex.min.js",
        f"{folder}/auto-render.min.js",
        starter_key,
    )
    # And nothing else is published
    assert len(shared.files) == 2 + len(katex)
