"""The languages the tracker is published in, and the Babel locale each is formatted with."""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"
#: Language code -> Babel locale used for numbers and dates. US Spanish, not Spain's:
#: see rba.i18n.formatting for why.
LOCALES = {"en": "en_US", "es": "es_US"}
LANGUAGES = tuple(LOCALES)


def language(lang: object) -> str:
    """The supported language a code names: "es", "es-MX", "ES_us" -> "es"; others -> "en"."""
    text = str(lang or "").strip().lower().replace("_", "-")
    base = text.split("-", 1)[0]
    return base if base in LOCALES else DEFAULT_LANGUAGE


def locale_of(lang: object) -> str:
    """The Babel locale a language is formatted with ("en_US" or "es_US")."""
    return LOCALES[language(lang)]
