"""The three steps the Lambda handlers call: fetch -> raw, score -> scored, render -> site.

Each step takes plain values (a date or a key, the settings, its stores) and returns a small
summary for the handler to log and return. None knows about Lambda or events. Each is a module
of its own, imported by its handler alone, so that a cold start loads only what its step uses:
the fetch step renders nothing; the score step loads the sources' parsers, which live beside
their API clients (and so load ``requests``), but no templates; the render step loads neither
``requests`` nor any API client (``tests/unit/test_cold_start.py`` holds it to that).
"""
