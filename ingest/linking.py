"""Link surface names to canonical ids: countries through pycountry, with the names
legal texts actually use (United States, UK, Korea, the Union)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

#: Names and short forms that pycountry does not give, or gives differently.
ALIASES: dict[str, str] = {
    "United States": "US",
    "United States of America": "US",
    "U.S.": "US",
    "USA": "US",
    "US": "US",
    "United Kingdom": "GB",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "European Union": "EU",
    "EU": "EU",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Korea": "KR",
    "Russia": "RU",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Turkiye": "TR",
    "Czech Republic": "CZ",
    "Czechia": "CZ",
    "Taiwan": "TW",
    "Vietnam": "VN",
    "Iran": "IR",
    "Netherlands": "NL",
    "The Netherlands": "NL",
}

#: Short forms that are also ordinary words or ambiguous in prose: matched only
#: with their exact capitalisation.
CASE_SENSITIVE = {"US", "UK", "EU", "U.S.", "U.K.", "USA"}

EU_NAME = "European Union"


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every name we recognise, mapped to its ISO 3166-1 alpha-2 code (or EU)."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = country.alpha_2
    names.update(ALIASES)
    return names


def country_code(name: str) -> str | None:
    """ISO code for a country name, short form or code; None when unknown."""
    name = name.strip().removeprefix("the ").removeprefix("The ")
    names = country_names()
    if name in names:
        return names[name]
    lowered = {k.lower(): v for k, v in names.items() if k not in CASE_SENSITIVE}
    if name.lower() in lowered:
        return lowered[name.lower()]
    if len(name) == 2 and name.isupper():
        if name == "EU" or pycountry.countries.get(alpha_2=name):
            return name
    return None


def country_label(code: str) -> str:
    """The English name we show for a code."""
    if code == "EU":
        return EU_NAME
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def is_union(code: str) -> bool:
    return code == "EU"
