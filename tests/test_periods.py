"""Parsing, ordering and vectorised conversion of reporting periods."""

from __future__ import annotations

import datetime as dt
import enum
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rba.i18n import render
from rba.periods import (
    ACCEPTED_FORMS,
    FREQUENCIES,
    PERIODS_PER_YEAR,
    Period,
    PeriodError,
    detect_frequency,
    labels_from_ordinals,
    next_period,
    parse_period,
    period_end_dates,
    period_from_ordinal,
    period_ordinals,
    period_range,
)

D = dt.date
CANONICAL = {"year": "2024", "school_year": "2023-24", "fiscal_year": "FY2024",
             "quarter": "2024-Q3", "month": "2024-03"}
NAMES = {"year": "calendar year", "school_year": "school year", "fiscal_year": "fiscal year",
         "quarter": "quarter", "month": "month"}

VALID = [
    # text, frequency, canonical label, ordinal, start, end
    ("2024", "year", "2024", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    ("  2024\t", "year", "2024", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    (2024, "year", "2024", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    (2024.0, "year", "2024", 2024, D(2024, 1, 1), D(2024, 12, 31)),
    (np.int64(1999), "year", "1999", 1999, D(1999, 1, 1), D(1999, 12, 31)),
    (np.float64(2001.0), "year", "2001", 2001, D(2001, 1, 1), D(2001, 12, 31)),
    ("2023-24", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    ("2023-2024", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    ("2023/24", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    ("2023/2024", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    ("2023\u201324", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    (" 2023 - 24 ", "school_year", "2023-24", 2023, D(2023, 7, 1), D(2024, 6, 30)),
    ("1999-00", "school_year", "1999-00", 1999, D(1999, 7, 1), D(2000, 6, 30)),
    ("1999-2000", "school_year", "1999-00", 1999, D(1999, 7, 1), D(2000, 6, 30)),
    ("FY2024", "fiscal_year", "FY2024", 2024, D(2023, 7, 1), D(2024, 6, 30)),
    ("fy2024", "fiscal_year", "FY2024", 2024, D(2023, 7, 1), D(2024, 6, 30)),
    ("FY 2024", "fiscal_year", "FY2024", 2024, D(2023, 7, 1), D(2024, 6, 30)),
    (" Fy 2024 ", "fiscal_year", "FY2024", 2024, D(2023, 7, 1), D(2024, 6, 30)),
    ("2024-Q3", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("2024Q3", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("2024 Q3", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("Q3 2024", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("2024-q3", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("q3 2024", "quarter", "2024-Q3", 8098, D(2024, 7, 1), D(2024, 9, 30)),
    ("2024-Q1", "quarter", "2024-Q1", 8096, D(2024, 1, 1), D(2024, 3, 31)),
    ("2024-Q4", "quarter", "2024-Q4", 8099, D(2024, 10, 1), D(2024, 12, 31)),
    ("2024-03", "month", "2024-03", 24290, D(2024, 3, 1), D(2024, 3, 31)),
    (" 2024-03 ", "month", "2024-03", 24290, D(2024, 3, 1), D(2024, 3, 31)),
    ("2024-02", "month", "2024-02", 24289, D(2024, 2, 1), D(2024, 2, 29)),
    ("2023-02", "month", "2023-02", 24277, D(2023, 2, 1), D(2023, 2, 28)),
    ("2024-12", "month", "2024-12", 24299, D(2024, 12, 1), D(2024, 12, 31)),
]


@pytest.mark.parametrize(("text", "frequency", "label", "ordinal", "start", "end"), VALID)
def test_valid_text_reads_as_its_canonical_period(text, frequency, label, ordinal, start, end):
    period = parse_period(text)
    assert (period.frequency, period.label, period.ordinal) == (frequency, label, ordinal)
    assert (period.start, period.end) == (start, end)
    assert str(period) == label
    assert detect_frequency(text) == frequency


@pytest.mark.parametrize(("text", "frequency", "label", "ordinal", "start", "end"), VALID)
def test_valid_text_reads_the_same_with_its_frequency_given(
    text, frequency, label, ordinal, start, end
):
    assert parse_period(text, frequency) == parse_period(text)


def test_a_frequency_enum_member_works_like_its_string():
    class Frequency(enum.StrEnum):
        quarter = "quarter"

    period = parse_period("2024Q3", Frequency.quarter)
    assert period == parse_period("2024-Q3")
    assert type(period.frequency) is str


@pytest.mark.parametrize("text", ["2011-12", "2000-01", "2005-06", "2011\u201312", " 2011-12 "])
def test_school_year_that_is_also_a_month_needs_a_frequency(text):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert repr(text) in message
    assert "ambiguous" in message
    assert "school year" in message and "month" in message
    assert "frequency" in message
    with pytest.raises(PeriodError):
        detect_frequency(text)


def test_ambiguous_text_is_read_as_the_frequency_given():
    school_year = parse_period("2011-12", "school_year")
    month = parse_period("2011-12", "month")
    assert (school_year.start, school_year.end) == (D(2011, 7, 1), D(2012, 6, 30))
    assert (month.start, month.end) == (D(2011, 12, 1), D(2011, 12, 31))


# Years whose school year, such as 2011-12, is written like a month.
MONTHLIKE = [y for y in range(1990, 2110) if 1 <= (y + 1) % 100 <= 12]


@pytest.mark.parametrize("year", MONTHLIKE)
def test_school_years_ending_in_01_to_12_are_ambiguous(year):
    with pytest.raises(PeriodError, match="ambiguous"):
        parse_period(f"{year}-{(year + 1) % 100:02d}")


@pytest.mark.parametrize("year", sorted(set(range(1990, 2110)) - set(MONTHLIKE)))
def test_other_school_years_are_not_ambiguous(year):
    assert parse_period(f"{year}-{(year + 1) % 100:02d}").frequency == "school_year"


INVALID = [
    "hello", "", "   ", "24", "20245", "2024-3", "2024-003", "3024", "0999", "2024.5",
    "2024-03-01", "2024-W05", "Q5 2024", "2024-Q0", "FY24", "FY 24", "FY20245", "2024-13",
    "2024-00", "2023-25", "2023-2025", "2023/25", "H1 2024", "2024 2025",
    2024.5, True, None, float("nan"), 12,
]


@pytest.mark.parametrize("value", INVALID)
def test_invalid_value_is_rejected_quoting_it_and_listing_accepted_forms(value):
    with pytest.raises(PeriodError) as caught:
        parse_period(value)
    message = str(caught.value)
    quoted = repr(value if isinstance(value, str) else str(value))
    assert message.startswith(quoted)
    assert ACCEPTED_FORMS in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-25", "not a school year: the second year must follow the first, as in 2023-24"),
        ("2023-2025", "not a school year: the second year must follow the first"),
        ("2024-13", "not a month: months run from 01 to 12"),
        ("2024-00", "not a month: months run from 01 to 12"),
        ("2024-Q5", "not a quarter: quarters run from Q1 to Q4"),
        ("Q0 2024", "not a quarter: quarters run from Q1 to Q4"),
        ("FY24", "not a fiscal year: write the four-digit year it ends in, as in FY2024"),
    ],
)
def test_text_of_a_period_shape_says_what_is_wrong(text, reason):
    with pytest.raises(PeriodError, match=reason):
        parse_period(text)


def test_a_school_year_whose_years_do_not_follow_is_explained_first():
    with pytest.raises(PeriodError) as caught:
        parse_period("2023-25")
    assert str(caught.value).startswith(
        "'2023-25' is not a school year: the second year must follow the first, as in 2023-24"
    )


def test_text_not_fitting_the_frequency_names_the_frequency_and_its_form():
    with pytest.raises(PeriodError) as caught:
        parse_period("2024-Q3", "school_year")
    assert str(caught.value).startswith(
        "'2024-Q3' is not a school year: expected a form like 2023-24"
    )
    assert "it reads as the quarter 2024-Q3" in str(caught.value)


@pytest.mark.parametrize(("frequency", "other"), list(itertools.permutations(FREQUENCIES, 2)))
def test_canonical_label_of_one_frequency_is_rejected_as_another(frequency, other):
    with pytest.raises(PeriodError) as caught:
        parse_period(CANONICAL[other], frequency)
    message = str(caught.value)
    assert message.startswith(f"'{CANONICAL[other]}' is not a {NAMES[frequency]}: ")
    assert f"it reads as the {NAMES[other]} {CANONICAL[other]}" in message


@pytest.mark.parametrize("frequency", ["weekly", "Quarter", ""])
def test_unknown_frequency_is_rejected_listing_the_known_ones(frequency):
    with pytest.raises(PeriodError, match="unknown frequency") as caught:
        parse_period("2024", frequency)
    assert all(known in str(caught.value) for known in FREQUENCIES)


@pytest.mark.parametrize(
    ("label", "years_per_step", "mid_year"),
    [
        ("2024", 1.0, 2024.5),
        ("2023-24", 1.0, 2024.0),
        ("FY2024", 1.0, 2024.0),
        ("2024-Q1", 0.25, 2024.125),
        ("2024-Q3", 0.25, 2024.625),
        ("2024-03", 1 / 12, 2024 + 2.5 / 12),
        ("2024-12", 1 / 12, 2024 + 11.5 / 12),
    ],
)
def test_length_and_middle_of_a_period_in_years(label, years_per_step, mid_year):
    period = parse_period(label)
    assert period.years_per_step == pytest.approx(years_per_step)
    assert period.mid_year == pytest.approx(mid_year)


@pytest.mark.parametrize(
    ("label", "english", "spanish"),
    [
        ("2024", "2024", "2024"),
        ("2023-24", "School year 2023-24", "Año escolar 2023-24"),
        ("FY2024", "FY 2024", "Año fiscal 2024"),
        ("2024-Q3", "Q3 2024", "T3 2024"),
        ("2024-Q1", "Q1 2024", "T1 2024"),
        ("2024-03", "March 2024", "marzo 2024"),
        ("2024-01", "January 2024", "enero 2024"),
        ("2024-09", "September 2024", "septiembre 2024"),
        ("2024-12", "December 2024", "diciembre 2024"),
    ],
)
def test_display_in_english_and_spanish(label, english, spanish):
    period = parse_period(label)
    assert period.display() == period.display("en") == english
    assert period.display("es") == spanish


def test_display_in_an_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="'fr'"):
        parse_period("2024").display("fr")


@pytest.mark.parametrize(
    ("earlier", "later", "gap"),
    [
        ("2019-Q4", "2020-Q2", 2),
        ("2023-24", "2025-26", 2),
        ("2023-12", "2024-01", 1),
        ("FY2019", "FY2024", 5),
        ("2020", "2024", 4),
        ("2024Q1", "Q1 2025", 4),
    ],
)
def test_periods_of_one_frequency_order_by_ordinal(earlier, later, gap):
    first, second = parse_period(earlier), parse_period(later)
    assert second.ordinal - first.ordinal == gap
    assert first < second and first <= second and second > first and second >= first
    assert not (first > second or first >= second or second < first or second <= first)
    assert sorted([second, first]) == [first, second]
    assert max(first, second) == second


def test_the_same_period_written_differently_is_equal_and_hashes_equal():
    written = ["2024-Q3", "2024Q3", "q3 2024", " 2024 Q3"]
    periods = {parse_period(text) for text in written}
    assert len(periods) == 1
    [period] = periods
    assert period <= parse_period("2024-Q3") and period >= parse_period("2024-Q3")


@pytest.mark.parametrize(("a", "b"), [("2024", "FY2024"), ("2024-Q1", "2024-01"),
                                      ("2023-24", "FY2024")])
def test_periods_of_different_frequencies_do_not_compare(a, b):
    first, second = parse_period(a), parse_period(b)
    assert first != second
    for compare in (
        lambda: first < second, lambda: first <= second,
        lambda: first > second, lambda: first >= second,
    ):
        with pytest.raises(TypeError):
            compare()
    with pytest.raises(TypeError):
        sorted([first, second])


def test_period_does_not_compare_with_plain_values():
    with pytest.raises(TypeError):
        _ = parse_period("2024") < 2025  # type: ignore[operator]


def test_period_built_directly_must_have_a_matching_label():
    assert Period("quarter", "2024-Q3", 8098) == parse_period("2024-Q3")
    with pytest.raises(PeriodError, match="not the label"):
        Period("quarter", "2024-Q3", 8099)
    with pytest.raises(PeriodError, match="unknown frequency"):
        Period("week", "2024-W01", 1)


@pytest.mark.parametrize(
    ("frequency", "ordinal", "label"),
    [
        ("year", 2024, "2024"),
        ("school_year", 2023, "2023-24"),
        ("school_year", 1999, "1999-00"),
        ("fiscal_year", 2024, "FY2024"),
        ("quarter", 2024 * 4, "2024-Q1"),
        ("quarter", 2024 * 4 + 3, "2024-Q4"),
        ("month", 2024 * 12, "2024-01"),
        ("month", 2024 * 12 + 11, "2024-12"),
        ("month", np.int64(2024 * 12 + 2), "2024-03"),
    ],
)
def test_period_from_ordinal(frequency, ordinal, label):
    period = period_from_ordinal(frequency, ordinal)
    assert period.label == label
    assert period == parse_period(label, frequency)


@pytest.mark.parametrize(
    ("frequency", "ordinal", "match"),
    [
        ("year", 2024.0, "whole-number"),
        ("year", "2024", "whole-number"),
        ("year", True, "whole-number"),
        ("year", 999, "outside the years"),
        ("year", 3000, "outside the years"),
        ("month", 3000 * 12, "outside the years"),
        ("quarter", -1, "outside the years"),
    ],
)
def test_period_from_an_unusable_ordinal_is_rejected(frequency, ordinal, match):
    with pytest.raises(PeriodError, match=match):
        period_from_ordinal(frequency, ordinal)


@pytest.mark.parametrize(
    ("label", "frequency", "steps", "expected"),
    [
        ("2024-Q4", "quarter", 1, "2025-Q1"),
        ("2024-Q1", "quarter", -1, "2023-Q4"),
        ("2024-01", "month", -1, "2023-12"),
        ("2024-11", "month", 3, "2025-02"),
        ("2023-24", "school_year", 2, "2025-26"),
        ("1998-99", "school_year", 1, "1999-00"),
        ("2010-11", "school_year", 1, "2011-12"),
        ("FY2024", "fiscal_year", 1, "FY2025"),
        ("2024", "year", 0, "2024"),
    ],
)
def test_next_period(label, frequency, steps, expected):
    following = next_period(parse_period(label, frequency), steps)
    assert (following.frequency, following.label) == (frequency, expected)


def test_next_period_defaults_to_one_step():
    assert next_period(parse_period("2024-12")).label == "2025-01"


def test_period_range_is_inclusive():
    labels = [p.label for p in period_range(parse_period("2019-Q4"), parse_period("2020-Q2"))]
    assert labels == ["2019-Q4", "2020-Q1", "2020-Q2"]
    one = parse_period("2023-24")
    assert period_range(one, one) == [one]


def test_period_range_backwards_is_empty():
    assert period_range(parse_period("2024"), parse_period("2020")) == []


def test_period_range_across_frequencies_is_rejected():
    with pytest.raises(TypeError):
        period_range(parse_period("2024"), parse_period("FY2025"))


def test_constants():
    assert FREQUENCIES == ("year", "school_year", "fiscal_year", "quarter", "month")
    assert PERIODS_PER_YEAR == {"year": 1, "school_year": 1, "fiscal_year": 1,
                                "quarter": 4, "month": 12}


# Vectorised helpers


def test_period_ordinals_agree_with_parse_period_and_keep_index_and_name():
    labels = pd.Series(["2024-Q1", "2024Q2", " q3 2024", "2024-Q1"], index=[10, 20, 30, 40],
                       name="period")
    ordinals = period_ordinals(labels, "quarter")
    assert ordinals.tolist() == [parse_period(text).ordinal for text in labels]
    assert ordinals.index.tolist() == [10, 20, 30, 40]
    assert ordinals.name == "period"
    assert ordinals.dtype == np.int64


def test_period_ordinals_with_a_frequency_per_row():
    labels = pd.Series(["2024", "2011-12", "2011-12", "FY2020", 2024.0])
    frequency = pd.Series(["year", "month", "school_year", "fiscal_year", "year"])
    assert period_ordinals(labels, frequency).tolist() == [2024, 2011 * 12 + 11, 2011, 2020, 2024]


def test_period_ordinals_names_the_first_bad_label_and_its_row():
    labels = pd.Series(["2024-Q1", "2024-Q9", "nonsense", "2024-Q9"], index=["a", "b", "c", "d"])
    with pytest.raises(PeriodError) as caught:
        period_ordinals(labels, "quarter")
    message = str(caught.value)
    assert "'2024-Q9'" in message and "quarters run from Q1 to Q4" in message
    assert "row 'b'" in message
    assert "nonsense" not in message


def test_period_ordinals_rejects_a_blank_label():
    with pytest.raises(PeriodError, match="row 1"):
        period_ordinals(pd.Series(["2024", None]), "year")


def test_period_ordinals_rejects_an_unknown_frequency_in_a_row():
    with pytest.raises(PeriodError, match="unknown frequency 'weekly'"):
        period_ordinals(pd.Series(["2024", "2025"]), pd.Series(["year", "weekly"]))


def test_period_ordinals_rejects_frequencies_of_another_length():
    with pytest.raises(ValueError, match="2 values but 1 frequencies"):
        period_ordinals(pd.Series(["2024", "2025"]), pd.Series(["year"]))


def test_vectorised_helpers_accept_empty_series():
    assert period_ordinals(pd.Series([], dtype=object), "year").empty
    assert labels_from_ordinals(pd.Series([], dtype=np.int64), "year").empty
    assert period_end_dates(pd.Series([], dtype=object), "year").empty


def test_labels_from_ordinals_are_canonical():
    ordinals = pd.Series([8098, 8096, 8098], index=[5, 6, 7], name="q")
    labels = labels_from_ordinals(ordinals, "quarter")
    assert labels.tolist() == ["2024-Q3", "2024-Q1", "2024-Q3"]
    assert labels.index.tolist() == [5, 6, 7] and labels.name == "q"


def test_labels_from_ordinals_with_a_frequency_per_row():
    ordinals = pd.Series([2011, 2011 * 12 + 11, 2024])
    frequency = pd.Series(["school_year", "month", "fiscal_year"])
    assert labels_from_ordinals(ordinals, frequency).tolist() == ["2011-12", "2011-12", "FY2024"]


def test_labels_from_ordinals_names_the_bad_ordinal():
    with pytest.raises(PeriodError, match="ordinal 99999 .*row 1"):
        labels_from_ordinals(pd.Series([2024, 99999]), "year")


def test_period_end_dates_agree_with_period_end():
    labels = pd.Series(["2024-02", "2023-02", "FY2024", "2023-24", "2024-Q4"], name="p")
    frequency = pd.Series(["month", "month", "fiscal_year", "school_year", "quarter"])
    ends = period_end_dates(labels, frequency)
    assert pd.api.types.is_datetime64_dtype(ends)
    assert ends.name == "p"
    expected = [parse_period(text, f).end for text, f in zip(labels, frequency, strict=True)]
    assert [stamp.date() for stamp in ends] == expected


# Properties

FREQUENCY = st.sampled_from(FREQUENCIES)


@st.composite
def plausible_periods(draw: st.DrawFn) -> Period:
    """A period of any frequency whose year is between 1900 and 2100."""
    frequency = draw(FREQUENCY)
    per_year = PERIODS_PER_YEAR[frequency]
    ordinal = draw(st.integers(1900 * per_year, 2101 * per_year - 1))
    return period_from_ordinal(frequency, ordinal)


@given(plausible_periods())
def test_ordinal_to_label_to_ordinal_round_trips(period):
    parsed = parse_period(period.label, period.frequency)
    assert parsed == period
    assert period_from_ordinal(period.frequency, parsed.ordinal).label == period.label


@given(plausible_periods())
def test_canonical_label_reads_back_alone_unless_ambiguous(period):
    try:
        assert parse_period(period.label) == period
    except PeriodError as error:
        assert "ambiguous" in str(error)
        assert period.frequency in ("school_year", "month")


@given(plausible_periods(), st.integers(-50, 50))
def test_periods_tile_the_calendar(period, steps):
    following = next_period(period)
    assert following.start == period.end + dt.timedelta(days=1)
    assert following.mid_year - period.mid_year == pytest.approx(period.years_per_step)
    assert period.start <= period.end
    assert next_period(period, steps).ordinal - period.ordinal == steps


@given(st.integers(1900, 2100), st.integers(1, 4), st.sampled_from(
    ["{y}-Q{q}", "{y}Q{q}", "{y} Q{q}", "Q{q} {y}", "{y}-q{q}", "q{q} {y}", " {y}Q{q} "]
))
def test_every_quarter_spelling_reads_as_the_canonical_quarter(year, quarter, form):
    period = parse_period(form.format(y=year, q=quarter))
    assert period.label == f"{year}-Q{quarter}"
    assert period_from_ordinal("quarter", period.ordinal).label == period.label


@given(st.lists(plausible_periods(), min_size=1, max_size=30))
def test_vectorised_helpers_agree_with_scalar_parse(periods):
    labels = pd.Series([p.label for p in periods])
    frequency = pd.Series([p.frequency for p in periods])
    ordinals = period_ordinals(labels, frequency)
    assert ordinals.tolist() == [p.ordinal for p in periods]
    assert labels_from_ordinals(ordinals, frequency).tolist() == labels.tolist()
    ends = period_end_dates(labels, frequency)
    assert [stamp.date() for stamp in ends] == [p.end for p in periods]


ACCEPTED_ES = ("2024 (año calendario), 2023-24 (año escolar), FY2024 (año fiscal), "
               "2024-Q3 o 2024Q3 (trimestre), 2024-03 (mes)")


@pytest.mark.parametrize(("read", "english", "spanish"), [
    (lambda: parse_period("2011-12"),
     "'2011-12' is ambiguous: it could be the school year 2011-12 (2011-07-01 to 2012-06-30) "
     "or the month 2011-12 (2011-12-01 to 2011-12-31); give the frequency (school_year or "
     "month) to say which",
     "'2011-12' es ambiguo: podría ser el año escolar 2011-12 (del 2011-07-01 al 2012-06-30) "
     "o el mes 2011-12 (del 2011-12-01 al 2011-12-31); indique la frecuencia (school_year o "
     "month) para saber cuál"),
    (lambda: parse_period("hello"),
     f"'hello' is not a period; accepted forms are {ACCEPTED_FORMS}",
     f"'hello' no es un período; las formas aceptadas son {ACCEPTED_ES}"),
    (lambda: parse_period("2024-13"),
     "'2024-13' is not a school year: the second year must follow the first, as in 2023-24; "
     f"not a month: months run from 01 to 12; accepted forms are {ACCEPTED_FORMS}",
     "'2024-13' no es un año escolar: el segundo año debe ser el siguiente al primero, como "
     "en 2023-24; no es un mes: los meses van de 01 a 12; las formas aceptadas son "
     f"{ACCEPTED_ES}"),
    (lambda: parse_period("2024", "weekly"),
     "unknown frequency 'weekly': expected one of year, school_year, fiscal_year, quarter, "
     "month",
     "frecuencia desconocida 'weekly': se esperaba una de estas: year, school_year, "
     "fiscal_year, quarter, month"),
    (lambda: period_ordinals(pd.Series(["2023-24", "2024", "2024"], index=[5, 7, 9]),
                             "school_year"),
     "'2024' is not a school year: expected a form like 2023-24; it reads as the calendar "
     "year 2024 (2024-01-01 to 2024-12-31) (first at row 7)",
     "'2024' no es un año escolar: se esperaba una forma como 2023-24; se lee como el año "
     "calendario 2024 (del 2024-01-01 al 2024-12-31) (primera aparición en la fila 7)"),
])
def test_period_errors_read_in_english_and_in_spanish(read, english, spanish):
    """The English text is unchanged (the CLI prints it); the detail is also written in
    Spanish, for a page."""
    with pytest.raises(PeriodError) as caught:
        read()
    assert str(caught.value) == english.replace("row 7", f"row {np.int64(7)!r}")
    assert render(caught.value.detail, "es") == spanish.replace(
        "fila 7", f"fila {np.int64(7)!r}")
