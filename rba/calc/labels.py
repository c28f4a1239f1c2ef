"""Period labels for curve rows, as a categorical keyed by (frequency, ordinal).

A label is a function of its indicator's frequency and the period ordinal (the caller maps
one to the other), so each distinct (frequency, ordinal) pair is labelled once: from the
observations, targets or frozen baseline that carry it, else from the caller's `label_for`
for future periods (else left blank). Rows then hold small integer codes, not strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rba.calc.groupwise import Segments, group_max, group_min

if TYPE_CHECKING:
    from rba.calc.inputs import SeriesArrays

LabelFor = Callable[[str, np.ndarray], object]


def period_column(ci: SeriesArrays, seg: Segments, slot: np.ndarray, x_slot: np.ndarray,
                  label_for: LabelFor | None) -> pd.Categorical:
    """Period label of every slot (categorical; NaN where no label is known)."""
    freq_codes, freqs = pd.factorize(ci.table["frequency"].to_numpy(dtype=object),
                                     use_na_sentinel=False)
    n_freq = len(freqs)
    last = seg.offset[1:] - seg.offset[:-1] + seg.first - 1
    lo = group_min(freq_codes, seg.first, n_freq)
    hi = group_max(freq_codes, last, n_freq)
    offset = np.concatenate([[0], np.cumsum(hi - lo + 1)])
    base = (offset[:-1] - lo)[freq_codes]  # key of (frequency, ordinal) = base + ordinal
    key = base[seg.code] + seg.ordinal
    source = np.full(int(offset[-1]), -1, dtype=np.int64)
    n_t, n_f = len(ci.t_code), len(ci.f_code)
    n_obs = len(ci.code)
    source[base[ci.f_code] + ci.f_ordinal] = n_obs + n_t + np.arange(n_f)
    source[base[ci.t_code] + ci.t_ordinal] = n_obs + np.arange(n_t)
    source[key[x_slot]] = ci.x_label
    source[key[slot]] = np.arange(len(slot))
    labels = np.full(len(source), None, dtype=object)
    known = source >= 0
    labels[known] = ci.label(source[known])
    if label_for is not None:
        for f in range(n_freq):
            blank = np.flatnonzero(~known[offset[f]:offset[f + 1]])
            if len(blank) and freqs[f] is not None:
                made = label_for(freqs[f], lo[f] + blank)
                labels[offset[f] + blank] = np.asarray(made, dtype=object)
    codes, categories = pd.factorize(labels)
    return pd.Categorical.from_codes(codes[key], categories=categories)
