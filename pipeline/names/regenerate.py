"""``python -m pipeline.names.regenerate``: rewrite the shipped spellings after editing the authority."""

from pipeline.names.romanize import write_shipped_forms

print(write_shipped_forms())
