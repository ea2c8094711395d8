"""ocrclean: OCR clean-up and normalization for historical text corpora."""

__version__ = "0.1.0"
