"""Words for the codes the calculations return (statuses, trends, bands, kinds...).

The codes stay plain strings in every frame (``better_than_forecast``, ``how_much``); a page
turns one into words with ``label("status", code, lang)``. The English words are marked
with ``N_`` so the extractor finds them, and translated when asked for.
"""

from __future__ import annotations

from rba.i18n.catalogue import translations
from rba.i18n.languages import language
from rba.messages import N_

__all__ = ["LABELS", "N_", "label"]


LABELS: dict[str, dict[str, str]] = {
    "status": {
        "better_than_forecast": N_("Better than forecast"),
        "within_forecast": N_("Within forecast"),
        "worse_than_forecast": N_("Worse than forecast"),
    },
    "verdict": {
        "better_than_baseline": N_("Better than its baseline"),
        "on_baseline": N_("On its baseline"),
        "worse_than_baseline": N_("Worse than its baseline"),
        "no_baseline": N_("No baseline yet"),
        "not_enough_data": N_("Not enough data to judge"),
    },
    "trend": {
        "improving": N_("Improving"),
        "worsening": N_("Worsening"),
        "flat": N_("Flat"),
        "none": N_("No trend yet"),
    },
    "progress": {
        "target_achieved": N_("Target achieved"),
        "on_track": N_("On track"),
        "needs_acceleration": N_("Needs acceleration"),
        "limited_progress": N_("Limited progress"),
        "deterioration": N_("Deterioration"),
    },
    "band": {
        "green": N_("At or better than target"),
        "yellow": N_("Close to target"),
        "red": N_("Off target"),
    },
    "kind": {
        "headline": N_("Headline indicators"),
        "secondary": N_("Secondary indicators"),
        "development": N_("Data development agenda"),
    },
    "measure_kind": {
        "how_much": N_("How much did we do?"),
        "how_well": N_("How well did we do it?"),
        "better_off": N_("Is anyone better off?"),
    },
    "unit": {
        "percent": N_("Percent"),
        "rate": N_("Rate"),
        "count": N_("Count"),
        "number": N_("Number"),
        "currency": N_("Dollars"),
        "score": N_("Score"),
    },
    "polarity": {
        "up": N_("Up is good"),
        "down": N_("Down is good"),
    },
    "frequency": {
        "year": N_("Calendar year"),
        "school_year": N_("School year"),
        "fiscal_year": N_("Fiscal year"),
        "quarter": N_("Quarter"),
        "month": N_("Month"),
    },
    "change": {
        "improving": N_("Better than the period before"),
        "worsening": N_("Worse than the period before"),
        "unchanged": N_("No change"),
        "none": N_("No earlier value"),
    },
    "gap_trend": {
        "narrowing": N_("Gap narrowing"),
        "widening": N_("Gap widening"),
        "steady": N_("Gap steady"),
        "unknown": N_("Not enough periods to tell"),
    },
    "suppression": {
        "small_group": N_("Too few to report"),
        "complementary": N_("Hidden to protect a small group"),
    },
    "freshness": {
        "overdue": N_("Overdue"),
        "up_to_date": N_("Up to date"),
        "no_data": N_("No data yet"),
    },
    "overlap": {
        "same_population": N_("Same population"),
        "shared_grades": N_("Overlapping grades"),
        "shared_ages": N_("Overlapping ages"),
    },
    "partner_type": {
        "school_district": N_("School district"),
        "city": N_("City"),
        "county": N_("County"),
        "nonprofit": N_("Nonprofit"),
        "business": N_("Business"),
        "faith": N_("Faith community"),
        "other": N_("Other"),
    },
    "group": {
        "total": N_("Total"),
        "overall": N_("All results"),
    },
    # How a batch of changes came in (rba.models.AuditSource).
    "source": {
        "upload": N_("upload"),
        "grid": N_("entry grid"),
        "undo": N_("undo"),
        "import": N_("import (command line)"),
        "cli": N_("command line"),
        "form": N_("form"),
        "api": N_("API"),
    },
    # What happened to a record in a list of changes.
    "action": {
        "added": N_("added"),
        "changed": N_("changed"),
        "withdrawn": N_("withdrawn"),
        "deleted": N_("deleted"),
        "create": N_("added"),
        "update": N_("changed"),
        "delete": N_("deleted"),
    },
    # A figure's fields, as a change list names them.
    "field": {
        "value": N_("value"),
        "numerator": N_("numerator"),
        "denominator": N_("denominator"),
        "status": N_("status"),
        "note": N_("note"),
        "rationale": N_("rationale"),
        "locked_by": N_("locked by"),
        "reason": N_("reason"),
    },
}


def label(group: str, code: object, lang: str = "en") -> str:
    """The words for a code in a language; an unknown or blank code comes back as text."""
    if code is None or code != code:  # None or NaN
        return ""
    english = LABELS.get(group, {}).get(str(code))
    if english is None:
        return str(code)
    return translations(language(lang)).gettext(english)
