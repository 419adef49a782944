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
    # the spelling US rules use where ISO 3166 writes "Macao"
    "Macau": "MO",
}

#: Country adjectives as legal and press texts use them ("Canadian item 5506").
ADJECTIVES: dict[str, str] = {
    "American": "US",
    "British": "GB",
    "Canadian": "CA",
    "German": "DE",
    "French": "FR",
    "Italian": "IT",
    "Spanish": "ES",
    "Dutch": "NL",
    "Japanese": "JP",
    "Australian": "AU",
    "Swiss": "CH",
    "Korean": "KR",
    "Indian": "IN",
    "Chinese": "CN",
    "Finnish": "FI",
    "Singaporean": "SG",
    "Russian": "RU",
    "Austrian": "AT",
    "Belgian": "BE",
    "Swedish": "SE",
    "Polish": "PL",
    "Irish": "IE",
    "Danish": "DK",
    "Norwegian": "NO",
    "Czech": "CZ",
}

#: Wikidata items of the jurisdictions the sample world names (checked identifiers only).
WIKIDATA: dict[str, str] = {
    "EU": "Q458",
    "US": "Q30",
    "GB": "Q145",
    "DE": "Q183",
    "FR": "Q142",
    "IT": "Q38",
    "ES": "Q29",
    "NL": "Q55",
    "CA": "Q16",
    "JP": "Q17",
    "AU": "Q408",
    "CH": "Q39",
    "KR": "Q884",
    "IN": "Q668",
    "CN": "Q148",
    "SG": "Q334",
    "FI": "Q33",
    "RU": "Q159",
    "AT": "Q40",
    "BE": "Q31",
    "SE": "Q34",
    "NO": "Q20",
    "DK": "Q35",
    "PL": "Q36",
    "IE": "Q27",
    "PT": "Q45",
    "GR": "Q41",
    "CZ": "Q213",
    "HU": "Q28",
    "RO": "Q218",
    "BG": "Q219",
    "HR": "Q224",
    "SK": "Q214",
    "SI": "Q215",
    "EE": "Q191",
    "LV": "Q211",
    "LT": "Q37",
    "LU": "Q32",
    "MT": "Q233",
    "CY": "Q229",
    "MX": "Q96",
    "AR": "Q414",
    "NZ": "Q664",
    "TR": "Q43",
    "UA": "Q212",
    "ZA": "Q258",
    "MC": "Q235",
    "UY": "Q77",
}

#: Short forms that are also ordinary words or ambiguous in prose: matched only
#: with their exact capitalisation.
CASE_SENSITIVE = {"US", "UK", "EU", "U.S.", "U.K.", "USA", *ADJECTIVES}

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
    names.update(ADJECTIVES)
    return names


@lru_cache(maxsize=1)
def _lowered_names() -> dict[str, str]:
    """The names matched in any case, lower-cased (made once, not per call)."""
    return {k.lower(): v for k, v in country_names().items() if k not in CASE_SENSITIVE}


def country_code(name: str) -> str | None:
    """ISO code for a country name, short form or code; None when unknown."""
    name = name.strip().removeprefix("the ").removeprefix("The ")
    names = country_names()
    if name in names:
        return names[name]
    lowered = _lowered_names()
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
