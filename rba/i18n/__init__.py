"""English and Spanish: gettext translations, localised content fields and number formats.

- ``translator(lang)`` gives the ``gettext`` function of a language (English: identity;
  Spanish: from the catalogues in ``locale/es/LC_MESSAGES/``, one per domain, see
  rba.i18n.catalogue; any other code: English), and
  ``plural_translator(lang)`` its ``ngettext``. ``gettext(msg, lang)``,
  ``ngettext(singular, plural, n, lang)`` and ``pgettext(context, msg, lang)`` do one message.
- ``render(text, lang)`` writes a `rba.messages.Message` (a problem, a refusal) in a
  language; any other value as ``str()`` writes it.
- ``localized(record, "name", lang)`` picks ``name_es`` in Spanish where it is filled in,
  else the English ``name``.
- ``format_number``, ``format_percent``, ``format_date``, ``format_value``... write figures
  as each language's readers expect (US English and US Spanish; see rba.i18n.formatting);
  ``unit_words`` and ``series_label`` write a unit and a group.
- ``label(group, code, lang)`` turns calculation codes into words, ``note_words(codes,
  lang)`` a summary's note codes (rba.calc.notes) and ``chart_note_words`` those a chart's
  reader needs.
- ``missing_translations()`` lists UI strings without Spanish (a test keeps it empty).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from rba.i18n.catalogue import missing_translations, placeholder_mismatches, translations
from rba.i18n.formatting import (
    MISSING,
    LabelMap,
    format_change,
    format_currency,
    format_date,
    format_number,
    format_percent,
    format_period,
    format_signed,
    format_value,
    format_whole_or_decimal,
    is_missing,
    series_label,
    unit_words,
)
from rba.i18n.labels import LABELS, N_, label
from rba.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, LOCALES, language, locale_of
from rba.i18n.notes import chart_note_words, note_words
from rba.messages import Message

__all__ = [
    "DEFAULT_LANGUAGE", "LABELS", "LANGUAGES", "LOCALES", "MISSING", "N_", "LabelMap",
    "chart_note_words", "format_change", "format_currency", "format_date", "format_number",
    "format_percent", "format_period", "format_signed", "format_value", "format_whole_or_decimal",
    "gettext", "is_missing", "label", "label_map", "language", "locale_of", "localized",
    "localized_column",
    "missing_translations", "ngettext", "note_words", "pgettext", "placeholder_mismatches",
    "plural_translator", "render", "series_label", "translator", "unit_words",
]


def translator(lang: object) -> Callable[[str], str]:
    """The gettext function of a language: English unchanged, Spanish from the catalogue."""
    return translations(language(lang)).gettext


def plural_translator(lang: object) -> Callable[[str, str, int], str]:
    """The ngettext function of a language (singular or plural form for a count)."""
    return translations(language(lang)).ngettext


def gettext(message: str, lang: object = DEFAULT_LANGUAGE) -> str:
    """One message in a language (English when it has no translation)."""
    return translator(lang)(message)


def ngettext(singular: str, plural: str, n: int, lang: object = DEFAULT_LANGUAGE) -> str:
    """The form of a message for `n` things in a language."""
    return plural_translator(lang)(singular, plural, n)


def pgettext(context: str, message: str, lang: object = DEFAULT_LANGUAGE) -> str:
    """One message in a context (where the same English is written differently) in a
    language: ``pgettext("curve table", "Period", "es")``."""
    return translations(language(lang)).pgettext(context, message)


def render(text: object, lang: object = None) -> str:
    """Text for a reader in a language ("en", "es"...; None or an unknown code: English).

    A Message is translated and filled in, its values in the same language; any other value
    (a file name, a number) is written as ``str()`` writes it.
    """
    if isinstance(text, Message):
        return text.filled(translator(lang))
    return str(text)


def _field(record: Any, name: str) -> Any:
    if isinstance(record, Mapping | pd.Series):
        return record.get(name)
    return getattr(record, name, None)


def localized(record: Any, field: str, lang: object) -> Any:
    """A content field in a language: ``field_es`` in Spanish when not blank, else ``field``.

    `record` may be a dict, a pandas row or any object with attributes (a model).
    """
    if language(lang) != DEFAULT_LANGUAGE:
        translated = _field(record, f"{field}_{language(lang)}")
        if not is_missing(translated):
            return translated
    return _field(record, field)


def localized_column(frame: pd.DataFrame, field: str, lang: object) -> pd.Series:
    """A whole column in a language: ``field_es`` where filled in, else ``field``."""
    english = frame[field] if field in frame else pd.Series(None, index=frame.index,
                                                             dtype=object)
    other = f"{field}_{language(lang)}"
    if language(lang) == DEFAULT_LANGUAGE or other not in frame:
        return english.astype(object)
    translated = frame[other].astype(object)
    blank = translated.isna() | translated.astype(str).str.strip().eq("")
    return translated.where(~blank, english).astype(object)


def label_map(labels: pd.DataFrame, lang: str = "en") -> dict[tuple[str, str | None], str]:
    """(dimension, value) -> label, from a frame of dimension, value (None: itself), label.

    In Spanish (``lang="es"``) a value's ``label_es`` is used where the frame has one
    filled in, else its English ``label``; a blank label leaves the value as it is.
    """
    words = localized_column(labels, "label", lang)
    out: dict[tuple[str, str | None], str] = {}
    for dimension, value, text in zip(labels["dimension"], labels["value"].astype(object),
                                      words, strict=True):
        if isinstance(text, str) and text.strip():
            out[(str(dimension), value if isinstance(value, str) else None)] = text
    return out
