"""Benchmark: the agreements registry on SQLite against the same queries on stdlib ``sqlite3``.

Run ``.venv/bin/python benchmarks/bench_registry.py``. It builds a registry of 10,000 agreements
(about 30,000 parties, 120,000 monitoring entries, budget lines) in a temporary SQLite file, with
a fixed random seed, then measures three reads side by side in the same run, several repetitions
each (min and median):

* list: every agreement with its parties (:meth:`registry.Registry.list`);
* filter: sector + stage + province (``list(sector=..., stage=..., province=...)``);
* alerts: every follow-up rule on a fixed day (:meth:`registry.Registry.alerts`);

and the same SQL written directly against :mod:`sqlite3` (rows grouped the same way), the two
interleaved so that other load on the machine hits both alike. Targets, on the best of the
repetitions (wall time): each of ours under 200 ms and within 2x of the plain ``sqlite3``
version; the exit status is 1 when a target is missed. Medians, CPU times and the load average
are printed too (the machine is shared: compare ratios, and absolute times at low load).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_AGREEMENTS = 10_000
N_MONITORING = 120_000
REPEAT = 15
TODAY = dt.date(2025, 8, 15)
TARGET_MS = 200.0
TARGET_RATIO = 2.0
SEED = 20250815


def build(path: Path) -> None:
    """Fill a new registry at ``path`` (bulk inserts; reads are what is measured)."""
    import numpy as np
    from sqlalchemy import insert

    from analysis.config import load_config
    from registry import db
    from registry.models import (
        STAGES,
        Agreement,
        BudgetCommitment,
        MonitoringEntry,
        Party,
    )

    db.upgrade(f"sqlite:///{path}")
    rng = np.random.default_rng(SEED)
    sectors = list(load_config().sectors)
    provinces = ["11", "12", "13", "32", "33", "35", "51", "52", "53", "61", "63", "64", "73", "91"]
    stamp = dt.datetime(2025, 1, 1)
    agreements, parties, budgets, monitoring = [], [], [], []
    running: list[int] = []
    party_id = 0
    from registry.records import add_months

    for i in range(1, N_AGREEMENTS + 1):
        stage = STAGES[int(rng.choice(6, p=[0.1, 0.15, 0.15, 0.45, 0.1, 0.05]))]
        order = STAGES.index(stage)
        # the current stage was reached within the last 4.5 years (KB: the last 9 months)
        span = 270 if stage == "kb" else 1640
        reached = TODAY - dt.timedelta(days=int(rng.integers(1, span)))
        row = {
            "id": i, "name": f"Kerja sama {i}", "sector": sectors[i % len(sectors)],
            "sector_detail": "", "form": ("joint", "contract", "other")[i % 3], "stage": stage,
            "object": "", "scope": "", "pks_clauses": [], "dprd": "unknown", "year_basis": "",
            "source_url": "", "source_title": "", "source_publisher": "", "source_date": "",
            "evidence": "", "documented": False, "notes": "", "created_at": stamp,
            "created_by": "bench", "updated_at": stamp, "updated_by": "bench", "version": 1,
        }  # fmt: skip
        last = min(order, 4)
        for k, s in enumerate(STAGES[:5]):
            gap = dt.timedelta(days=90 * (last - k))
            row[f"{s}_on"] = reached - gap if k <= last and stage != "dibatalkan" else None
        row["dibatalkan_on"] = reached if stage == "dibatalkan" else None
        if stage == "dibatalkan":
            row["usulan_on"] = reached - dt.timedelta(days=60)
        if stage in ("pks", "berjalan", "berakhir"):
            row["start_on"] = row["pks_on"]
            row["duration_months"] = 60
            row["end_on"] = add_months(row["pks_on"], 60) - dt.timedelta(days=1)
        else:
            row["start_on"] = row["duration_months"] = row["end_on"] = None
        agreements.append(row)
        province = provinces[int(rng.integers(0, len(provinces)))]
        for k in range(int(rng.integers(2, 5))):
            party_id += 1
            code = f"{province}{int(rng.integers(1, 30)):02d}"
            parties.append(
                {"id": party_id, "agreement_id": i, "kind": "kabkota", "code": code,
                 "province": province, "name": f"Kab {code}", "is_provider": k == 0,
                 "active": True}
            )  # fmt: skip
            if stage in ("pks", "berjalan") and rng.random() < 0.95:
                budgets.append(
                    {"agreement_id": i, "party_id": party_id, "year": TODAY.year + 1,
                     "amount": 1_000_000, "note": ""}
                )  # fmt: skip
        if stage == "berjalan":
            running.append(i)
    # monitoring: consecutive months up to the latest due month (one in ten agreements lags)
    per = -(-N_MONITORING // len(running))
    due = add_months(TODAY.replace(day=1), -1)
    for i in running:
        lag = int(rng.integers(1, 4)) if rng.random() < 0.1 else 0
        last_month = add_months(due, -lag)
        for m in range(per):
            if len(monitoring) == N_MONITORING:
                break
            monitoring.append(
                {"agreement_id": i, "period": add_months(last_month, -m), "status": "on_track",
                 "note": "", "indicators": {}, "recorded_by": "bench", "recorded_at": stamp}
            )  # fmt: skip
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(insert(Agreement), agreements)
        conn.execute(insert(Party), parties)
        conn.execute(insert(BudgetCommitment), budgets)
        conn.execute(insert(MonitoringEntry), monitoring)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(
        f"registry: {len(agreements):,} agreements, {len(parties):,} parties, "
        f"{len(monitoring):,} monitoring entries, {len(budgets):,} budget lines"
    )


# ---------------------------------------------------------------- the same SQL, on sqlite3
STAGE_ON = (
    "CASE WHEN stage = 'usulan' THEN usulan_on WHEN stage = 'kb' THEN kb_on "
    "WHEN stage = 'pks' THEN pks_on WHEN stage = 'berjalan' THEN berjalan_on "
    "WHEN stage = 'berakhir' THEN berakhir_on WHEN stage = 'dibatalkan' THEN dibatalkan_on END"
)
LIST_SQL = (
    f"SELECT id, name, sector, form, stage, {STAGE_ON}, year, start_on, end_on, documented, "
    "confidence, version FROM agreements {where} ORDER BY id"
)
PARTIES_SQL = (
    "SELECT agreement_id, kind, code, name, is_provider FROM parties WHERE active {where} "
    "ORDER BY id"
)


def raw_list(con: sqlite3.Connection, sector=None, stage=None, province=None) -> list[tuple]:
    where, params = [], []
    if sector:
        where.append("sector = ?")
        params.append(sector)
    if stage:
        where.append("stage = ?")
        params.append(stage)
    if province:
        where.append("id IN (SELECT agreement_id FROM parties WHERE province = ? AND active)")
        params.append(province)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    party_clause = f"AND agreement_id IN (SELECT id FROM agreements {clause})" if where else ""
    groups: dict[int, list[tuple]] = {}
    for aid, kind, code, name, prov in con.execute(PARTIES_SQL.format(where=party_clause), params):
        groups.setdefault(aid, []).append((kind, code, name, bool(prov)))
    return [
        (*row, tuple(groups.get(row[0], ())))
        for row in con.execute(LIST_SQL.format(where=clause), params)
    ]


def raw_alerts(con: sqlite3.Connection, today: dt.date) -> list[tuple]:
    from registry.alerts import latest_due_month
    from registry.records import add_months

    iso = dt.date.isoformat
    alerts = []
    base = "SELECT id, name, sector, stage, documented"
    for aid, *_, kb in con.execute(
        f"{base}, kb_on FROM agreements WHERE stage = 'kb' AND (kb_on IS NULL OR kb_on <= ?) "
        "ORDER BY id",
        (iso(add_months(today, -6)),),
    ):
        if kb is not None:
            alerts.append(("kb_without_pks", aid, dt.date.fromisoformat(kb)))
    for aid, *_, end in con.execute(
        f"{base}, end_on FROM agreements WHERE stage IN ('pks', 'berjalan') "
        "AND (end_on IS NULL OR end_on <= ?) ORDER BY id",
        (iso(today + dt.timedelta(days=180)),),
    ):
        if end is not None:
            end = dt.date.fromisoformat(end)
            alerts.append(("pks_expired" if end < today else "pks_ending", aid, end))
    due = latest_due_month(today, 10)
    for aid, *_, began, start, last in con.execute(
        f"{base}, berjalan_on, start_on, (SELECT max(period) FROM monitoring_entries "
        "WHERE agreement_id = agreements.id) FROM agreements WHERE stage = 'berjalan' ORDER BY id"
    ):
        last = dt.date.fromisoformat(last) if last else None
        if last is not None and last >= due:
            continue
        began = began or start
        if last is None and began is None:
            continue
        first = add_months(last, 1) if last else dt.date.fromisoformat(began).replace(day=1)
        if first <= due:
            alerts.append(("monitoring_overdue", aid, first))
    year = today.year + 1
    missing: dict[int, list] = {}
    for aid, *_, end, code, _name, _kind in con.execute(
        "SELECT a.id, a.name, a.sector, a.stage, a.documented, a.end_on, p.code, p.name, p.kind "
        "FROM agreements a JOIN parties p ON p.agreement_id = a.id AND p.active "
        "WHERE a.stage IN ('pks', 'berjalan') AND p.kind IN ('kabkota', 'province') "
        "AND (a.end_on IS NULL OR a.end_on >= ?) AND NOT EXISTS (SELECT 1 FROM "
        "budget_commitments b WHERE b.party_id = p.id AND b.year = ?) ORDER BY a.id, p.id",
        (iso(dt.date(year, 1, 1)), year),
    ):
        if end is not None:
            missing.setdefault(aid, []).append(code)
    alerts.extend(("budget_missing", aid, codes) for aid, codes in missing.items())
    return alerts


def _measure(ours, peer):
    """Interleaved repetitions (ours, peer, ours, ...) so that load on the machine hits both.

    Returns wall times and CPU times (ms) of each side, and each side's last result.
    """
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    results = [None, None]
    for _ in range(REPEAT):
        for k, fn in enumerate((ours, peer)):
            start, start_cpu = time.perf_counter(), time.thread_time()
            results[k] = fn()
            wall[k].append((time.perf_counter() - start) * 1000)
            cpu[k].append((time.thread_time() - start_cpu) * 1000)
    return wall, cpu, results


def main() -> int:
    from registry import Registry

    with tempfile.TemporaryDirectory(prefix="kerjasama-bench-") as tmp:
        path = Path(tmp) / "registry.sqlite"
        start = time.perf_counter()
        build(path)
        print(f"build: {time.perf_counter() - start:.1f} s")
        reg = Registry.open(f"sqlite:///{path}")
        con = sqlite3.connect(path)
        filt = {"sector": "water", "stage": "berjalan", "province": "64"}
        cases = {
            "list": (lambda: reg.list(), lambda: raw_list(con)),
            "filter sector+stage+province": (
                lambda: reg.list(**filt),
                lambda: raw_list(con, **filt),
            ),
            "alerts": (lambda: reg.alerts(TODAY), lambda: raw_alerts(con, TODAY)),
        }
        status = 0
        print(f"load average: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
        print(
            f"{'query':<29} {'rows':>6}  {'ours wall min/med':>17}  {'sqlite3 wall min/med':>20}"
            f"  {'ratio':>5}  {'cpu ours/sqlite3':>16}  target"
        )
        for name, (ours, peer) in cases.items():
            wall, cpu, (o_res, p_res) = _measure(ours, peer)
            n_ours = len(o_res.alerts) if hasattr(o_res, "alerts") else len(o_res)
            assert n_ours == len(p_res), (name, n_ours, len(p_res))
            o_min, o_med = min(wall[0]), statistics.median(wall[0])
            p_min, p_med = min(wall[1]), statistics.median(wall[1])
            ratio = o_min / p_min
            ok = o_min < TARGET_MS and ratio <= TARGET_RATIO
            status = status or (0 if ok else 1)
            print(
                f"{name:<29} {n_ours:>6,}  {o_min:>8.1f}/{o_med:<8.1f}  "
                f"{p_min:>10.1f}/{p_med:<9.1f}  {ratio:>5.2f}  "
                f"{min(cpu[0]):>7.1f}/{min(cpu[1]):<8.1f}  "
                f"<{TARGET_MS:.0f} ms, <= {TARGET_RATIO:g}x: {'ok' if ok else 'MISSED'}"
            )
        con.close()
        reg.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
