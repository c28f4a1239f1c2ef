"""Curve rows for the report and the dashboard: store frames in, rba.calc's curves out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rba.calc import compute_curves
from rba.periods import labels_from_ordinals
from rba.store.queries import CurveInputs


def future_labels(frequency: str, ordinals: np.ndarray) -> np.ndarray:
    """Canonical labels of periods that have no figure yet (the forecast horizon)."""
    return labels_from_ordinals(pd.Series(ordinals), frequency).to_numpy(dtype=object)


def indicator_curves(inputs: CurveInputs, *, level: float = 0.95
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every series' curve rows and summary (rba.calc.compute_curves) for these inputs."""
    frozen = inputs.frozen if len(inputs.frozen) else None
    return compute_curves(inputs.observations, inputs.indicators, inputs.targets,
                          frozen=frozen, level=level, label_for=future_labels)
