"""Benchmarks of the cluster engine (``kerjasama suggest``).

1. National kab/kota, one sector (water), ``kerjasama suggest --all --members-csv`` as a whole
   process (interpreter start, imports, reading, join, adjacency, seats, enumeration, scoring of
   every row, stability, the CSV) against a whole process that reads the same file with
   geopandas and builds ``libpysal.graph.Graph.build_contiguity(rook=False)``; the two run
   interleaved (peer, ours, peer, ours, ...) so both see the same machine load, and the ratio
   is taken of the medians. Target (issue 11 item 10): ours <= 0.7 x libpysal.
2. Province scope once loaded: the national data read once; then per province, the light steps
   a planner waits for (prepare, score every row, the distinct top 20 with stability, the
   explanations). Target: under 1 s for every province measured.
3. Stress: national kecamatan (``idn_adm3_simplified.gpkg``, 7,285 units) read, linked,
   enumerated and scored (sector water, kab/kota indicators given to each kecamatan through its
   kab/kota): wall and CPU time, peak memory, candidate count (targets, issue 10: whole run
   <= 45 s and <= 1 GB with maritime links on).
4. Portfolio vs spopt (SKATER, MaxP) on Kalimantan (provinces 61-65) with the same per-region
   gap/capacity scores as attributes; spopt regions of 2-5 members are scored with our scoring
   (best row with no flag and complete data, 0 if none: the rows our portfolio may use);
   report our total / spopt's and how many spopt regions break the 2-5 bound.

Each measured step runs in a fresh subprocess (``python bench_suggest.py --child STEP``) that
reports its own peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``); whole-process times
are measured by the parent around the subprocess.
Run: ``KERJASAMA_DATA=/path/to/data .venv/bin/python benchmarks/bench_suggest.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("KERJASAMA_DATA", ROOT.parent / "shared" / "data"))
ADM2 = DATA / "boundaries" / "idn_adm2.gpkg"
ADM3 = DATA / "boundaries" / "idn_adm3_simplified.gpkg"
IND = DATA / "indicators" / "idn_kabkota_indicators.csv"
KEYS = ["--boundary-key", "code_dot", "--indicator-key", "kemendagri_code_2025"]


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_suggest() -> dict:
    sys.path.insert(0, str(ROOT))
    from kerjasama.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "members.csv"
        argv = ["suggest", "--boundaries", str(ADM2), "--indicators", str(IND), *KEYS]
        argv += ["--sector", "water", "--all", "--members-csv", str(csv)]
        code = main(argv)
        rows = sum(1 for _ in csv.open()) - 1
    return {"seconds": time.perf_counter() - T0, "exit": code, "csv_rows": rows}


def child_libpysal() -> dict:
    import geopandas as gpd
    from libpysal.graph import Graph

    gdf = gpd.read_file(ADM2)
    t = time.perf_counter()
    g = Graph.build_contiguity(gdf, rook=False)
    return {"seconds": time.perf_counter() - t, "pairs": int(g.n_edges // 2)}


PROVINCES = ("64", "33", "35", "73", "91")


def child_province() -> dict:
    sys.path.insert(0, str(ROOT))
    from analysis import pipeline
    from analysis.config import load_config
    from kerjasama.present.words import explain_rows

    config = load_config()
    regions = pipeline.load_regions(ADM2)
    table, _, _ = pipeline.load_table(IND, regions, None, None, config)
    edges = pipeline.build_adjacency(regions)
    seats = pipeline.load_seats(regions, None, config)
    out = {}
    for province in PROVINCES:
        t = time.perf_counter()
        prepared = pipeline.prepare(regions, edges, province=province, seats=seats)
        cands = pipeline.score(prepared, table, "water", config=config)
        shown, _ = pipeline.finalize(cands, top=20)
        explain_rows(cands, shown, "id")
        out[province] = {"seconds": time.perf_counter() - t, "rows": len(cands)}
    return {"provinces": out}


def _kecamatan_table(regions):
    import pandas as pd

    from analysis.indicators import read_indicators

    raw, _ = read_indicators(IND)
    raw["kab"] = raw["kemendagri_code_2025"].astype(str).str.replace(".", "", regex=False)
    kab = regions["kab_code"].astype(str).str.replace(".", "", regex=False)
    table = raw.drop_duplicates("kab").set_index("kab").reindex(kab.to_numpy())
    table.index = regions.index
    return table.drop(columns=["code", "name"], errors="ignore").apply(
        pd.to_numeric, errors="coerce"
    )


def child_stress(maritime: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from analysis import pipeline
    from analysis.config import load_config

    config = load_config()
    t = time.perf_counter()
    regions = pipeline.load_regions(ADM3)
    edges = pipeline.build_adjacency(regions, maritime_km=None if maritime == "on" else 0)
    t_adj = time.perf_counter() - t
    prepared = pipeline.prepare(regions, edges, maritime=maritime == "on")
    t_enum = time.perf_counter() - t - t_adj
    table = _kecamatan_table(regions)
    cands = pipeline.score(prepared, table, "water", config=config)
    return {
        "seconds": time.perf_counter() - t,
        "cpu_s": _cpu_s(),
        "adjacency_s": t_adj,
        "prepare_s": t_enum,
        "sets": prepared.n_sets,
        "candidates": len(cands),
        "units": len(regions),
    }


def child_spopt() -> dict:
    sys.path.insert(0, str(ROOT))
    import warnings

    import numpy as np
    from libpysal.weights import W
    from spopt.region import MaxPHeuristic, Skater

    from analysis import pipeline
    from analysis.config import load_config

    warnings.filterwarnings("ignore")
    config = load_config()
    regions = pipeline.load_regions(ADM2)
    regions = regions[regions["province"].isin(["61", "62", "63", "64", "65"])]
    table, _, _ = pipeline.load_table(IND, regions, "code_dot", "kemendagri_code_2025", config)
    edges = pipeline.build_adjacency(regions)
    prepared = pipeline.prepare(regions, edges)
    ids = list(prepared.ids)
    cands = pipeline.score(prepared, table, "water", config=config)
    _, ours = pipeline.finalize(cands, portfolio=True, stability_draws=0)

    scope = table.loc[ids]
    sc = cands.regions
    gdf = regions.loc[ids].copy()
    gdf["gap"] = sc["gap"].fillna(sc["gap"].mean()).to_numpy()
    gdf["capacity"] = sc["capacity"].fillna(sc["capacity"].mean()).to_numpy()
    gdf["pop"] = scope[config.clusters.population].to_numpy(float)
    neigh = {i: [] for i in ids}
    for s, t in zip(edges["source"], edges["target"], strict=True):
        if s in neigh and t in neigh:
            neigh[s].append(t)
            neigh[t].append(s)
    w = W(neigh, id_order=ids, silence_warnings=True)
    gdf = gdf.reset_index(drop=True)
    w_pos = W(
        {
            k: [ids.index(x) for x in v]
            for k, v in zip(range(len(ids)), neigh.values(), strict=True)
        },
        silence_warnings=True,
    )
    del w
    k = max(2, len(ids) // 3)
    labels = {}
    sk = Skater(gdf, w_pos, ["gap", "capacity"], n_clusters=k, floor=2, trace=False)
    sk.solve()
    labels["SKATER"] = np.asarray(sk.labels_)
    threshold = float(np.sort(gdf["pop"])[-1])  # at least the largest region's population
    mp = MaxPHeuristic(gdf, w_pos, ["gap", "capacity"], "pop", threshold, top_n=2)
    np.random.seed(0)
    mp.solve()
    labels["MaxP"] = np.asarray(mp.labels_)

    # score each spopt region with our scoring: best qualifying form of that member set
    by_set = {}
    passing = np.flatnonzero(cands.passing)  # the rows the portfolio may use
    for key, value in zip(cands.members(passing), cands.score[passing], strict=True):
        by_set[key] = max(by_set.get(key, 0.0), float(value))
    out = {
        "ours_total": ours.total_score,
        "ours_clusters": len(ours.chosen),
        "ours_optimal": ours.optimal,
        "regions": len(ids),
    }
    for name, lab in labels.items():
        groups = {}
        for code, g in zip(ids, lab, strict=True):
            groups.setdefault(g, []).append(code)
        sets = [tuple(sorted(v)) for v in groups.values()]
        bad = sum(1 for s in sets if not 2 <= len(s) <= 5)
        total = sum(by_set.get(s, 0.0) for s in sets if 2 <= len(s) <= 5)
        out[name] = {"regions": len(sets), "outside_2_5": bad, "total": total}
    return out


def _run(step: str, *extra: str) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", step, *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "KERJASAMA_DATA": str(DATA)},
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "process_s": wall}


def national(repeats: int = 3) -> None:
    """Whole processes, interleaved: libpysal, ours, libpysal, ours, ..."""
    ours, peer = [], []
    for _ in range(repeats):
        p = _run("libpysal")
        o = _run("suggest")
        if "error" in p or "error" in o:
            print(f"suggest national: failed: {o.get('error')} {p.get('error')}")
            return
        peer.append(p)
        ours.append(o)
    mo = statistics.median(r["process_s"] for r in ours)
    mp = statistics.median(r["process_s"] for r in peer)
    pairs = ", ".join(
        f"{o['process_s'] / p['process_s']:.2f}" for o, p in zip(ours, peer, strict=True)
    )
    print(
        f"suggest national water --all --members-csv ({ours[0]['csv_rows']:,} member rows), whole "
        f"processes interleaved x{repeats}: ours median {mo:.2f} s, libpysal queen (read + "
        f"build) median {mp:.2f} s, ratio {mo / mp:.2f} (target <= 0.70; per pair {pairs}); "
        f"peak memory ours {max(r['peak_mb'] for r in ours):.0f} MB, libpysal "
        f"{max(r['peak_mb'] for r in peer):.0f} MB"
    )


def main() -> None:
    """Run every benchmark and print one line per result."""
    national()
    prov = _run("province")
    if "error" in prov:
        print(f"province scope: failed: {prov['error']}")
    else:
        times = ", ".join(
            f"{code} {v['seconds']:.2f} s ({v['rows']:,} rows)"
            for code, v in prov["provinces"].items()
        )
        worst = max(v["seconds"] for v in prov["provinces"].values())
        print(
            f"province scope once loaded (prepare + score + distinct top 20 with stability + "
            f"explanations, water): {times}; worst {worst:.2f} s (target < 1 s)"
        )
    for mode in ("on", "off"):
        s = _run("stress", mode)
        label = "with maritime links" if mode == "on" else "land only"
        if "error" in s:
            print(f"stress kecamatan ({label}): failed: {s['error']}")
            continue
        print(
            f"stress kecamatan {s['units']} units ({label}): {s['seconds']:.1f} s wall, "
            f"{s['cpu_s']:.1f} s CPU (adjacency {s['adjacency_s']:.1f} s, "
            f"enumeration+attributes {s['prepare_s']:.1f} s), {s['sets']:,} sets, "
            f"{s['candidates']:,} water candidates; peak memory {s['peak_mb']:.0f} MB "
            f"(targets with maritime links: <= 45 s, <= 1024 MB)"
        )
    p = _run("spopt")
    if "error" in p:
        print(f"portfolio vs spopt: failed: {p['error']}")
        return
    for name in ("SKATER", "MaxP"):
        q = p[name]
        ratio = p["ours_total"] / q["total"] if q["total"] > 0 else float("inf")
        print(
            f"portfolio vs spopt {name} (Kalimantan, {p['regions']} kab/kota, water): ours "
            f"{p['ours_total']:.3f} ({p['ours_clusters']} clusters, optimal {p['ours_optimal']}) "
            f"/ spopt {q['total']:.3f} = {ratio:.2f} (target >= 1); spopt regions {q['regions']}, "
            f"{q['outside_2_5']} outside 2-5 members"
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        step = sys.argv[2]
        fn = {
            "suggest": child_suggest,
            "libpysal": child_libpysal,
            "province": child_province,
            "spopt": child_spopt,
        }.get(step)
        result = fn() if fn else child_stress(sys.argv[3])
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
    else:
        main()
