"""Translatable UI strings: every string the dashboard shows goes through ``_()``.

For now the functions return the English text unchanged (the gettext signatures), so a
later Spanish pass can extract the ``_("...")`` literals with standard tools
(``pybabel extract``, ``xgettext``) and install a real catalogue here.
"""

from __future__ import annotations


def gettext(message: str) -> str:
    """The translation of ``message`` (English for now)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural translation for ``n`` items (English for now)."""
    return singular if n == 1 else plural


_ = gettext
