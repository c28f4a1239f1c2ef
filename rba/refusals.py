"""Refusals: what rba says when it will not do what was asked, and why.

Every refusal carries its reason as a `Message` (``detail``), so the CLI prints it in
English (``str(error)``) and the dashboard writes the same reason in the reader's language
(rba.i18n); nothing was changed when one is raised. Each kind of refusal is a subclass
named for what was refused (a lock, an undo, a proposal...), defined where it is raised.
"""

from __future__ import annotations

from rba.messages import Message


class Refusal(ValueError):
    """Something asked of rba was refused; ``detail`` says why, str() in English."""

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail
