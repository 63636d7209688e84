"""Normalising names and search terms the same way on both sides."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: "  Zoë  O'Brien" -> "zoe o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.casefold().split())


def search_name_for(*, first_name: str, last_name: str, preferred_name: str = "") -> str:
    return normalise(" ".join(part for part in (first_name, preferred_name, last_name) if part))
