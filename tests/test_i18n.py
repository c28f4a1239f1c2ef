"""English and Spanish: every UI string has its Spanish, and translators pick the language."""

from __future__ import annotations

import configparser
import shutil
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import write_po

from rba.i18n import (
    LABELS,
    catalogue,
    gettext,
    label,
    language,
    localized,
    localized_column,
    ngettext,
    plural_translator,
    translator,
)
from rba.i18n.catalogue import (
    computed_messages,
    duplicated_messages,
    extracted_catalogue,
    load_catalogue,
    missing_translations,
    placeholder_mismatches,
)
from rba.i18n.notes import CHART_NOTE_WORDS, NOTE_WORDS, chart_note_words, note_words

ROOT = Path(__file__).resolve().parent.parent


def test_every_ui_string_has_its_spanish_translation() -> None:
    missing = missing_translations()
    assert missing == [], (
        f"{len(missing)} UI string(s) lack Spanish: run rba.i18n.catalogue.update_catalogue() "
        "and fill in the entries it adds to rba/i18n/locale/es/LC_MESSAGES/<domain>.po: "
        f"{missing[:20]}")


def test_each_message_is_in_one_catalogue_only() -> None:
    assert duplicated_messages() == [], "translate each message in one catalogue only"


def test_the_catalogues_are_the_domains_and_share_the_plural_rule() -> None:
    stored = catalogue.stored_catalogues("es")
    assert sorted(stored) == sorted(catalogue.DOMAINS)
    assert {c.plural_forms for c in stored.values()} == {catalogue.PLURAL_FORMS["es"]}


@pytest.mark.parametrize(("paths", "domain"), [
    (["dashboards/pages/targets.py"], "targets"),
    (["rba/ingest/figures.py", "rba/periods.py"], "problems"),
    (["dashboards/pages/equity.py", "rba/report/equity.py"], "equity"),
    (["dashboards/pages/equity.py", "dashboards/pages/team.py"], "common"),
    (["dashboards/components.py"], "common"),
    (["dashboards/pages/_story.py"], "indicator"),
    (["dashboards/pages/history.py"], "history"),
    (["rba/store/imports/undo.py"], "history"),
    (["rba/store/imports/figures.py", "rba/store/locks.py"], "entry"),
    (["rba/store/people.py", "dashboards/auth.py"], "access"),
])
def test_a_message_belongs_to_the_domain_of_the_files_that_use_it(paths: list[str],
                                                                    domain: str) -> None:
    assert catalogue.domain_of([(path, 1) for path in paths]) == domain


def test_an_update_adds_new_messages_to_their_domain_and_leaves_the_rest_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(catalogue.LOCALE_DIR, locale)
    monkeypatch.setattr(catalogue, "LOCALE_DIR", locale)
    monkeypatch.setattr(catalogue, "POT_PATH", locale / "messages.pot")
    pages = tmp_path / "dashboards" / "pages"
    pages.mkdir(parents=True)
    (pages / "targets.py").write_text(
        'from dashboards.i18n import _\nA = _("Propose")\nB = _("A word for two pages")\n',
        encoding="utf-8")
    (pages / "equity.py").write_text(
        'from dashboards.i18n import _\nC = _("A word for two pages")\n'
        'D = _("A word for the equity page")\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "source_dirs", lambda: [tmp_path / "dashboards"])
    try:
        assert catalogue.update_catalogue(("es",)) == {"es": 2}
        stored = catalogue.stored_catalogues("es")
        assert catalogue.duplicated_messages("es") == []
    finally:
        catalogue.translations.cache_clear()
    assert stored["targets"]["Propose"].string == "Proponer"
    assert stored["common"]["A word for two pages"].string == ""
    assert stored["equity"]["A word for the equity page"].string == ""
    assert (locale / "messages.pot").read_text(encoding="utf-8").count("msgid \"A word") == 2


def test_translations_keep_their_placeholders() -> None:
    assert placeholder_mismatches() == []


def test_a_new_untranslated_string_is_reported(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "dashboards"
    page.mkdir()
    (page / "page.py").write_text(
        'from dashboards.i18n import _, ngettext\n'
        'TITLE = _("Results")\n'  # translated already
        'NEW = _("A heading nobody has translated")\n'
        'COUNT = ngettext("{n} new thing", "{n} new things", 2)\n'
        'DYNAMIC = _(TITLE)\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "source_dirs", lambda: [page])
    assert missing_translations() == ["A heading nobody has translated", "{n} new thing"]


def test_no_message_is_computed_inside_its_translation_call() -> None:
    computed = computed_messages()
    assert computed == [], (
        "these messages are built before they are translated, so the catalogue cannot have "
        f"them: translate the template, then format it: {computed}")


def test_a_computed_message_is_reported(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The extractor skips an f-string and takes a piece of a "+" or "%", so these escape
    missing_translations (and the reader gets English); computed_messages names them."""
    page = tmp_path / "dashboards"
    page.mkdir()
    (page / "page.py").write_text(
        'from dashboards.i18n import _, ngettext\n'
        'from rba.i18n import gettext, pgettext\n'
        'name, n, WORDS = "x", 2, {"a": "Results"}\n'
        'A = _(f"Checked {name}")\n'
        'B = _("Checked " + name)\n'
        'C = gettext("Checked %s" % name, "es")\n'
        'D = _("Checked {name}".format(name=name))\n'
        'E = ngettext("{n} thing", f"{n} things", n)\n'
        'F = pgettext("table", f"Checked {name}", "es")\n'
        'FINE = [_("Checked {name}").format(name=name), _(WORDS["a"]), _(WORDS.get("a")),\n'
        '        _("Checked " "together"), pgettext("table", "Checked", "es")]\n',
        encoding="utf-8")
    monkeypatch.setattr(catalogue, "source_dirs", lambda: [page])
    assert [line.split(": ", 1)[0] for line in computed_messages()] == [
        f"dashboards/page.py:{n}" for n in (4, 5, 6, 7, 8, 9)]
    (page / "page.py").write_text('from dashboards.i18n import _\nname = "x"\n'
                                  'A = _(f"Checked {name}")\n', encoding="utf-8")
    assert missing_translations() == []  # the extractor does not see it at all
    assert len(computed_messages()) == 1


def test_the_extractor_sees_dashboard_and_library_strings() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted_catalogue() if m.id}
    assert "Sign in" in ids  # dashboards/components.py
    assert "How much did we do?" in ids  # rba/i18n/labels.py, through N_()
    assert "{n} row changed" in ids  # an ngettext singular


def test_babel_cfg_scans_what_the_check_scans() -> None:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "babel.cfg", encoding="utf-8")
    sections = sorted(parser.sections())
    assert sections == sorted(f"python: {p}/**.py" for p in catalogue.source_packages())
    assert catalogue.METHOD_MAP == [("**.py", "python")]


def test_catalogue_has_no_fuzzy_entries_and_spanish_plural_rule() -> None:
    stored = load_catalogue("es")
    assert stored.plural_forms == "nplurals=2; plural=(n != 1);"
    assert [m.id for m in stored if m.id and m.fuzzy] == []


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "How much did we do?"),
    ("es", "¿Cuánto hicimos?"),
    ("es-MX", "¿Cuánto hicimos?"),
    ("es_US", "¿Cuánto hicimos?"),
    ("ES", "¿Cuánto hicimos?"),
    ("fr", "How much did we do?"),
    ("", "How much did we do?"),
    (None, "How much did we do?"),
])
def test_translator_by_language(lang: str | None, expected: str) -> None:
    assert translator(lang)("How much did we do?") == expected


def test_unknown_message_falls_back_to_english() -> None:
    assert translator("es")("Not in any catalogue") == "Not in any catalogue"
    assert gettext("Save", "es") == "Guardar"
    assert gettext("Save") == "Save"


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (1, "en", "1 row changed"), (2, "en", "2 rows changed"), (0, "en", "0 rows changed"),
    (1, "es", "1 fila modificada"), (2, "es", "2 filas modificadas"),
    (0, "es", "0 filas modificadas"),
])
def test_plurals(n: int, lang: str, expected: str) -> None:
    assert ngettext("{n} row changed", "{n} rows changed", n, lang).format(n=n) == expected
    assert plural_translator(lang)("{n} row changed", "{n} rows changed", n).format(
        n=n) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("es", "es"), ("es-419", "es"), ("en-GB", "en"), ("pt", "en"), ("", "en"), (None, "en")])
def test_language_codes(code: str | None, expected: str) -> None:
    assert language(code) == expected


class Model:
    name = "Students served"
    name_es = "Estudiantes atendidos"
    description = "Five weeks of summer learning."
    description_es = "   "


@pytest.mark.parametrize("record", [
    {"name": "Students served", "name_es": "Estudiantes atendidos",
     "description": "Five weeks of summer learning.", "description_es": "   "},
    pd.Series({"name": "Students served", "name_es": "Estudiantes atendidos",
               "description": "Five weeks of summer learning.", "description_es": None}),
    Model(),
])
def test_localized_prefers_spanish_where_given(record: object) -> None:
    assert localized(record, "name", "es") == "Estudiantes atendidos"
    assert localized(record, "name", "en") == "Students served"
    # blank or missing Spanish: English is the fall-back
    assert localized(record, "description", "es") == "Five weeks of summer learning."
    assert localized(record, "description", "fr") == "Five weeks of summer learning."


def test_localized_column() -> None:
    frame = pd.DataFrame({"name": ["Total", "City", "Group"],
                          "name_es": ["Total", None, ""]})
    assert localized_column(frame, "name", "es").tolist() == ["Total", "City", "Group"]
    frame.loc[1, "name_es"] = "Ciudad"
    assert localized_column(frame, "name", "es").tolist() == ["Total", "Ciudad", "Group"]
    assert localized_column(frame.drop(columns="name_es"), "name", "es").tolist() == [
        "Total", "City", "Group"]


@pytest.mark.parametrize(("group", "code", "en", "es"), [
    ("measure_kind", "how_much", "How much did we do?", "¿Cuánto hicimos?"),
    ("measure_kind", "how_well", "How well did we do it?", "¿Qué tan bien lo hicimos?"),
    ("measure_kind", "better_off", "Is anyone better off?", "¿Hay alguien en mejor situación?"),
    ("status", "better_than_forecast", "Better than forecast", "Mejor que el pronóstico"),
    ("trend", "improving", "Improving", "Mejorando"),
    ("progress", "needs_acceleration", "Needs acceleration", "Necesita acelerarse"),
    ("band", "red", "Off target", "Lejos de la meta"),
    ("gap_trend", "narrowing", "Gap narrowing", "La brecha se reduce"),
    ("suppression", "small_group", "Too few to report", "Grupo demasiado pequeño para publicar"),
])
def test_labels_in_both_languages(group: str, code: str, en: str, es: str) -> None:
    assert label(group, code, "en") == en
    assert label(group, code, "es") == es


def test_labels_cover_every_calc_code() -> None:
    from rba.calc import BANDS, DIRECTIONS, PROGRESS, STATUSES
    from rba.models import IndicatorKind, MeasureKind, PartnerType, Unit

    for group, codes in (("status", STATUSES), ("trend", DIRECTIONS), ("progress", PROGRESS),
                         ("band", BANDS), ("kind", [k.value for k in IndicatorKind]),
                         ("measure_kind", [k.value for k in MeasureKind]),
                         ("unit", [u.value for u in Unit]),
                         ("partner_type", [p.value for p in PartnerType])):
        assert set(LABELS[group]) == set(codes), group


def test_unknown_and_blank_codes() -> None:
    assert label("trend", "sideways", "es") == "sideways"
    assert label("trend", None, "es") == ""
    assert label("trend", float("nan"), "es") == ""


def test_every_note_code_has_words() -> None:
    from rba.calc.notes import NOTES

    assert list(NOTE_WORDS) == list(NOTES)
    assert set(CHART_NOTE_WORDS) <= set(NOTES)


def test_notes_in_words_in_each_language() -> None:
    codes = ("one_point", "frozen", "someday")
    assert note_words(codes) == ["one point in the history: flat forecast, no interval",
                                 "judged against a frozen baseline", "someday"]
    assert note_words(codes, "es") == ["un solo punto en el historial: pronóstico plano, "
                                       "sin intervalo",
                                       "juzgado frente a una línea de base congelada", "someday"]
    # The chart tells its reader only what it draws: not that the baseline is frozen.
    assert chart_note_words(codes, "es") == [
        "El pronóstico se basa en una sola cifra: se mantiene plano y no tiene intervalo de "
        "predicción."]


def test_regrouping_folds_a_stray_catalogue_into_the_domains(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As after a merge that brings back one catalogue of everything (messages.po)."""
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, load_catalogue("es"))
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path / "locale")
    try:
        counts = catalogue.regroup_catalogues("es")
        assert sorted(p.stem for p in folder.glob("*.po")) == sorted(catalogue.DOMAINS)
        assert missing_translations() == [] and duplicated_messages() == []
        assert translator("es")("How much did we do?") == "¿Cuánto hicimos?"
    finally:
        catalogue.translations.cache_clear()
    assert counts["problems"] > 50 and counts["notes"] == len(NOTE_WORDS) + len(
        CHART_NOTE_WORDS)
