"""The make-like pipeline: analysis files -> doit build graph -> reports."""
