"""analysis.scores: normalisation, missing-data policy, monotonicity, real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.config import Sector, Term, load_config
from analysis.expr import parse
from analysis.indicators import read_indicators
from analysis.scores import missing_data, normalize, raw_values, sector_scores
from common.errors import InputError


def _term(term_id, role, expr, columns, direction="higher_is_more", weight=1.0):
    term = Term(term_id, role, expr, direction, "%", 2024, weight, parse(expr), term_id, term_id)
    assert term.columns == columns
    return term


SECTOR = Sector(
    id="demo",
    label_id="Demo",
    label_en="Demo",
    gap=(
        _term("lack", "gap", "100 - a", ("a",), weight=2.0),
        _term("low_b", "gap", "b", ("b",), direction="lower_is_more"),
    ),
    capacity=(_term("a", "capacity", "a", ("a",)),),
    forms=("joint", "contract"),
    externality=True,
)


def _table(a, b):
    index = pd.Index([f"64{i + 1:02d}" for i in range(len(a))], name="code")
    return pd.DataFrame({"a": a, "b": b}, index=index, dtype="float64")


def test_rank_and_minmax_normalisation():
    x = pd.Series([10.0, 20.0, 20.0, np.nan, 40.0])
    assert normalize(x).tolist()[:3] == [0.0, pytest.approx(0.5), pytest.approx(0.5)]
    assert normalize(x)[4] == 1.0 and np.isnan(normalize(x)[3])
    assert normalize(x, method="minmax").tolist()[:3] == [0.0, pytest.approx(1 / 3)] * 1 + [
        pytest.approx(1 / 3)
    ]
    assert normalize(x, direction="lower_is_more")[0] == 1.0
    assert normalize(pd.Series([5.0]))[0] == 0.5
    assert normalize(pd.Series([5.0, 5.0]), method="minmax").tolist() == [0.5, 0.5]
    with pytest.raises(InputError, match="Unknown normalisation"):
        normalize(x, method="zscore")


def test_scores_and_missing_policy():
    table = _table([90.0, 50.0, np.nan, 70.0], [1.0, 3.0, 2.0, np.nan])
    scores = sector_scores(table, SECTOR)
    assert scores.index.equals(table.index)
    assert list(scores.columns) == [
        "gap", "capacity", "gap_n", "capacity_n", "gap_lack", "gap_low_b", "capacity_a"
    ]  # fmt: skip
    # region 6402: lack = 1 (lowest a), low_b = 0 (highest b): (2*1 + 0) / 3
    assert scores.loc["6402", "gap"] == pytest.approx(2 / 3)
    # region 6403 has no `a`: gap from `b` alone (weights renormalised), capacity missing
    assert scores.loc["6403", "gap_n"] == 1
    assert scores.loc["6403", "gap"] == pytest.approx(scores.loc["6403", "gap_low_b"])
    assert np.isnan(scores.loc["6403", "capacity"]) and scores.loc["6403", "capacity_n"] == 0
    missing = missing_data(table, SECTOR)
    assert missing.values.tolist() == [
        ["6403", "gap", "lack", "a"],
        ["6403", "capacity", "a", "a"],
        ["6404", "gap", "low_b", "b"],
    ]
    raw = raw_values(table, SECTOR)
    assert raw.loc["6401", "gap_lack"] == pytest.approx(10.0)


def test_missing_column_named():
    with pytest.raises(InputError, match="no column 'b'"):
        sector_scores(_table([1.0], [1.0]).drop(columns="b"), SECTOR)


values = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    a=st.lists(st.one_of(values, st.just(np.nan)), min_size=1, max_size=12),
    data=st.data(),
    method=st.sampled_from(["rank", "minmax"]),
)
def test_gap_is_monotone(a, data, method):
    n = len(a)
    b = data.draw(st.lists(st.one_of(values, st.just(np.nan)), min_size=n, max_size=n))
    i = data.draw(st.integers(0, n - 1))
    step = data.draw(st.floats(min_value=0.01, max_value=50))
    table = _table(a, b)
    before = sector_scores(table, SECTOR, method=method)
    worse = table.copy()
    if np.isnan(worse.iloc[i, 0]):
        return
    worse.iloc[i, 0] -= step  # less access -> more gap ("100 - a", higher_is_more)
    after = sector_scores(worse, SECTOR, method=method)
    assert after["gap"].iloc[i] >= before["gap"].iloc[i] - 1e-12
    worse2 = table.copy()
    if not np.isnan(worse2.iloc[i, 1]):
        worse2.iloc[i, 1] -= step  # lower b -> more gap ("b", lower_is_more)
        after2 = sector_scores(worse2, SECTOR, method=method)
        assert after2["gap"].iloc[i] >= before["gap"].iloc[i] - 1e-12
    for frame in (before, after):
        scored = frame[["gap", "capacity"]].stack().dropna()
        assert ((scored >= 0) & (scored <= 1)).all()


def test_real_data_every_sector(national_indicators):
    table, _ = read_indicators(national_indicators)
    table = table.set_index("kemendagri_code_2025")
    config = load_config()
    kaltim = table[table["province_code"] == "64"]
    for sector_id in config.sectors:
        scores = sector_scores(table, sector_id)
        assert scores[["gap", "capacity"]].stack().dropna().between(0, 1).all()
        small = sector_scores(kaltim, sector_id, method="minmax")  # scope = one province
        assert small["gap"].max() <= 1 and len(small) == 10
    waste = sector_scores(table, "waste")
    assert waste["gap"].notna().sum() == 315  # unreported regions: NaN, not zero
    assert len(missing_data(table, "waste").query("term == 'unmanaged_waste'")) == 514 - 315
    water = sector_scores(table, "water")
    worst = table["water_access_pct_2024"].idxmin()
    assert water.loc[worst, "gap"] == 1.0
