"""Messages for people, kept as an English template and its values until someone reads them.

The library says what is wrong (an import problem, a bad period) without knowing who will
read it: the CLI prints English, the dashboard writes the same message in the reader's
language. A `Message` is the template, marked with ``N_`` so the extractor puts it in the
gettext catalogue, and the values to fill in; values may be Messages themselves (a period's
kind, a reason), written in the same language.

A Message is a plain value: ``str(message)`` is its English text, and
``rba.i18n.render(message, lang)`` writes it in a language. This module imports nothing from
the rest of rba (rba.periods uses it, and rba.i18n imports rba.periods).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import overload


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker)
    """Mark a string for translation without translating it yet (it is translated later)."""
    return message


def _same(template: str) -> str:
    """A template as it is: English."""
    return template


class Message:
    """Words for a person: an English template (marked with ``N_``) and the values it names.

    ``str(message)`` is the English text; ``rba.i18n.render(message, "es")`` the Spanish. A
    message without values is written as its template, braces and all.
    """

    __slots__ = ("template", "values")
    template: str
    values: tuple[tuple[str, object], ...]

    def __init__(self, template: str, /, **values: object) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "values", tuple(values.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Message cannot be changed")

    def filled(self, translate: Callable[[str], str] = _same) -> str:
        """The template with its values filled in, each template (its own and those of the
        Messages among its values) first passed through `translate` (default: English)."""
        text = translate(self.template)
        if not self.values:
            return text
        return text.format(**{name: value.filled(translate) if isinstance(value, Message)
                              else value for name, value in self.values})

    def __str__(self) -> str:
        return self.filled()

    def __repr__(self) -> str:
        values = "".join(f", {name}={value!r}" for name, value in self.values)
        return f"Message({self.template!r}{values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.template, self.values) == (other.template, other.values)

    def __hash__(self) -> int:
        return hash((self.template, self.values))

    def __reduce__(self) -> tuple[Callable[..., Message], tuple[str, dict[str, object]]]:
        return _rebuilt, (self.template, dict(self.values))


@overload
def joined(template: str, parts: Sequence[Message]) -> Message: ...


@overload
def joined(template: str, parts: Sequence[object]) -> object: ...


def joined(template: str, parts: Sequence[object]) -> object:
    """The parts joined two at a time by a template with ``{first}`` and ``{rest}``.

    ``joined(N_("{first} or {rest}"), [a, b, c])`` is written "a or b or c" in English and
    with the language's own word ("a o b o c") in another; a single part is itself.
    """
    if not parts:
        raise ValueError("nothing to join")
    *head, text = parts
    for part in reversed(head):
        text = Message(template, first=part, rest=text)
    return text


def _rebuilt(template: str, values: dict[str, object]) -> Message:
    """A message from its parts (for pickle and copy)."""
    return Message(template, **values)
