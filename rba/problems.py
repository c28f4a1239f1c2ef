"""Problems found in an input file, each naming where it is and what was expected.

A problem keeps its place (file, sheet, row, column, value) and what is wrong as a
`Message`, so the CLI prints it in English and the dashboard in the reader's language
(``rba.i18n.render(problem.description, lang)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rba.messages import N_, Message, joined

#: How a message names a sheet's column in the reader's words (other columns keep their name,
#: such as a dimension's); in English, each is the column's name.
COLUMN_WORDS = {"value": N_("value"), "numerator": N_("numerator"),
                "denominator": N_("denominator"), "status": N_("status"), "note": N_("note"),
                "period": N_("period"), "indicator": N_("indicator"), "measure": N_("measure"),
                "rationale": N_("rationale")}


def column_words(column: str) -> str | Message:
    """A column's name as a message names it: in the reader's words when it has some."""
    words = COLUMN_WORDS.get(column)
    return column if words is None else Message(words)


@dataclass(frozen=True)
class Problem:
    """One rejected cell or row: file, sheet, row (as the user sees it), column, value, detail.

    ``detail`` says what is wrong or what was expected; ``message`` is it in English.
    ``file`` is a file's name, or a Message naming what stands for one (an entry grid).
    """

    file: str | Message
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    detail: Message

    @property
    def message(self) -> str:
        """What is wrong or was expected, in English."""
        return str(self.detail)

    @property
    def description(self) -> Message:
        """The whole problem on one line, where first ("file, sheet s, row 3, column c: ...")."""
        where: list[object] = [self.file]
        if self.sheet:
            where.append(Message(N_("sheet {sheet}"), sheet=self.sheet))
        if self.row is not None:
            where.append(Message(N_("row {row}"), row=self.row))
        if self.column:
            where.append(Message(N_("column {column}"), column=self.column))
        place = joined(N_("{first}, {rest}"), where)
        if self.value is None:
            return Message(N_("{place}: {detail}"), place=place, detail=self.detail)
        return Message(N_("{place}: {value} {detail}"), place=place, detail=self.detail,
                       value=Message(N_("value {value!r}:"), value=self.value))

    @property
    def in_column(self) -> Message:
        """What is wrong after the column it is in ("value: ..."), as a form or a grid row
        says it, where the row is plain."""
        if not self.column:
            return self.detail
        return Message(N_("{column}: {detail}"), column=column_words(self.column),
                       detail=self.detail)

    def __str__(self) -> str:
        return str(self.description)


class InputRejected(Exception):
    """The input had problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written.\n{lines}{more}")
