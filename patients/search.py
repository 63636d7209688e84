"""Normalising names the same way on both sides, and reading what a search
box query asks for."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace

from patients.dates import parse_us_date
from patients.mrn import MRN_LENGTH, mrn_is_valid
from patients.phones import phone_to_e164

MAX_QUERY_LENGTH = 100
MIN_PHONE_DIGITS = 10
_PHONE_ONLY = re.compile(r"^[\d\s().+-]+$")
_BIRTH_YEAR = re.compile(r"^(19|20)\d\d$")


def normalise(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: "  Zoë  O'Brien" -> "zoe o'brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.casefold().split())


def search_name_for(*, first_name: str, last_name: str, preferred_name: str = "") -> str:
    return normalise(" ".join(part for part in (first_name, preferred_name, last_name) if part))


@dataclass(frozen=True)
class SearchTerms:
    """What one search box query asks for; every part given must match."""

    name: str = ""
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    phone: str = ""
    email: str = ""
    mrns: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == SearchTerms()

    @property
    def has_identifier(self) -> bool:
        return replace(self, name="") != SearchTerms()

    @property
    def mistyped_mrns(self) -> list[str]:
        """Numbers as long as an MRN that fail its check digit."""
        return [
            mrn
            for mrn in self.mrns
            if mrn.isdigit() and len(mrn) >= MRN_LENGTH and not mrn_is_valid(mrn)
        ]


def search_terms_from(query: str, *, today: dt.date) -> SearchTerms:
    """Read a query such as "kowalsky 3/14/68", "(212) 555-0123" or "10000017"."""
    text = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if phone := _whole_query_phone(text):
        return SearchTerms(phone=phone)
    terms = SearchTerms()
    for token in text.split():
        terms = _with_token(terms, token, today)
    return terms


def _with_token(terms: SearchTerms, token: str, today: dt.date) -> SearchTerms:
    if "@" in token:
        return replace(terms, email=token.lower())
    if (date := parse_us_date(token, today=today)) is not None:
        return replace(terms, date_of_birth=date)
    if _BIRTH_YEAR.match(token):
        return replace(terms, birth_year=int(token))
    if any(char.isdigit() for char in token):
        return replace(terms, mrns=(*terms.mrns, token.upper()))
    if any(char.isalpha() for char in token):
        return replace(terms, name=f"{terms.name} {normalise(token)}".strip())
    return terms


def _whole_query_phone(text: str) -> str | None:
    digits = sum(char.isdigit() for char in text)
    if digits < MIN_PHONE_DIGITS or not _PHONE_ONLY.match(text):
        return None
    return phone_to_e164(text)
