"""Benchmark: adjacency of the national kab/kota file against libpysal, plus the maritime table.

Run ``.venv/bin/python benchmarks/bench_adjacency.py`` (reads ``$KERJASAMA_DATA/boundaries/
idn_adm2.gpkg``, default ``../shared/data``). Each measured step runs in a fresh subprocess; its
wall time is measured inside the child (best of 3) and its peak memory is the child's own
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (so it includes Python, the imports and the data).

Printed:
* read time, libpysal ``Graph.build_contiguity(rook=False)`` time, ours (``adjacency_edges`` with
  border lengths and maritime links at the default), the ratio (target <= 0.5) and peak memory;
* the maritime-threshold table: number of maritime links and of connected 2-5-region sets at
  several distances, which justifies ``DEFAULT_MARITIME_KM``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTANCES_KM = (0, 5, 10, 15, 20, 30)
REPEAT = 3  # best of REPEAT runs inside each child


def _data_file() -> Path:
    folder = Path(os.environ.get("KERJASAMA_DATA", ROOT.parent / "shared" / "data"))
    return folder / "boundaries" / "idn_adm2.gpkg"


def _step(name: str) -> dict:
    """Run one measured step in this process (called inside the child)."""
    import geopandas as gpd

    from geo.adjacency import adjacency_edges
    from geo.boundaries import read_boundaries

    path = _data_file()
    result: dict = {}
    if name == "read":
        best = min(_timed(lambda: read_boundaries(path)) for _ in range(REPEAT))
    elif name == "libpysal":
        from libpysal.graph import Graph

        gdf = gpd.read_file(path).set_index("code")
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            graph = Graph.build_contiguity(gdf, rook=False)
            timings.append(time.perf_counter() - start)
        best = min(timings)
        result["pairs"] = int(len(graph.adjacency[graph.adjacency > 0]) // 2)
    elif name == "ours":
        regions = read_boundaries(path)
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            edges = adjacency_edges(regions)
            timings.append(time.perf_counter() - start)
        best = min(timings)
        counts = edges["kind"].value_counts()
        result["land"] = int(counts.get("land", 0))
        result["maritime"] = int(counts.get("maritime", 0))
    else:
        raise SystemExit(f"unknown step {name}")
    result["seconds"] = best
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return result


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _run_child(name: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--step", name], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def count_connected_sets(n: int, pairs, max_size: int = 5) -> dict[int, int]:
    """Number of connected induced sub-graphs with 2..max_size nodes (ESU enumeration)."""
    nbrs = [set() for _ in range(n)]
    for a, b in pairs:
        nbrs[a].add(b)
        nbrs[b].add(a)
    counts = dict.fromkeys(range(2, max_size + 1), 0)

    def extend(members: list[int], extension: set[int], root: int, closed: set[int]) -> None:
        size = len(members)
        if size >= 2:
            counts[size] += 1
        if size == max_size:
            return
        ext = set(extension)
        while ext:
            w = ext.pop()
            new = {u for u in nbrs[w] if u > root and u not in closed}
            extend(members + [w], ext | new, root, closed | new | {w})

    for v in range(n):
        start = {u for u in nbrs[v] if u > v}
        extend([v], start, v, start | {v})
    return counts


def maritime_table(distances=DISTANCES_KM) -> list[dict]:
    """Links and connected 2-5 sets for each maritime distance (0 = land only)."""
    import geo.adjacency as adjacency
    from geo.adjacency import adjacency_edges, to_graph
    from geo.boundaries import read_boundaries

    regions = read_boundaries(_data_file())
    ids = list(regions.index)
    pos = {c: k for k, c in enumerate(ids)}
    rows = []
    for km in distances:
        edges = adjacency_edges(regions, maritime_km=km or None)
        pairs = [(pos[a], pos[b]) for a, b in zip(edges["source"], edges["target"], strict=True)]
        sets = count_connected_sets(len(ids), pairs)
        counts = edges["kind"].value_counts()
        # the same without the sea-crossing test (every non-land pair within the distance)
        saved = adjacency.MIN_SEA_FRACTION
        adjacency.MIN_SEA_FRACTION = 0.0
        try:
            loose = adjacency_edges(regions, maritime_km=km or None)
        finally:
            adjacency.MIN_SEA_FRACTION = saved
        rows.append(
            {
                "km": km,
                "any_pairs": int((loose["kind"] == "maritime").sum()),
                "land": int(counts.get("land", 0)),
                "maritime": int(counts.get("maritime", 0)),
                "components": int(to_graph(edges, ids).n_components),
                "sets": sum(sets.values()),
                "by_size": sets,
            }
        )
    return rows


def main() -> None:
    """Print the adjacency benchmark and the maritime-threshold table."""
    path = _data_file()
    if not path.is_file():
        raise SystemExit(f"{path} not found: set KERJASAMA_DATA to the shared data folder")
    read = _run_child("read")
    peer = _run_child("libpysal")
    ours = _run_child("ours")
    ratio = ours["seconds"] / peer["seconds"]
    print(
        f"adjacency read: idn_adm2.gpkg {read['seconds']:.2f} s (read_boundaries, best of {REPEAT})"
    )
    print(
        f"adjacency national: ours {ours['seconds']:.2f} s, "
        f"libpysal queen {peer['seconds']:.2f} s, "
        f"ratio {ratio:.2f} (target <= 0.5); peak memory ours {ours['peak_mb']:.0f} MB, "
        f"libpysal {peer['peak_mb']:.0f} MB (ru_maxrss of a fresh subprocess per step)"
    )
    print(
        f"adjacency edges: ours {ours['land']} land + {ours['maritime']} maritime; "
        f"libpysal queen {peer['pairs']} pairs"
    )
    print("adjacency maritime table (distance km, maritime links, components, connected 2-5 sets):")
    for row in maritime_table():
        sizes = " ".join(f"{k}:{v}" for k, v in row["by_size"].items())
        print(
            f"  {row['km']:>3} km: maritime {row['maritime']:>4} "
            f"(without the sea-crossing test {row['any_pairs']:>4}), "
            f"components {row['components']:>3}, "
            f"sets {row['sets']:>7} ({sizes})"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--step":
        print(json.dumps(_step(sys.argv[2])))
    else:
        main()
