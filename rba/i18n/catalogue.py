"""The gettext catalogues: extraction from the source, loading, and the completeness check.

Every user-visible string in `rba/` and `dashboards/` is written in English inside ``_()``,
``gettext()``, ``ngettext()`` or (for labels defined before a language is known) ``N_()``.
The Spanish translations live in ``rba/i18n/locale/es/LC_MESSAGES/messages.po``. There is
no compiled ``.mo`` file to forget: the ``.po`` is compiled in memory (babel.messages.mofile)
the first time Spanish is asked for, so a fresh clone with ``pip install -e .`` just works.

Adding a string: write it in ``_()``, then either run ``update_catalogue()`` (the same as
``pybabel extract -F babel.cfg -o rba/i18n/locale/messages.pot .`` followed by
``pybabel update -i rba/i18n/locale/messages.pot -d rba/i18n/locale``) and fill in its
``msgstr``. ``missing_translations()`` lists every extracted string without a Spanish
translation, and a test asserts that list is empty. The extractor cannot see a message built
inside its call (``_(f"...")``, ``+``, ``%``, ``.format``): ``computed_messages()`` lists
those, and a test keeps that empty too.
"""

from __future__ import annotations

import ast
import functools
import gettext as stdlib_gettext
import importlib.util
import io
import string
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from rba.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
#: The packages whose source is scanned for messages (as in babel.cfg at the repository root).
SOURCE_PACKAGES = ("rba", "dashboards")
METHOD_MAP = [("**.py", "python")]
PROJECT = "rba"


def po_path(lang: str) -> Path:
    """Where a language's catalogue lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def source_dirs() -> list[Path]:
    """The folders of SOURCE_PACKAGES that exist (found without importing them)."""
    dirs = []
    for package in SOURCE_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin is not None:
            dirs.append(Path(spec.origin).resolve().parent)
    return dirs


def extracted_catalogue() -> Catalog:
    """Every translatable literal in the source, as a template catalogue (no translations)."""
    catalogue = Catalog(project=PROJECT, fuzzy=False)
    for folder in source_dirs():
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, METHOD_MAP, keywords=DEFAULT_KEYWORDS, comment_tags=("Translators:",),
                strip_comment_tags=True):
            location = (f"{folder.name}/{filename}", lineno)
            catalogue.add(message, None, [location], auto_comments=comments, context=context)
    return catalogue


def load_catalogue(lang: str) -> Catalog:
    """The stored catalogue of a language, as Babel reads it.

    Other ``*.po`` files beside the main one (e.g. one per part of the dashboard, written
    in parallel) are merged in; the main catalogue wins where both translate a string.
    """
    with po_path(lang).open("rb") as handle:
        catalogue = read_po(handle, locale=lang, domain=DOMAIN)
    for extra in sorted(po_path(lang).parent.glob("*.po")):
        if extra == po_path(lang):
            continue
        with extra.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if not message.id:
                    continue
                mine = catalogue.get(message.id)
                if mine is None:
                    catalogue[message.id] = message
                elif not _translated(mine.string) and _translated(message.string):
                    # Catalog.__setitem__ keeps an existing entry's (blank) string.
                    mine.string = message.string
                    mine.flags.discard("fuzzy")
    return catalogue


@functools.cache
def translations(lang: str) -> stdlib_gettext.NullTranslations:
    """gettext translations for a language: English is the identity; others from the .po."""
    lang = language(lang)
    if lang == DEFAULT_LANGUAGE:
        return stdlib_gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, load_catalogue(lang), use_fuzzy=False)
    buffer.seek(0)
    return stdlib_gettext.GNUTranslations(buffer)


def _translated(message: object) -> bool:
    strings = message if isinstance(message, tuple | list) else (message,)
    return bool(strings) and all(isinstance(s, str) and s.strip() for s in strings)


def _text(msgid: object) -> str:
    return str(msgid[0]) if isinstance(msgid, tuple | list) else str(msgid)


def missing_translations(lang: str = "es") -> list[str]:
    """Every string marked for translation in the source that lacks a translation in `lang`.

    A string counts as missing when the catalogue has no entry for it, the entry is fuzzy
    (not yet checked by a translator), or any of its plural forms is blank. Plural
    messages are listed by their singular.
    """
    stored = load_catalogue(lang)
    missing = set()
    for message in extracted_catalogue():
        if not message.id:
            continue
        entry = stored.get(message.id, context=message.context)
        if entry is None or entry.fuzzy or not _translated(entry.string):
            missing.add(_text(message.id))
    return sorted(missing)


#: The functions whose first argument is a message looked up in the catalogue.
TRANSLATING = frozenset({"_", "gettext", "ngettext", "N_"})


def computed_messages() -> list[str]:
    """Translation calls whose message is computed (an f-string, ``+``, ``%`` or ``.format``
    inside the call), as "file:line: code".

    The extractor cannot see such a message, or sees only a piece of it, so it escapes
    missing_translations while the reader gets English: format after translating
    (``_("{n} rows").format(n=n)``). A name or lookup (``_(TITLE)``) is fine: the constant
    is marked with ``N_`` where it is defined.
    """
    found = []
    for folder in source_dirs():
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and node.args
                        and _called(node.func) in TRANSLATING):
                    continue
                for message in node.args[:2] if _called(node.func) == "ngettext" else (
                        node.args[0],):
                    if isinstance(message, ast.JoinedStr | ast.BinOp) or (
                            isinstance(message, ast.Call)
                            and _called(message.func) in ("format", "join")):
                        where = f"{folder.name}/{path.relative_to(folder)}:{node.lineno}"
                        found.append(f"{where}: {ast.unparse(node)}")
    return found


def _called(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else None


def _fields(text: str) -> set[str] | None:
    """The {placeholders} of a format string; None when it is not a valid format string."""
    try:
        return {f"{{{name}{':' + spec if spec else ''}}}"
                for _, name, spec, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def placeholder_mismatches(lang: str = "es") -> list[str]:
    """Translations whose {placeholders} differ from their English original's.

    A plain message's translation must have exactly the original's placeholders. A plural
    message's last form must have the English plural's; other forms may leave some out
    ("Una fila" for "{n} row") but never add one.
    """
    bad = []
    for message in load_catalogue(lang):
        if not message.id or not _translated(message.string):
            continue
        if not isinstance(message.id, tuple | list):
            if _fields(str(message.string)) != _fields(message.id) or _fields(
                    message.id) is None:
                bad.append(message.id)
            continue
        allowed = set().union(*(_fields(i) or set() for i in message.id))
        forms = [_fields(s) for s in (message.string or ())]
        if (forms[-1] != _fields(message.id[-1])
                or any(f is None or not f <= allowed for f in forms)):
            bad.append(message.id[0])
    return sorted(set(bad))


def update_catalogue(langs: tuple[str, ...] = ()) -> dict[str, int]:
    """Re-extract the template (messages.pot) and merge it into each language's .po.

    New strings arrive untranslated; strings gone from the source become obsolete.
    Returns the number of missing translations per language afterwards.
    """
    template = extracted_catalogue()
    with POT_PATH.open("wb") as handle:
        write_po(handle, template, width=96, sort_output=True, omit_header=False)
    counts = {}
    for lang in langs or tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE):
        catalogue = load_catalogue(lang)
        catalogue.update(template, no_fuzzy_matching=True)
        with po_path(lang).open("wb") as handle:
            write_po(handle, catalogue, width=96, sort_output=True, ignore_obsolete=True)
        counts[lang] = len(missing_translations(lang))
    translations.cache_clear()
    return counts
