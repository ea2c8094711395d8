"""``python -m pipeline`` is the same as ``ocrclean``."""

from pipeline.cli import main

main()
