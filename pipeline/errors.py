"""The project's error types, in one place, so the CLI can turn each into one clear line."""


class OcrcleanError(Exception):
    """Base class: anything the user can act on, reported without a traceback."""


class InputError(OcrcleanError):
    """The input cannot be read as text (binary, undecodable, missing)."""


class OutputError(OcrcleanError):
    """An output cannot be written (missing or unwritable folder)."""


class TeiError(OcrcleanError):
    """A TEI file is not one this tool wrote, or is damaged."""
