"""The demo recordings builder, one module per upstream source."""
