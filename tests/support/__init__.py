"""What the tests share: fakes (the in-memory and loopback upstreams, the store in memory,
AWS in moto), builders of documents, recorded days, the fault matrix's parts and the fuzz
report. Imported as ``support.<module>`` (``tests/`` is on pytest's path)."""
