"""The annual report card: `rba report-card` and /report-card/YEAR(.pdf) on the sample.

What a council member must be able to trust: only final figures of published indicators of
the chosen year, small groups withheld, no person's e-mail, every word in both languages,
and a file that opens offline (nothing fetched from elsewhere).
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import factories
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from dash import Dash
from pypdf import PdfReader

from dashboards import ids
from rba.cli import main
from rba.report.report_card_html import font_subset
from rba.services.database import open_database, session_scope
from rba.services.report_card import report_card_document, report_card_year
from rba.services.stories import save_story

TODAY = "2026-12-03"
EMAIL = "canary.person@example.org"
UNPUBLISHED = "Canary unpublished indicator"
DRAFT = "Canary draft story, not reviewed yet"


def run(url: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("RBA_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["report-card", *args, "--today", TODAY])
    return result.exit_code, result.output


def plant_canaries(url: str) -> None:
    """A provisional 2023-24 kindergarten readiness of 42.42%, an unpublished indicator, a
    story saved by a person's e-mail, a draft story, and Altadena's weight figures too small
    to publish."""
    engine = sa.create_engine(url)
    with engine.begin() as db:
        # Every 2023-24 figure provisional, or the total is rolled up from final parts.
        db.execute(sa.text(
            "UPDATE observations SET status = 'provisional' WHERE period = '2023-24' AND "
            "indicator_id = (SELECT id FROM indicators WHERE code = 'kinder_ready')"))
        db.execute(sa.text(
            "UPDATE observations SET value = 42.42 WHERE period = '2023-24' AND dimensions "
            "= '{}' AND indicator_id = (SELECT id FROM indicators WHERE code = "
            "'kinder_ready')"))
        db.execute(sa.text("UPDATE indicators SET published = :no, name = :name, name_es = "
                           ":name WHERE code = 'prenatal_care'"),
                   {"no": False, "name": UNPUBLISHED})
        db.execute(sa.text("UPDATE turn_the_curve_records SET saved_by = :email"),
                   {"email": EMAIL})
        db.execute(sa.text("UPDATE indicators SET min_n = 11 WHERE code = 'child_obesity'"))
        db.execute(sa.text(
            "UPDATE observations SET denominator = 5 WHERE dimensions = :key AND "
            "indicator_id = (SELECT id FROM indicators WHERE code = 'child_obesity')"),
            {"key": '{"city":"Altadena"}'})
    engine.dispose()
    with session_scope(open_database(url)) as session:  # a team's draft: not yet public
        save_story(session=session, code="kinder_ready", actor=EMAIL, status="draft",
                   fields={"story_behind_the_curve": DRAFT})


def test_html_has_each_result_its_headline_indicators_and_the_methods(
        sample_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "card.html"
    code, output = run(sample_url, monkeypatch, "--year", "2024", "--out", str(out))
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    assert "Collaborate PASadena" in html and "Annual report card 2024" in html
    assert "0 of 23 headline indicators doing better than their baseline" in html
    assert "Figures as of" in html
    assert html.count('<section class="result"') == 7
    assert html.count('<article class="indicator"') == 23
    assert html.count("<svg") >= 23
    # The scorecard's words: verdict, latest change, change since the first figure.
    assert "≈ On its baseline" in html
    assert "Kindergarteners ready for school" in html and "61.6% in School year 2023-24" in html
    assert "since School year 2016-17 (first figure)" in html
    assert "Accomplishments" in html and "Where more work is needed" in html
    assert "the gap to the best group is narrowing for" in html
    assert "Is anyone better off?" in html and "Attendance Mentors" in html
    assert "How the figures are computed" in html
    # Only figures of 2024: no latest figure, chart point or program figure after it.
    latest = re.findall(r'class="latest">([^<]*)<', html)
    assert len(latest) == 23 and not any(re.search(r"2024-25|2025", t) for t in latest)
    assert not re.search(r'class="tick">(2024-25|2025)', html)
    assert not re.search(r"<td>[^<]*\((School year 2024-25|[^)]*2025)\)", html)


def test_html_works_offline(sample_url: str, monkeypatch: pytest.MonkeyPatch,
                            tmp_path: Path) -> None:
    out = tmp_path / "card.html"
    assert run(sample_url, monkeypatch, "--year", "2024", "--out", str(out))[0] == 0
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", html)
    assert "@import" not in html
    assert html.count("data:font/woff;base64,") == 2  # the font travels with the page


def test_the_same_card_is_the_same_bytes_on_another_day(
        sample_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The embedded font keeps its own time stamp, not the time it was cut down: a card
    written again from the same figures is byte for byte the same file."""
    written = []
    for shift in (0, 86_400 * 3):
        font_subset.cache_clear()
        monkeypatch.setattr(time, "time", lambda _real=time.time, _s=shift: _real() + _s)
        out = tmp_path / f"card-{shift}.html"
        code, _output = run(sample_url, monkeypatch, "--year", "2024", "--today",
                            "2025-01-15", "--out", str(out))
        assert code == 0
        written.append(out.read_bytes())
    assert written[0] == written[1]


def test_spanish_html_is_in_spanish(sample_url: str, monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> None:
    out = tmp_path / "tarjeta.html"
    code, output = run(sample_url, monkeypatch, "--year", "2024", "--lang", "es", "--out",
                       str(out))
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert "Informe anual de resultados 2024" in html
    assert "Logros" in html and "Dónde hace falta más trabajo" in html
    assert "Cómo se calculan las cifras" in html
    assert "En su línea de base" in html
    assert "Accomplishments" not in html and "Where more work is needed" not in html


def test_pdf_has_pages_numbers_and_the_indicators(sample_url: str,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "tarjeta.pdf"
    code, output = run(sample_url, monkeypatch, "--year", "2024", "--lang", "es", "--out",
                       str(out))
    assert code == 0, output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 8
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Informe anual de resultados 2024" in text
    assert "Niños de kínder preparados para la escuela" in " ".join(text.split()) or \
        "kinder" in text.lower()
    assert f"Página 2 de {pages}" in text


def test_canaries_never_reach_the_report_card(sample_copy: str,
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    plant_canaries(sample_copy)
    out = tmp_path / "card.html"
    code, output = run(sample_copy, monkeypatch, "--year", "2024", "--out", str(out))
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    assert "42.4" not in html  # the provisional figure
    assert "Kindergarteners ready for school" in html
    assert "61.6% in School year 2023-24" not in html  # replaced by a provisional one
    assert "in School year 2022-23" in html  # the latest final figure instead
    assert UNPUBLISHED not in html and DRAFT not in html
    assert EMAIL not in html and "canary.person" not in html
    assert "Saved by the" in html  # the result team, not the person
    weight = [line for line in re.findall(r"<li>([^<]*)</li>", html)
              if line.startswith("Students with an unhealthy weight")]
    assert not any("Altadena" in line for line in weight)


def test_the_model_counts_and_credits_teams(sample_url: str) -> None:
    factory = open_database(sample_url)
    with session_scope(factory) as session:
        card = report_card_document(session=session, year=2024, lang="en")
        assert report_card_year(session=session) == 2024
    assert card.headline == sum(len(r.indicators) for r in card.results) == 23
    assert card.better == sum(r.better for r in card.results)
    first = card.results[0].indicators[0]
    assert first.story and first.story_source.startswith("Saved by the Early Childhood")


@pytest.mark.parametrize("year", ["2031", "1990"])
def test_a_year_without_figures_is_a_clear_message(sample_url: str, year: str,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    code, output = run(sample_url, monkeypatch, "--year", year, "--out",
                       str(tmp_path / "x.html"))
    assert code == 1
    assert f"No final figures for {year}. Report cards can be made for 2016 to" in output
    assert "Traceback" not in output
    assert not (tmp_path / "x.html").exists()


def test_out_must_be_html_or_pdf(sample_url: str, monkeypatch: pytest.MonkeyPatch,
                                 tmp_path: Path) -> None:
    code, output = run(sample_url, monkeypatch, "--year", "2024", "--out",
                       str(tmp_path / "card.docx"))
    assert code == 2 and "write FILE.html or FILE.pdf" in output


def test_routes_serve_the_report_card(sample_app: Dash) -> None:
    client = sample_app.server.test_client()
    page = client.get("/report-card/2024?lang=es")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Informe anual de resultados 2024" in page.get_data(as_text=True)
    pdf = client.get("/report-card/2024.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    for url in ("/report-card/2031", "/report-card/2031.pdf"):
        missing = client.get(url + "?lang=en")
        assert missing.status_code == 404 and missing.mimetype == "text/html"
        assert "No final figures for 2031" in missing.get_data(as_text=True)


def test_scorecard_links_to_the_latest_report_card(sample_app: Dash) -> None:
    with factories.page(sample_app, "home", "/?lang=es") as home:
        link = factories.by_id(home.layout(lang="es"), ids.REPORT_CARD_LINK)
    hrefs = [n.href for n in factories.walk(link) if getattr(n, "href", None)]
    assert hrefs == ["/report-card/2024?lang=es", "/report-card/2024.pdf?lang=es"]
    assert "Informe anual de resultados 2024" in factories.text(link)
