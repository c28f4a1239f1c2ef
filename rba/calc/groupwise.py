"""Group-wise numpy helpers: series codes, per-group extremes and contiguous segments.

Every calculation in `rba.calc` works on all series at once. Rows are mapped to integer
series codes, and a series' periods are laid out as one contiguous *segment* of slots (one
slot per period ordinal from its first to its last), so a group-wise sum is one
``np.add.reduceat`` and a look-back is index arithmetic, with no Python loop over series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

I64_MAX = np.iinfo(np.int64).max
I64_MIN = np.iinfo(np.int64).min


def series_codes(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per row (0..G-1, ordered by id) and the G distinct ids."""
    if ids.dtype.kind in "iu" and len(ids):
        lo, hi = int(ids.min()), int(ids.max())
        if hi - lo <= 4 * len(ids) + 1024:  # dense integer ids: no hashing needed
            shifted = ids.astype(np.int64) - lo
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[shifted] = True
            remap = np.cumsum(present) - 1
            return remap[shifted], np.flatnonzero(present) + lo
    if ids.dtype == object and len(ids) > 1:
        # Rows usually come grouped by series: hash one id per run, not one per row.
        heads = np.concatenate([[0], np.flatnonzero(ids[1:] != ids[:-1]) + 1])
        run_codes, uniques = pd.factorize(ids[heads], sort=True)
        if len(uniques) == len(heads):  # every series in a single run
            lengths = np.diff(np.append(heads, len(ids)))
            return np.repeat(run_codes.astype(np.int64), lengths), np.asarray(uniques)
    codes, uniques = pd.factorize(pd.Series(ids, dtype=object if ids.dtype == object else None),
                                  sort=True)
    return codes.astype(np.int64), np.asarray(uniques)


def codes_of(uniques: np.ndarray | pd.Index, ids: np.ndarray) -> np.ndarray:
    """Code of each id in `uniques` (-1 for an id not there)."""
    if len(ids) == 0:
        return np.zeros(0, dtype=np.int64)
    index = uniques if isinstance(uniques, pd.Index) else pd.Index(uniques)
    return index.get_indexer(pd.Index(ids)).astype(np.int64)


def group_min(codes: np.ndarray, values: np.ndarray, n: int, fill: int = I64_MAX) -> np.ndarray:
    """Smallest value per code (fill where a code has none)."""
    out = np.full(n, fill, dtype=np.int64)
    np.minimum.at(out, codes, values)
    return out


def group_max(codes: np.ndarray, values: np.ndarray, n: int, fill: int = I64_MIN) -> np.ndarray:
    """Largest value per code (fill where a code has none)."""
    out = np.full(n, fill, dtype=np.int64)
    np.maximum.at(out, codes, values)
    return out


def ragged_arange(lengths: np.ndarray) -> np.ndarray:
    """0..len-1 for each length, concatenated (a vectorised ``[range(n) for n in lengths]``)."""
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    return np.arange(total, dtype=np.int64) - np.repeat(ends - lengths, lengths)


@dataclass(frozen=True)
class Segments:
    """Slots laid out series by series: slot ``offset[c] + k`` is ordinal ``first[c] + k``."""

    first: np.ndarray  # first ordinal of each series (G,)
    offset: np.ndarray  # first slot of each series, then the total (G + 1,)
    code: np.ndarray  # series code of each slot (m,)
    ordinal: np.ndarray  # ordinal of each slot (m,)

    @classmethod
    def spanning(cls, first: np.ndarray, last: np.ndarray) -> Segments:
        """Segments covering ordinals first..last (inclusive) of every series."""
        span = (last - first + 1).astype(np.int64)
        offset = np.concatenate([[0], np.cumsum(span)])
        code = np.repeat(np.arange(len(first), dtype=np.int64), span)
        return cls(first, offset, code, first[code] + ragged_arange(span))

    @property
    def size(self) -> int:
        """Number of slots."""
        return int(self.offset[-1])

    def slot(self, codes: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
        """Slot of each (code, ordinal) pair."""
        return self.offset[codes] + (ordinals - self.first[codes])

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Sum over each series' slots."""
        return np.add.reduceat(values, self.offset[:-1])

    def max(self, values: np.ndarray) -> np.ndarray:
        """Largest value over each series' slots."""
        return np.maximum.reduceat(values, self.offset[:-1])

    def min(self, values: np.ndarray) -> np.ndarray:
        """Smallest value over each series' slots."""
        return np.minimum.reduceat(values, self.offset[:-1])

    def last_index(self, mask: np.ndarray) -> np.ndarray:
        """Slot of the last True in each series (-1 where none)."""
        return self.max(np.where(mask, np.arange(self.size), -1))

    def first_index(self, mask: np.ndarray) -> np.ndarray:
        """Slot of the first True in each series (-1 where none)."""
        first = self.min(np.where(mask, np.arange(self.size), I64_MAX))
        return np.where(first == I64_MAX, -1, first)


def take(values: np.ndarray, index: np.ndarray, fill: float = np.nan) -> np.ndarray:
    """values[index] with `fill` where index is -1."""
    out = values[np.maximum(index, 0)]
    if out.dtype.kind in "iub":
        out = out.astype(float)
    return np.where(index >= 0, out, fill)


def laid_out(codes: np.ndarray, ordinals: np.ndarray, n: int) -> tuple[Segments, np.ndarray]:
    """Segments spanning each series' ordinals and the slot of every row.

    Raises ValueError naming a series and ordinal that occur on more than one row.
    """
    seg = Segments.spanning(group_min(codes, ordinals, n), group_max(codes, ordinals, n))
    slot = seg.slot(codes, ordinals)
    counts = np.bincount(slot, minlength=seg.size)
    if len(counts) and counts.max() > 1:
        dup = int(np.flatnonzero(counts > 1)[0])
        raise ValueError(f"series code {int(seg.code[dup])} has more than one row for ordinal "
                         f"{int(seg.ordinal[dup])}")
    return seg, slot


def run_bounds(code: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each code's run in an array sorted by code."""
    bounds = np.searchsorted(code, np.arange(n + 1))
    return bounds[:-1], np.diff(bounds)


def run_sums(values: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum of each run ``values[starts[i]:starts[i] + counts[i]]`` (0 for an empty run)."""
    out = np.zeros(len(starts), dtype=np.result_type(values.dtype, np.float64))
    k = int(np.searchsorted(starts, len(values)))  # runs starting at the end are empty
    if k:
        out[:k] = np.add.reduceat(values, starts[:k])
    return np.where(counts > 0, out, 0.0)
