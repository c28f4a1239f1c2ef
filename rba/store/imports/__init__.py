"""Writing import plans: every record and figure of a plan written, revised and audited in
one transaction (`apply_plan`), and a batch undone as a new batch (`undo_batch`).

An import plan (rba.plan) says what to add, change and, for an undo only, delete; these
modules write it: descriptive records (apply.py), figures set-wise (figures.py), deletions
(deletes.py), and the reverse plan of a batch (undo.py).
"""

from rba.store.imports.apply import ChangedMeanwhile, apply_plan
from rba.store.imports.deletes import StillInUse
from rba.store.imports.undo import UndoError, UndoPlan, plan_undo, undo_batch

__all__ = ["ChangedMeanwhile", "StillInUse", "UndoError", "UndoPlan", "apply_plan", "plan_undo",
           "undo_batch"]
