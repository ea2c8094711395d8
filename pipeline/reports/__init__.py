"""Reports of a command (``ocrclean names``), beside the CLI that prints them: they run the pipeline
and read its edits, so they sit above :mod:`pipeline.api` and below :mod:`pipeline.cli` only."""
