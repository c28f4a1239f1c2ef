"""How a simulated number is written into a cell, so every value agrees with its own ratio."""

from __future__ import annotations

from fractions import Fraction


def ratio_cell(num: int, den: int, scale: int) -> str | None:
    """num / den * scale to one decimal; None on an exact rounding tie, which readers round
    differently (so the file would disagree with itself)."""
    exact = Fraction(num * scale, den)
    tenths = exact * 10
    floor = tenths.numerator // tenths.denominator
    if tenths - floor == Fraction(1, 2):
        return None
    rounded = floor + (1 if tenths - floor > Fraction(1, 2) else 0)
    return tenths_text(rounded)


def tenths_text(n: int) -> str:
    """A whole number of tenths as text with one decimal: 125 -> "12.5"."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 10}.{n % 10}"


def ratio_row(num: int, den: int, scale: int) -> tuple[int, int, str]:
    """Numerator, denominator and value, the denominator nudged up until the value is no tie."""
    while True:
        cell = ratio_cell(num, den, scale)
        if cell is not None:
            return num, den, cell
        den += 1


def number_text(x: float, decimals: int) -> str:
    """A plain value (a score, an amount) with the given number of decimals."""
    if decimals == 0:
        return str(int(round(x)))
    return f"{x:.{decimals}f}"
