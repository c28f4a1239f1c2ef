"""Problems keep where they are and what is wrong apart, so each reader gets their language:
the CLI's English lines stay as they were, the dashboard writes the same problem in Spanish."""

from __future__ import annotations

import io
import pickle
from typing import Any

import openpyxl
import pytest
from factories import seed_store

from rba.i18n import render
from rba.ingest import InputRejected, Problem, plan_sheets
from rba.messages import N_, Message, joined
from rba.periods import PeriodError, parse_period
from rba.store import connect, session_scope
from rba.workbook.read import read_csv, read_xlsx

# Bad sheets for the store of factories.seed_store, with one problem of each kind.
BAD_SHEETS = {
    "observations": (
        "indicator,period,value,numerator,denominator,status,student_group,city\n"
        "grad_rate,2024-25,145,,,,,\n"            # 2 percent out of range
        "grad_ratx,2024-25,1,,,,,\n"             # 3 unknown code, with a suggestion
        "grad_rate,2024,50,,,,,\n"                # 4 a calendar year for a school year
        "grad_rate,2024-26,50,,,,,\n"             # 5 years that do not follow
        "grad_rate,2024-25,50,,,,,Glendale\n"     # 6 unknown group
        "grad_rate,2024-25,50,,,,Girls,\n"        # 7 undeclared dimension
        "grad_rate,2025-26,abc,,,,,\n"            # 8 not a number
        "grad_rate,2026-27,1,5,,,,\n"             # 9 numerator without denominator
        "grad_rate,2027-28,1,,5,,,\n"             # 10 denominator without numerator
        "grad_rate,2028-29,1,5,0,,,\n"            # 11 denominator not positive
        "grad_rate,2029-30,50,60,50,,,\n"         # 12 numerator > denominator, disagrees
        "grad_rate,2031-32,5,,,maybe,,\n"         # 13 not a choice
        "grad_rate,2032-33,\"1,5\",,,,,\n"        # 14 ambiguous number
        "grad_rate,2033-34,50,,,,,\n"
        "grad_rate,2033-34,51,,,,,\n"),           # 16 repeats row 15
    "indicators": (
        "code,result,name,unit,polarity,frequency,per,dimensions,published,min_n\n"
        "x1,R9,X,percent,up,year,,,yes,\n"        # unknown result
        "x2,R2,X,rate,up,year,,,yes,\n"           # a rate without per
        "x3,R2,X,percent,up,year,,bad name!,yes,\n"
        "x4,R2,X,percent,up,,,,maybe,1.5\n"),     # required, yes/no, whole number
    "results": "code,name,team,bogus\nR9,X,academics,1\n",
    "stories": "indicator,saved_at,story_behind_the_curve\ngrad_rate,2024-13-45,x\n",
}


def problems_of(url: str, sheet: str, text: str) -> list[Problem]:
    with session_scope(connect(url)) as session:
        plan = plan_sheets(session, [read_csv(text.encode(), f"{sheet}.csv", sheet)],
                           file=f"{sheet}.csv")
        session.rollback()
    return plan.problems


def rejected(read: Any) -> list[Problem]:
    with pytest.raises(InputRejected) as caught:
        read()
    return caught.value.problems


@pytest.fixture
def seeded_url(sqlite_url: str) -> str:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    return sqlite_url


@pytest.fixture
def every_kind(seeded_url: str) -> list[Problem]:
    """One or more problems of each kind an import finds, from cells to whole files."""
    found = [p for sheet, text in BAD_SHEETS.items()
             for p in problems_of(seeded_url, sheet, text)]
    found += rejected(lambda: read_csv(b"indicator,period,,period\nx,1,2,3,4\n",
                                       "observations.csv", "observations"))
    found += rejected(lambda: read_xlsx(b"not a zip", "book.xlsx"))
    book = openpyxl.Workbook()
    book.active.title = "observationz"
    data = io.BytesIO()
    book.save(data)
    found += rejected(lambda: read_xlsx(data.getvalue(), "book.xlsx"))
    found += rejected(lambda: read_xlsx(data.getvalue(), "book.xlsx", only="nosuch"))
    return found


def test_every_kind_of_problem_is_written_in_spanish(every_kind: list[Problem]) -> None:
    english = [p for p in every_kind if render(p.detail, "es") == p.message]
    assert english == [], "problems with no Spanish: " + "; ".join(map(str, english))
    assert len({p.detail.template for p in every_kind}) >= 25  # the kinds really vary


def test_english_lines_are_what_the_cli_always_printed(seeded_url: str) -> None:
    lines = [str(p) for p in problems_of(seeded_url, "observations",
                                         BAD_SHEETS["observations"])]
    assert ("observations.csv, sheet observations, row 2, column value: value '145': a percent "
            "lies between 0 and 100") in lines
    assert ("observations.csv, sheet observations, row 3, column indicator: value 'grad_ratx': "
            "unknown indicator code (did you mean 'grad_rate'?)") in lines
    assert ("observations.csv, sheet observations, row 4, column period: value '2024': '2024' "
            "is not a school year: expected a form like 2023-24; it reads as the calendar year "
            "2024 (2024-01-01 to 2024-12-31)") in lines
    assert ("observations.csv, sheet observations, row 16, column indicator: value "
            "'grad_rate': repeats row 15 (same indicator, period and groups)") in lines


@pytest.mark.parametrize(("sheet", "row", "column", "spanish"), [
    ("observations", 2, "value", "un porcentaje debe estar entre 0 y 100"),
    ("observations", 3, "indicator",
     "código de indicador desconocido (¿quiso decir 'grad_rate'?)"),
    ("observations", 4, "period",
     "'2024' no es un año escolar: se esperaba una forma como 2023-24; se lee como el año "
     "calendario 2024 (del 2024-01-01 al 2024-12-31)"),
    ("observations", 5, "period", "'2024-26' no es un año escolar: el segundo año debe ser el "
                                  "siguiente al primero, como en 2023-24"),
    ("observations", 6, "city", "grupo de city desconocido; se esperaba uno de estos: "),
    ("observations", 8, "value", "se esperaba un número como 1234, 1,234.5 o 45%"),
    ("observations", 12, "value", "no coincide con numerador / denominador, que da 120"),
    ("observations", 16, "indicator",
     "repite la fila 15 (mismo indicator, mismo período y mismos grupos)"),
    ("indicators", 2, "result",
     "resultado desconocido 'R9': agréguelo en la hoja results"),
    ("indicators", 3, "per", "una tasa necesita per"),
    ("indicators", 5, "frequency", "frequency es un dato obligatorio"),
])
def test_a_problem_in_spanish_keeps_its_place_and_values(
        seeded_url: str, sheet: str, row: int, column: str, spanish: str) -> None:
    found = [p for p in problems_of(seeded_url, sheet, BAD_SHEETS[sheet])
             if (p.row, p.column) == (row, column)]
    assert any(render(p.detail, "es").startswith(spanish) for p in found), [
        render(p.detail, "es") for p in found]
    problem = next(p for p in found if render(p.detail, "es").startswith(spanish))
    assert render(problem.description, "es").startswith(
        f"{sheet}.csv, hoja {sheet}, fila {row}, columna {column}: valor ")


def test_a_period_error_carries_its_message_for_any_language() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("2024-Q5", "quarter")
    assert str(caught.value) == "'2024-Q5' is not a quarter: quarters run from Q1 to Q4"
    assert render(caught.value.detail, "es") == (
        "'2024-Q5' no es un trimestre: los trimestres van de Q1 a Q4")


def test_a_message_fills_in_nested_messages_in_the_same_language() -> None:
    kind = Message(N_("school year"))
    message = Message(N_("{value} is not a {kind}: {reason}"), value="'x'", kind=kind,
                      reason=Message(N_("expected a form like {example}"), example="2023-24"))
    assert str(message) == "'x' is not a school year: expected a form like 2023-24"
    assert render(message, "es") == (
        "'x' no es un año escolar: se esperaba una forma como 2023-24")
    assert render(message, "fr") == str(message)
    assert pickle.loads(pickle.dumps(message)) == message
    assert render(Message("{not a template}"), "es") == "{not a template}"


def test_a_sheet_wide_problem_in_each_language() -> None:
    problem = Problem("entry grid", "observations", None, None, None,
                      Message(N_("blank column header")))
    assert str(problem) == "entry grid, sheet observations: blank column header"
    assert render(problem.description, "es") == (
        "entry grid, hoja observations: encabezado de columna en blanco")


def test_a_problem_in_a_grid_or_a_form_names_its_place_in_each_language() -> None:
    problem = Problem(Message(N_("entry grid")), "observations", 3, "value", "145",
                      Message(N_("a percent lies between 0 and 100")))
    assert str(problem) == ("entry grid, sheet observations, row 3, column value: value '145': "
                            "a percent lies between 0 and 100")
    assert render(problem.description, "es") == (
        "tabla de ingreso, hoja observations, fila 3, columna value: valor '145': un "
        "porcentaje debe estar entre 0 y 100")
    assert str(problem.in_column) == "value: a percent lies between 0 and 100"
    assert render(problem.in_column, "es") == "valor: un porcentaje debe estar entre 0 y 100"
    grouped = Problem("f.csv", "", None, "city", None, Message(N_("repeated column header")))
    assert render(grouped.in_column, "es") == "city: encabezado de columna repetido"


@pytest.mark.parametrize(("parts", "english", "spanish"), [
    (["a"], "a", "a"),
    (["a", "b"], "a or b", "a o b"),
    (["a", Message(N_("month")), "c"], "a or month or c", "a o mes o c"),
])
def test_joined_lists_in_each_language(parts: list, english: str, spanish: str) -> None:
    either = joined(N_("{first} or {rest}"), parts)
    assert render(either) == english and render(either, "es") == spanish


def test_a_message_is_a_value_that_imports_nothing_of_rba() -> None:
    """rba.messages sits below everything (rba.periods uses it, rba.i18n renders it), so it
    may not import rba, not even inside a function: that would close a cycle."""
    import ast
    from pathlib import Path

    import rba.messages

    tree = ast.parse(Path(rba.messages.__file__).read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [m for m in imported if m and m.split(".")[0] == "rba"] == []
