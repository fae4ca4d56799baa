"""The three steps the Lambda handlers call: fetch -> raw, score -> scored, render -> site.

Each step takes plain values (a date or a key, the settings, its stores) and returns a small
summary for the handler to log and return. None knows about Lambda or events. Each is a module
of its own, imported by its handler alone, so that a cold start loads only its step's code (the
render step neither fetches nor parses feeds; the fetch step renders nothing).
"""
