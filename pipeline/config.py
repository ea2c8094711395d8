"""Settings from a TOML config file, checked against what the pipeline knows (stage names, name
schemes): a layer above the stages and the names package, so that :mod:`pipeline.context` stays below them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.context import Config
from pipeline.errors import OcrcleanError
from pipeline.names.romanize import SCHEMES
from pipeline.stages import check_disabled

__all__ = ["CONFIG_KEYS", "Config", "check_scheme", "load_config"]

#: Keys a config file may set (``[ocrclean]`` table or top level), and what each becomes.
CONFIG_KEYS = ("min_confidence", "normalize", "scheme", "authority", "disabled", "model", "adapt", "modern_names")


def check_scheme(scheme: str) -> str:
    """``scheme`` if it names a target form, else a one-line :class:`OcrcleanError`."""
    if scheme != "canonical" and scheme not in SCHEMES:
        raise OcrcleanError(f"unknown name scheme {scheme!r} (known: canonical, {', '.join(SCHEMES)})")
    return scheme


def load_config(path: Path, **overrides: Any) -> Config:
    """A :class:`Config` from a TOML file, then ``overrides`` (None values are ignored).

    Why a file: a project's choices (target scheme, its own authority file) belong
    with the project, not retyped on every command line. Authority paths are
    relative to the config file. Unknown keys are an error, not silently ignored.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OcrcleanError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OcrcleanError(f"{path}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise OcrcleanError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("ocrclean", data)
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise OcrcleanError(f"{path}: unknown config key {unknown[0]!r} (known: {', '.join(CONFIG_KEYS)})")
    values: dict[str, Any] = {}
    try:
        if "min_confidence" in table:
            values["min_confidence"] = float(table["min_confidence"])
            if not 0.0 <= values["min_confidence"] <= 1.0:
                raise ValueError("min_confidence must be between 0 and 1")
        if "normalize" in table:
            if not isinstance(table["normalize"], bool):
                raise ValueError("normalize must be true or false")
            values["normalize"] = table["normalize"]
        if "scheme" in table:
            values["scheme"] = check_scheme(str(table["scheme"]))
        if "authority" in table:
            files = table["authority"]
            files = [files] if isinstance(files, str) else list(files)
            values["authority"] = tuple(str(Path(path).parent / f) for f in files)
        if "adapt" in table:
            if not isinstance(table["adapt"], bool):
                raise ValueError("adapt must be true or false")
            values["adapt"] = table["adapt"]
        if "modern_names" in table:
            if not isinstance(table["modern_names"], bool):
                raise ValueError("modern_names must be true or false")
            values["modern_names"] = table["modern_names"]
        if "model" in table:
            values["model"] = str(Path(path).parent / str(table["model"]))
        if "disabled" in table:
            values["disabled"] = check_disabled(table["disabled"])
    except (TypeError, ValueError, OcrcleanError) as exc:
        raise OcrcleanError(f"{path}: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Config(**values)
