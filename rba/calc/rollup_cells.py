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
    parsed = pd.DataFrame([parse_dimension_key(str(k)) for k in uniques],
                          index=range(len(uniques)))
    names = np.array(sorted(parsed.columns), dtype=object)
    dims = np.full((len(uniques), len(names)), -1, dtype=np.int64)
    values = []
    for j, name in enumerate(names):
        dims[:, j], found = pd.factorize(parsed[name].to_numpy(dtype=object))
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
        found = np.unique(np.concatenate([found, without]), axis=0)
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
    rows = np.flatnonzero(usable[st.table["indicator_index"].to_numpy()][st.codes])
    code = st.codes[rows]
    num = numerator[rows]
    v, dn = value[rows], denominator[rows]
    num = np.where(np.isnan(num) & ~np.isnan(v) & ~np.isnan(dn), v * dn / mult[code], num)
    given = _Level(code, ordinal[rows], v, num, dn, rows)
    span = int(ordinal.max() - ordinal.min() + 1) if len(ordinal) else 1
    base = int(ordinal.min()) if len(ordinal) else 0
    g_depth = depth[given.node]
    g_valued = ~np.isnan(given.value)
    at_key = given.node * span + (given.ordinal - base)
    first = g_valued & ~pd.Index(at_key).duplicated()  # duplicates are refused later
    given_at = pd.Index(at_key[first])
    given_value = given.value[first]
    given_label = given.label[first]
    out: list[_Level] = []
    along: list[np.ndarray] = []
    found: list[tuple[np.ndarray, ...]] = []
    tried = np.zeros((len(st.indicators), D))
    ratio_seen = np.zeros((len(st.indicators), D))
    level = _take(given, g_depth == (int(depth.max()) if len(depth) else 0))
    for k in range(int(depth.max()) if len(depth) else 0, 0, -1):
        # Parts along each dimension j: cells of depth k whose key names j.
        pj = [np.flatnonzero(nodes.dims[level.node, j] >= 0) for j in range(D)]
        part = np.concatenate(pj)
        j_of = np.repeat(np.arange(D), [len(p) for p in pj])
        node = level.node[part]
        parent = nodes.parent[node, j_of]
        group = parent * D + j_of
        ords = level.ordinal[part]
        cell, cells = pd.factorize(group * span + (ords - base))
        n_cell = len(cells)
        c_group, c_ord = cells // span, cells % span + base
        c_parent, c_j = c_group // D, c_group % D
        val, nm, d = level.value[part], level.numerator[part], level.denominator[part]
        v_ok = ~np.isnan(val)
        r_ok = ~np.isnan(nm) & ~np.isnan(d)
        pair = ind_of[node] * D + j_of
        tried += np.bincount(pair, minlength=tried.size).reshape(tried.shape)
        ratio_seen += np.bincount(pair, weights=r_ok, minlength=tried.size).reshape(tried.shape)

        def cell_sum(weights: np.ndarray, at: np.ndarray = cell, n: int = n_cell) -> np.ndarray:
            return np.bincount(at, weights=weights, minlength=n)

        members = np.flatnonzero(depth == k)  # every node of this level, with cells or not
        has = [members[nodes.dims[members, j] >= 0] for j in range(D)]
        child_groups = np.concatenate([nodes.parent[h, j] * D + j for j, h in enumerate(has)])
        n_parts = pd.Series(child_groups).value_counts()
        expected = n_parts.reindex(c_group).to_numpy(dtype=float)
        n_rows = np.bincount(cell, minlength=n_cell)
        full = n_rows == expected
        v_full = full & (cell_sum(v_ok) == n_rows)
        r_full = full & (cell_sum(r_ok) == n_rows)
        num_sum = cell_sum(np.where(r_ok, nm, 0.0))
        den_sum = cell_sum(np.where(r_ok, d, 0.0))
        counted = is_count[c_parent]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(r_full & (den_sum > 0), mult[c_parent] * num_sum / den_sum, np.nan)
        c_value = np.where(counted, np.where(v_full, cell_sum(np.where(v_ok, val, 0.0)),
                                             np.nan), ratio)
        label = np.zeros(n_cell, dtype=np.int64)
        label[cell] = level.label[part]
        ok = ~np.isnan(c_value)
        # Against a given figure: authoritative; a count's parts that disagree are reported.
        at = given_at.get_indexer(c_parent * span + (c_ord - base))
        is_given = at >= 0
        g_val = np.where(is_given, given_value[np.maximum(at, 0)], np.nan)
        tol = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(g_val)))
        with np.errstate(invalid="ignore"):
            bad = ok & counted & is_given & (np.abs(c_value - g_val) > tol)
        found.append((c_parent[bad], c_ord[bad], c_j[bad], g_val[bad], c_value[bad],
                      given_label[np.maximum(at, 0)][bad]))
        # The first complete dimension (alphabetically) of each parent cell without a given
        # value fills it.
        fill = np.flatnonzero(ok & ~is_given)
        fill = fill[np.lexsort((c_j[fill], c_ord[fill], c_parent[fill]))]
        first = np.r_[True, (c_parent[fill][1:] != c_parent[fill][:-1])
                      | (c_ord[fill][1:] != c_ord[fill][:-1])] if len(fill) else fill
        fill = fill[first.astype(bool)] if len(fill) else fill
        rolled = _Level(c_parent[fill], c_ord[fill], c_value[fill],
                        np.where(r_full, num_sum, np.nan)[fill],
                        np.where(r_full, den_sum, np.nan)[fill], label[fill])
        out.append(rolled)
        along.append(nodes.names[c_j[fill]] if D else np.zeros(0, dtype=object))
        # The next level's cells: its given rows (a given row without a value gives way to
        # the rolled-up figure of its period), and the rolled-up cells.
        upper = _take(given, g_depth == k - 1)
        filled = rolled.node * span + (rolled.ordinal - base)
        blank = np.isnan(upper.value) & pd.Index(upper.node * span + (upper.ordinal - base)
                                                 ).isin(filled)
        level = _join(_take(upper, ~blank), rolled)
    cells = _join(*out) if out else _take(given, given.node < 0)
    flat = [np.concatenate(parts) for parts in zip(*found, strict=True)] if found else \
        [np.zeros(0, dtype=np.int64)] * 3 + [np.zeros(0)] * 2 + [np.zeros(0, np.int64)]
    refused = (~(unit == "count"))[:, None] & (tried > 0) & (ratio_seen == 0)
    r_ind, r_dim = np.nonzero(refused)
    nodes, code = _with_cells(nodes, cells.node)
    return CubeCells(
        nodes=nodes, code=code, ordinal=cells.ordinal, value=cells.value,
        numerator=cells.numerator, denominator=cells.denominator, label_row=cells.label,
        along=np.concatenate(along) if along else np.zeros(0, dtype=object),
        d_code=flat[0].astype(np.int64), d_ordinal=flat[1].astype(np.int64),
        d_along=nodes.names[flat[2].astype(np.int64)] if D else np.zeros(0, dtype=object),
        d_total=flat[3].astype(float), d_sum=flat[4].astype(float),
        d_label_row=flat[5].astype(np.int64), refused_indicator=r_ind,
        refused_dimension=nodes.names[r_dim] if D else np.zeros(0, dtype=object),
    )
