"""Problems found in an input file, each naming where it is and what was expected.

A problem keeps its place (file, sheet, row, column, value) and what is wrong as a
`Message`, so the CLI prints it in English and the dashboard in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from rba.messages import N_, Message


@dataclass(frozen=True)
class Problem:
    """One rejected cell or row: file, sheet, row (as the user sees it), column, value, detail.

    ``detail`` says what is wrong or what was expected; ``message`` is it in English.
    """

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    detail: Message

    @property
    def message(self) -> str:
        """What is wrong or was expected, in English."""
        return str(self.detail)

    def in_language(self, lang: object = None) -> str:
        """What is wrong or was expected, in a language (None: English)."""
        return self.detail.in_language(lang)

    def describe(self, lang: object = None) -> str:
        """The whole problem on one line, where first, in a language (None: English)."""
        where = [self.file]
        if self.sheet:
            where.append(Message(N_("sheet {sheet}"), sheet=self.sheet).in_language(lang))
        if self.row is not None:
            where.append(Message(N_("row {row}"), row=self.row).in_language(lang))
        if self.column:
            where.append(Message(N_("column {column}"), column=self.column).in_language(lang))
        shown = "" if self.value is None else " " + Message(
            N_("value {value!r}:"), value=self.value).in_language(lang)
        return f"{', '.join(where)}:{shown} {self.in_language(lang)}"

    def __str__(self) -> str:
        return self.describe()


class InputRejected(Exception):
    """The input had problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written.\n{lines}{more}")
