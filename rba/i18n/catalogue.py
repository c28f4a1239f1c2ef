"""The gettext catalogues: extraction from the source, loading, and the completeness checks.

Every user-visible string in `rba/` and `dashboards/` is written in English inside ``_()``,
``gettext()``, ``ngettext()``, ``pgettext()`` (a context, where the same English is translated
two ways) or, for words defined before a language is known, ``N_()``. ``locale/messages.pot``
is the template of them all. A language's translations live in
``locale/<lang>/LC_MESSAGES/``, one ``.po`` catalogue per domain of the interface (`DOMAINS`:
the scorecard, the indicator page, data entry and upload, import problems, common words...),
each message in exactly one of them. They make up the one gettext domain "messages": there
is no compiled ``.mo`` file to forget, the catalogues are merged and compiled in memory
(babel.messages.mofile) the first time a language is asked for, so a fresh clone with
``pip install -e .`` just works.

Adding a string: write it in ``_()``, run ``update_catalogue()`` (from a shell:
``python -c "from rba.i18n.catalogue import update_catalogue; print(update_catalogue())"``)
and fill in its ``msgstr`` in the catalogue it was added to. A new message goes to the
domain whose `DOMAINS` sources name the files that use it, or to ``common.po`` when they
are of several domains; a message already in a catalogue stays where it is (move it by
hand, keeping it in one file only, or let ``regroup_catalogues()`` move every message to its
domain and fold in any other ``.po``). ``pybabel extract -F babel.cfg`` writes the same
template, but ``pybabel update`` knows one ``.po`` per domain only: use update_catalogue.

``missing_translations()`` lists every extracted string without a translation and
``duplicated_messages()`` every message in two catalogues; tests keep both empty. The
extractor cannot see a message built inside its call (``_(f"...")``, ``+``, ``%``,
``.format``): ``computed_messages()`` lists those, and a test keeps that empty too.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import gettext as stdlib_gettext
import importlib.util
import io
import string
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from rba.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
#: The entry-point group of the other packages whose source holds messages (the dashboard
#: declares itself in pyproject.toml), so rba never names them.
SOURCES_GROUP = "rba.catalogue_sources"
METHOD_MAP = [("**.py", "python")]
PROJECT = "rba"
#: Each language's plural rule, as its catalogues have always been written (newer CLDR data
#: in Babel gives Spanish a third form, for millions, that no translation has).
PLURAL_FORMS = {"es": "nplurals=2; plural=(n != 1);"}


class Domain(NamedTuple):
    """One catalogue file: what its messages are about, and the source files (fnmatch
    patterns on "package/path.py") whose new messages it takes."""

    about: str
    sources: tuple[str, ...]


#: A language's catalogues by file name (without ".po"). A source file belongs to the first
#: domain with a pattern that matches it; "common" takes the rest, and every message used in
#: files of several domains.
DOMAINS: dict[str, Domain] = {
    "notes": Domain("notes on what a curve's forecast rests on (rba.calc.notes codes)",
                    ("rba/i18n/notes.py",)),
    "problems": Domain("problems found in an imported or entered file, and bad periods",
                       ("rba/periods.py", "rba/problems.py", "rba/plan.py", "rba/ingest/*",
                        "rba/workbook/*")),
    "targets": Domain("target proposals and decisions",
                      ("dashboards/*targets*", "rba/*/proposals.py", "rba/services/targets.py")),
    "scorecard": Domain("the scorecard of results and a result's page",
                        ("dashboards/*home*", "dashboards/*scorecard*", "dashboards/*result*")),
    "indicator": Domain("an indicator's page: its curve, figures, story and downloads",
                        ("dashboards/*indicator*", "dashboards/*curve*",
                         "dashboards/*/_story*", "dashboards/*/story*",  # not history.py
                         "dashboards/*download*", "rba/report/tables.py",
                         "rba/report/charts.py", "rba/*/curves.py", "rba/*/stories.py")),
    "team": Domain("a result team's quarterly review", ("dashboards/*team*",
                                                        "rba/report/team.py")),
    "equity": Domain("gaps between groups", ("dashboards/*equity*", "rba/report/equity.py")),
    "alignment": Domain("programs, partners and funding aligned with results",
                        ("dashboards/*alignment*", "rba/report/alignment.py")),
    "history": Domain("the history of changes: batches, undo and audit trails",
                      ("dashboards/*history*", "dashboards/*batch*", "dashboards/*audit*",
                       "rba/*/undo.py", "rba/*/deletes.py", "rba/services/audit.py")),
    "entry": Domain("data entry, entry templates, uploads, import plans and locked periods",
                    ("dashboards/*entry*", "dashboards/*upload*", "dashboards/*plan*",
                     "dashboards/*grid*", "rba/*/entry.py", "rba/*/locks.py",
                     "rba/*/imports.py", "rba/store/imports/*")),
    "access": Domain("signing in, people, roles and access to pages",
                     ("dashboards/*auth*", "dashboards/*signin*", "dashboards/*login*",
                      "rba/*/people.py")),
    "common": Domain("words any page may use: labels of codes, units, menus and headings",
                     ("*",)),
}
COMMON = "common"


def catalogue_path(lang: str, name: str) -> Path:
    """Where a language's catalogue of one domain lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{name}.po"


def domain_of(locations: Iterable[tuple[str, object]]) -> str:
    """The domain a message belongs to by the files that use it: theirs when they share
    one, else "common"."""
    names = {next(name for name, domain in DOMAINS.items()
                  if any(fnmatch.fnmatch(path, pattern) for pattern in domain.sources))
             for path, _line in locations}
    return names.pop() if len(names) == 1 else COMMON


def source_packages() -> tuple[str, ...]:
    """The packages whose source is scanned for messages: rba and those in SOURCES_GROUP
    (as babel.cfg at the repository root lists them)."""
    return ("rba", *sorted({point.module for point in entry_points(group=SOURCES_GROUP)}))


def source_dirs() -> list[Path]:
    """The folders of the source packages that are installed (found without importing them)."""
    dirs = []
    for package in source_packages():
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


def stored_catalogues(lang: str) -> dict[str, Catalog]:
    """Each stored catalogue of a language, by domain (its file name), as Babel reads it."""
    found = {}
    for path in sorted(catalogue_path(lang, "*").parent.glob("*.po")):
        with path.open("rb") as handle:
            found[path.stem] = read_po(handle, locale=lang, domain=DOMAIN)
    return found


def _key(message: Message) -> tuple[str, str | None]:
    return _text(message.id), message.context


def load_catalogue(lang: str) -> Catalog:
    """All the catalogues of a language merged into one, as Babel reads them.

    Each message is in one catalogue only (`duplicated_messages`); should one be in two,
    the first translated entry (by file name) wins.
    """
    merged = new_catalogue(lang, "every domain")
    for catalogue in stored_catalogues(lang).values():
        for message in catalogue:
            if not message.id:
                continue
            mine = merged.get(message.id, context=message.context)
            if mine is None or (not _translated(mine.string) and _translated(message.string)):
                merged.delete(message.id, context=message.context)
                merged[message.id] = message
    return merged


def duplicated_messages(lang: str = "es") -> list[str]:
    """Messages stored in more than one catalogue of a language, as "msgid: a.po, b.po"."""
    homes: dict[tuple[str, str | None], list[str]] = {}
    for name, catalogue in stored_catalogues(lang).items():
        for message in catalogue:
            if message.id:
                homes.setdefault(_key(message), []).append(f"{name}.po")
    return sorted(f"{msgid}{f' [{context}]' if context else ''}: {', '.join(names)}"
                  for (msgid, context), names in homes.items() if len(names) > 1)


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


#: The functions whose first argument is a message looked up in the catalogue (ngettext's
#: first two: singular and plural; pgettext's: context and message).
TRANSLATING = frozenset({"_", "gettext", "ngettext", "pgettext", "N_"})


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
                for message in node.args[:2] if _called(node.func) in (
                        "ngettext", "pgettext") else (node.args[0],):
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
    """Re-extract the template (messages.pot) and merge it into each language's catalogues.

    A message stays in the catalogue that holds it; a new one arrives untranslated in the
    catalogue of its domain (`domain_of`); one gone from the source is dropped. Returns the
    number of missing translations per language afterwards.
    """
    template = extracted_catalogue()
    with POT_PATH.open("wb") as handle:
        write_po(handle, template, width=96, sort_output=True, omit_header=False)
    counts = {}
    for lang in langs or tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE):
        stored = stored_catalogues(lang)
        home = {_key(m): name for name, catalogue in stored.items() for m in catalogue if m.id}
        parts = {name: Catalog(fuzzy=False) for name in (*DOMAINS, *stored)}
        for message in template:
            if message.id:
                parts[home.get(_key(message)) or domain_of(message.locations)][
                    message.id] = message
        for name, part in parts.items():
            catalogue = stored.get(name) or new_catalogue(lang, DOMAINS[name].about)
            catalogue.update(part, no_fuzzy_matching=True, update_creation_date=False)
            with catalogue_path(lang, name).open("wb") as handle:
                write_po(handle, catalogue, width=96, sort_output=True, ignore_obsolete=True)
        counts[lang] = len(missing_translations(lang))
    translations.cache_clear()
    return counts


def regroup_catalogues(lang: str = "es") -> dict[str, int]:
    """Move every message of a language to the catalogue of its domain (`domain_of` the
    files that use it now), folding in any other ``.po`` (one a merge brought back, say).

    Translations are kept, messages gone from the source dropped. Returns the number of
    messages per catalogue.
    """
    stored = load_catalogue(lang)
    parts = {name: new_catalogue(lang, domain.about) for name, domain in DOMAINS.items()}
    for message in extracted_catalogue():
        if message.id:
            old = stored.get(message.id, context=message.context)
            parts[domain_of(message.locations)].add(
                message.id, old.string if old else None, message.locations,
                flags=old.flags if old else (), auto_comments=message.auto_comments,
                user_comments=old.user_comments if old else (), context=message.context)
    for path in catalogue_path(lang, "*").parent.glob("*.po"):
        path.unlink()
    for name, part in parts.items():
        with catalogue_path(lang, name).open("wb") as handle:
            write_po(handle, part, width=96, sort_output=True, ignore_obsolete=True)
    translations.cache_clear()
    return {name: len(part) for name, part in parts.items()}


def new_catalogue(lang: str, about: str) -> Catalog:
    """An empty catalogue of a language, its header saying what it holds."""
    english_name = Locale.parse(lang).english_name
    catalogue = Catalog(
        locale=lang, domain=DOMAIN, project=PROJECT, version="0.1.0", fuzzy=False,
        header_comment=f"# {english_name} translations of {PROJECT}: {about}.\n"
                       "# Update with rba.i18n.catalogue.update_catalogue(), then fill in "
                       "msgstr.",
        last_translator="Collaborate PASadena",
        language_team=f"Collaborate PASadena ({english_name})")
    if lang in PLURAL_FORMS:
        catalogue.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
    return catalogue
