"""The roll-up cube: every level of every indicator, rolled up from its finest figures.

A *node* is one indicator's combination of dimension values: a given series, or one made by
leaving dimensions out of a given series' key, so every subset of an indicator's dimensions
is a level (the total ``{}``, each dimension's values, each pair, ... up to the finest).
Nodes are filled level by level from the deepest up. A node's cell in a period is its given
value where it has one (authoritative, never replaced), else the roll-up of its *parts along
a dimension d* (the nodes one level deeper that add a value of d) along the first dimension,
alphabetically, whose parts are all present that period with what the unit needs. A part is
itself given or rolled up, so mixed entry works: some periods or levels given, others only
at the finest level.

Each level is one vectorised pass over every indicator at once: the only Python loops are
over the levels and the dimension names (a handful), never over series or periods.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rba.calc.groupwise import Segments, group_max, group_min
from rba.calc.series import SeriesTable
from rba.dimensions import parse_dimension_key


@dataclass(frozen=True)
class Nodes:
    """Every node of every indicator: given series first (codes 0..G-1), then new ones."""

    indicator_index: np.ndarray
    dims: np.ndarray  # (n, D) code of each dimension's value, -1 where left out
    names: np.ndarray  # the D dimension names, sorted
    keys: np.ndarray  # canonical dimensions key of each node (object)
    parent: np.ndarray  # (n, D) node with dimension j left out, -1 where j is absent
    n_given: int  # nodes below this are the given series codes

    @property
    def depth(self) -> np.ndarray:
        """How many dimensions each node's key names (0 for the total)."""
        return (self.dims >= 0).sum(axis=1)


@dataclass(frozen=True)
class CubeCells:
    """Rolled-up cells to emit, counts whose parts disagree with a given figure, refusals."""

    nodes: Nodes
    code: np.ndarray  # node (series code) of each rolled-up cell
    ordinal: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    label_row: np.ndarray  # a given observation row of the same period (its period label)
    along: np.ndarray  # object: the dimension the cell was summed over
    d_code: np.ndarray  # discrepancies: node with a given count ...
    d_ordinal: np.ndarray
    d_along: np.ndarray  # ... the dimension whose complete parts ...
    d_total: np.ndarray  # ... add up to something other than the given figure
    d_sum: np.ndarray
    d_label_row: np.ndarray
    refused_indicator: np.ndarray  # (indicator, dimension) pairs whose parts have no
    refused_dimension: np.ndarray  # numerators and denominators (not counts)

    def series_ids(self, given: np.ndarray, indicators: pd.DataFrame) -> np.ndarray:
        """Series id of every new node (codes G.. in order): -(k + 1) for the k-th new node
        when series ids are integers, else ``"<indicator>:<dimensions>"`` (the store's)."""
        new = slice(self.nodes.n_given, None)
        ind = self.nodes.indicator_index[new]
        if given.dtype.kind in "iu" or len(given) == 0:
            return -(np.arange(len(ind), dtype=np.int64) + 1)
        codes = indicators["indicator"].to_numpy(dtype=object)[ind]
        return codes.astype(str).astype(object) + ":" + self.nodes.keys[new]


def dimension_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Dimension value codes of each key (-1 where absent), the names, each name's values."""
    key_codes, uniques = pd.factorize(keys)
    parsed = [parse_dimension_key(str(k)) for k in uniques]  # one per distinct key
    names = np.array(sorted({name for p in parsed for name in p}), dtype=object)
    dims = np.full((len(uniques), len(names)), -1, dtype=np.int64)
    values = []
    for j, name in enumerate(names):
        column = np.array([p.get(name) for p in parsed], dtype=object)
        dims[:, j], found = pd.factorize(column)
        values.append(np.asarray(found, dtype=object))
    return dims[key_codes], names, values


def canonical_keys(dims: np.ndarray, names: np.ndarray, values: list[np.ndarray]
                    ) -> np.ndarray:
    """The canonical JSON key of each row of value codes (as rba.dimensions writes it)."""
    out = np.full(len(dims), "", dtype=object)
    for j, name in enumerate(names):
        words = np.array([f"{json.dumps(name, ensure_ascii=False)}:"
                          f"{json.dumps(v, ensure_ascii=False)}" for v in values[j]] + [""],
                         dtype=object)
        part = words[dims[:, j]]  # -1 takes the trailing "" (dimension left out)
        present = dims[:, j] >= 0
        out = np.where(present & (out != ""), out + "," + part, np.where(present, part, out))
    return "{" + out + "}"


def _lookup(index: pd.MultiIndex, ind: np.ndarray, dims: np.ndarray) -> np.ndarray:
    return index.get_indexer(pd.MultiIndex.from_arrays([ind, *dims.T]))


def cube_nodes(st: SeriesTable) -> tuple[Nodes, np.ndarray]:
    """Every node, and which indicators take part (False: two series share one key, so the
    indicator is no cube and nothing of it is rolled up)."""
    ind = st.table["indicator_index"].to_numpy(dtype=np.int64)
    dims, names, values = dimension_codes(st.table["dimensions"].to_numpy(dtype=object))
    D = len(names)
    rows = np.column_stack([ind, dims]).astype(np.int64).reshape(-1, D + 1)
    shared = pd.DataFrame(rows).duplicated(keep=False).to_numpy()
    usable = np.ones(len(st.indicators), dtype=bool)
    usable[ind[shared]] = False
    if D == 0:  # no keys with dimensions: nothing to roll up
        return Nodes(ind, dims, names, st.table["dimensions"].to_numpy(dtype=object), dims,
                     len(ind)), usable
    # Leaving each dimension out in turn reaches every subset of every key.
    found = rows[usable[ind]]
    for j in range(D):
        without = found[found[:, j + 1] >= 0]
        without[:, j + 1] = -1
        found = pd.DataFrame(np.concatenate([found, without])).drop_duplicates().to_numpy()
    given_index = pd.MultiIndex.from_arrays(list(rows.T))
    new = found[~pd.MultiIndex.from_arrays(list(found.T)).isin(given_index)]
    new_dims = new[:, 1:]
    new_keys = canonical_keys(new_dims, names, values)
    order = np.lexsort((new_keys, (new_dims >= 0).sum(axis=1), new[:, 0]))
    all_ind = np.concatenate([ind, new[order, 0]])
    all_dims = np.concatenate([dims, new_dims[order]])
    keys = np.concatenate([st.table["dimensions"].to_numpy(dtype=object), new_keys[order]])
    cube = np.flatnonzero(usable[all_ind])  # one node per key in these indicators
    index = pd.MultiIndex.from_arrays([all_ind[cube], *all_dims[cube].T])
    parent = np.full(all_dims.shape, -1, dtype=np.int64)
    for j in range(D):
        has = cube[all_dims[cube, j] >= 0]
        up = all_dims[has].copy()
        up[:, j] = -1
        parent[has, j] = cube[_lookup(index, all_ind[has], up)]
    nodes = Nodes(all_ind, all_dims, names, keys, parent, len(ind))
    return nodes, usable


def _with_cells(nodes: Nodes, code: np.ndarray) -> tuple[Nodes, np.ndarray]:
    """The nodes without the new ones that no period could be rolled up for (no series to
    show), and the cells' codes among those left."""
    keep = np.ones(len(nodes.keys), dtype=bool)
    keep[nodes.n_given:] = np.bincount(code, minlength=len(keep))[nodes.n_given:] > 0
    new_code = np.cumsum(keep) - 1
    parent = np.where(nodes.parent >= 0, new_code[np.maximum(nodes.parent, 0)], -1)
    parent = np.where((nodes.parent >= 0) & keep[np.maximum(nodes.parent, 0)], parent, -1)
    return Nodes(nodes.indicator_index[keep], nodes.dims[keep], nodes.names,
                 nodes.keys[keep], parent[keep], nodes.n_given), new_code[code]


@dataclass
class _Level:
    """The cells of one level: given rows, then rolled-up cells of periods without one."""

    node: np.ndarray
    ordinal: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    label: np.ndarray


def _take(level: _Level, keep: np.ndarray) -> _Level:
    return _Level(*(getattr(level, f)[keep] for f in
                    ("node", "ordinal", "value", "numerator", "denominator", "label")))


def _join(*levels: _Level) -> _Level:
    return _Level(*(np.concatenate([getattr(x, f) for x in levels]) for f in
                    ("node", "ordinal", "value", "numerator", "denominator", "label")))


def _groups(nodes: Nodes, k: int, usable: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (parent, dimension) groups of level k's nodes: group of each (node, dimension)
    (-1 where the node lacks it), each group's parent and dimension, and its part count."""
    D = len(nodes.names)
    members = np.flatnonzero((nodes.depth == k) & usable[nodes.indicator_index])
    has = [members[nodes.dims[members, j] >= 0] for j in range(D)]
    pair_node = np.concatenate(has)
    pair_j = np.repeat(np.arange(D), [len(h) for h in has])
    gid, keys = pd.factorize(nodes.parent[pair_node, pair_j] * D + pair_j)
    node_group = np.full(nodes.dims.shape, -1, dtype=np.int64)
    node_group[pair_node, pair_j] = gid
    return node_group, np.asarray(keys, dtype=np.int64), np.bincount(gid, minlength=len(keys))


def _given_lookup(given: _Level, n_given: int) -> tuple[Segments, np.ndarray, np.ndarray]:
    """Each given series' valued figures laid out by period, for lookups by (node, period)."""
    valued = ~np.isnan(given.value)
    node, o = given.node[valued], given.ordinal[valued]
    lo, hi = group_min(node, o, n_given), group_max(node, o, n_given)
    none = hi < lo
    seg = Segments.spanning(np.where(none, 0, lo), np.where(none, -1, hi))
    slot = seg.slot(node, o)
    value = np.full(seg.size + 1, np.nan)  # the last slot: for lookups that find nothing
    value[slot] = given.value[valued]
    label = np.zeros(seg.size + 1, dtype=np.int64)
    label[slot] = given.label[valued]
    return seg, value, label


@dataclass(frozen=True)
class _Sums:
    """One level's parts summed per (parent, dimension, period) cell."""

    seg: Segments  # slots of each (parent, dimension) group, one per period
    n_rows: np.ndarray  # parts present
    n_value: np.ndarray  # ... with a value
    n_ratio: np.ndarray  # ... with a numerator and a denominator
    value: np.ndarray  # sums
    numerator: np.ndarray
    denominator: np.ndarray
    label: np.ndarray  # a part's observation row (its period label)


def _sums(level: _Level, node_group: np.ndarray, n_group: int, max_parts: int) -> _Sums:
    """Sum a level's cells into their parents, one dimension at a time (no copies of the
    figures where every cell names the dimension, as at the finest level)."""
    v_ok = ~np.isnan(level.value)
    r_ok = ~np.isnan(level.numerator) & ~np.isnan(level.denominator)
    weights = (np.where(v_ok, level.value, 0.0), np.where(r_ok, level.numerator, 0.0),
               np.where(r_ok, level.denominator, 0.0))
    # The three counts packed into one float (exact below 2**53) for one bincount, when no
    # cell can count 2**17 parts (one row per part and period); else one bincount each.
    bits = 17 if max(max_parts, 1) < (1 << 16) or len(level.node) < (1 << 17) else 0
    flags = 1.0 + v_ok * float(1 << bits) + r_ok * float(1 << 2 * bits) if bits else None
    group = [node_group[:, j][level.node] for j in range(node_group.shape[1])]
    # Each group's periods: from its parts' first to their last (parts' spans, then groups').
    n_node = node_group.shape[0]
    node_lo = group_min(level.node, level.ordinal, n_node)
    node_hi = group_max(level.node, level.ordinal, n_node)
    lo = np.full(n_group, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n_group, np.iinfo(np.int64).min, dtype=np.int64)
    for j in range(node_group.shape[1]):
        has = (node_group[:, j] >= 0) & (node_hi >= node_lo)
        np.minimum.at(lo, node_group[has, j], node_lo[has])
        np.maximum.at(hi, node_group[has, j], node_hi[has])
    none = hi < lo
    seg = Segments.spanning(np.where(none, 0, lo), np.where(none, 0, hi))
    n = seg.size
    packed, sums = np.zeros(n), [np.zeros(n) for _ in weights]
    counts = [np.zeros(n), np.zeros(n)]  # with a value; with a ratio (when not packed)
    label = np.zeros(n, dtype=np.int64)
    for g in group:
        has = g >= 0
        every = bool(has.all())
        cell = seg.slot(g if every else g[has], level.ordinal if every else level.ordinal[has])
        if flags is not None:
            packed += np.bincount(cell, weights=flags if every else flags[has], minlength=n)
        else:
            packed += np.bincount(cell, minlength=n)
            for total, ok in zip(counts, (v_ok, r_ok), strict=True):
                total += np.bincount(cell, weights=ok if every else ok[has], minlength=n)
        for total, w in zip(sums, weights, strict=True):
            total += np.bincount(cell, weights=w if every else w[has], minlength=n)
        label[cell] = level.label if every else level.label[has]
    whole = packed.astype(np.int64)
    if flags is not None:
        low = (1 << bits) - 1
        n_rows, n_value, n_ratio = whole & low, (whole >> bits) & low, whole >> 2 * bits
    else:
        n_rows, n_value, n_ratio = whole, counts[0].astype(np.int64), counts[1].astype(np.int64)
    return _Sums(seg, n_rows, n_value, n_ratio, value=sums[0], numerator=sums[1],
                 denominator=sums[2], label=label)


def cube_cells(st: SeriesTable, ordinal: np.ndarray, value: np.ndarray,
               numerator: np.ndarray, denominator: np.ndarray) -> CubeCells:
    """Fill every node of every indicator level by level, from the deepest up."""
    nodes, usable = cube_nodes(st)
    ind_of = nodes.indicator_index
    unit = st.indicators["unit"].to_numpy(dtype=object)
    is_count = (unit == "count")[ind_of]
    mult = st.indicators["multiplier"].to_numpy(dtype=float)[ind_of]
    depth = nodes.depth
    D = len(nodes.names)
    kept = usable[st.table["indicator_index"].to_numpy()][st.codes]
    rows = slice(None) if kept.all() else np.flatnonzero(kept)
    code = st.codes[rows]
    num, v, dn = numerator[rows], value[rows], denominator[rows]
    num = np.where(np.isnan(num) & ~np.isnan(v) & ~np.isnan(dn), v * dn / mult[code], num)
    given = _Level(code, ordinal[rows], v, num, dn, np.arange(len(ordinal))[rows])
    g_depth = depth[given.node]
    top = int(depth.max()) if len(depth) else 0
    finest = g_depth == top
    g_seg, g_value, g_label = _given_lookup(_take(given, ~finest), nodes.n_given)
    out: list[_Level] = []
    along: list[np.ndarray] = []
    found: list[tuple[np.ndarray, ...]] = []
    tried = np.zeros(len(st.indicators) * D)
    ratio_seen = np.zeros(len(st.indicators) * D)
    level = given if finest.all() else _take(given, finest)
    for k in range(top, 0, -1):
        node_group, group_key, n_parts = _groups(nodes, k, usable)
        sums = _sums(level, node_group, len(group_key), int(n_parts.max(initial=0)))
        seg = sums.seg
        c_key = group_key[seg.code]
        c_ord, c_parent, c_j = seg.ordinal, c_key // D, c_key % D
        pair = ind_of[c_parent] * D + c_j
        tried += np.bincount(pair, weights=sums.n_rows, minlength=tried.size)
        ratio_seen += np.bincount(pair, weights=sums.n_ratio, minlength=tried.size)
        full = (sums.n_rows == n_parts[seg.code]) & (sums.n_rows > 0)
        v_full = full & (sums.n_value == sums.n_rows)
        r_full = full & (sums.n_ratio == sums.n_rows)
        counted = is_count[c_parent]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(r_full & (sums.denominator > 0),
                             mult[c_parent] * sums.numerator / sums.denominator, np.nan)
        c_value = np.where(counted, np.where(v_full, sums.value, np.nan), ratio)
        ok = ~np.isnan(c_value)
        # Against a given figure: authoritative; a count's parts that disagree are reported.
        gp = np.minimum(c_parent, max(nodes.n_given - 1, 0))
        inside = (c_parent < nodes.n_given) & (c_ord >= g_seg.first[gp]) & (
            c_ord < g_seg.offset[gp + 1] - g_seg.offset[gp] + g_seg.first[gp])
        at = np.where(inside, g_seg.slot(gp, c_ord), g_seg.size)
        g_val = g_value[at]
        is_given = ~np.isnan(g_val)
        tol = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(g_val)))
        with np.errstate(invalid="ignore"):
            bad = ok & counted & is_given & (np.abs(c_value - g_val) > tol)
        found.append((c_parent[bad], c_ord[bad], c_j[bad], g_val[bad], c_value[bad],
                      g_label[at][bad]))
        # The first complete dimension (alphabetically) of each parent cell without a given
        # value fills it.
        fill = np.flatnonzero(ok & ~is_given)
        fill = fill[np.lexsort((c_j[fill], c_ord[fill], c_parent[fill]))]
        first = np.r_[True, (c_parent[fill][1:] != c_parent[fill][:-1])
                      | (c_ord[fill][1:] != c_ord[fill][:-1])] if len(fill) else fill
        fill = fill[first.astype(bool)] if len(fill) else fill
        rolled = _Level(c_parent[fill], c_ord[fill], c_value[fill],
                        np.where(r_full, sums.numerator, np.nan)[fill],
                        np.where(r_full, sums.denominator, np.nan)[fill], sums.label[fill])
        out.append(rolled)
        along.append(nodes.names[c_j[fill]])
        # The next level's cells: its given rows (a given row without a value gives way to
        # the rolled-up figure of its period), and the rolled-up cells.
        upper = _take(given, g_depth == k - 1)
        blank = np.isnan(upper.value)
        blank[blank] = pd.MultiIndex.from_arrays([upper.node[blank], upper.ordinal[blank]]).isin(
            pd.MultiIndex.from_arrays([rolled.node, rolled.ordinal]))
        level = _join(_take(upper, ~blank), rolled)
    cells = _join(*out) if out else _take(given, given.node < 0)
    flat = [np.concatenate(parts) for parts in zip(*found, strict=True)] if found else \
        [np.zeros(0, dtype=np.int64)] * 3 + [np.zeros(0)] * 2 + [np.zeros(0, np.int64)]
    shape = (len(st.indicators), D)
    refused = ((unit != "count")[:, None] & (tried.reshape(shape) > 0)
               & (ratio_seen.reshape(shape) == 0))
    r_ind, r_dim = np.nonzero(refused)
    nodes, code = _with_cells(nodes, cells.node)
    return CubeCells(
        nodes=nodes, code=code, ordinal=cells.ordinal, value=cells.value,
        numerator=cells.numerator, denominator=cells.denominator, label_row=cells.label,
        along=np.concatenate(along) if along else np.zeros(0, dtype=object),
        d_code=flat[0].astype(np.int64), d_ordinal=flat[1].astype(np.int64),
        d_along=nodes.names[flat[2].astype(np.int64)], d_total=flat[3].astype(float),
        d_sum=flat[4].astype(float), d_label_row=flat[5].astype(np.int64),
        refused_indicator=r_ind, refused_dimension=nodes.names[r_dim],
    )
