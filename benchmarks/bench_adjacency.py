"""Benchmark: adjacency against libpysal Queen, side by side, plus the maritime table.

Run ``.venv/bin/python benchmarks/bench_adjacency.py [--repeat N]`` (reads
``$KERJASAMA_DATA/boundaries/``, default ``../shared/data``). Each measured step runs in a fresh
subprocess that reads the file and then times the step alone (the read is not timed for either
side); ours and libpysal alternate (ours, libpysal, ours, ...), and the minimum and median of each
are printed with their ratios. Peak memory is each child's own ``ru_maxrss`` (so it includes
Python, the imports and the data).

Printed:
* national kab/kota (``idn_adm2.gpkg``): ours = ``adjacency_edges`` with border lengths and
  maritime links at the default, libpysal = ``Graph.build_contiguity(rook=False)``; target
  ratio <= 0.5;
* national kecamatan (``idn_adm3_simplified.gpkg``, 7,285 units), ours with maritime links and
  land only; target: the whole step with maritime links <= 1 x libpysal;
* the maritime-threshold table: number of maritime links and of connected 2-5-region sets at
  several distances, which justifies ``DEFAULT_MARITIME_KM``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import machine, python, run  # noqa: E402

DISTANCES_KM = (0, 5, 10, 15, 20, 30)


def _data_file(name: str = "idn_adm2.gpkg") -> Path:
    folder = Path(os.environ.get("KERJASAMA_DATA", ROOT.parent / "shared" / "data"))
    return folder / "boundaries" / name


def _step(name: str, file: str) -> dict:
    """Run one measured step in this process (called inside the child)."""
    import geopandas as gpd

    from geo.adjacency import adjacency_edges
    from geo.boundaries import read_boundaries

    path = _data_file(file)
    result: dict = {}
    if name == "read":
        start = time.perf_counter()
        read_boundaries(path)
    elif name == "libpysal":
        from libpysal.graph import Graph

        gdf = gpd.read_file(path).set_index("code")
        start = time.perf_counter()
        graph = Graph.build_contiguity(gdf, rook=False)
        result["pairs"] = int(len(graph.adjacency[graph.adjacency > 0]) // 2)
    elif name in ("ours", "ours_land"):
        regions = read_boundaries(path)
        start = time.perf_counter()
        edges = adjacency_edges(regions, maritime_km=None if name == "ours_land" else 15.0)
        counts = edges["kind"].value_counts()
        result["land"] = int(counts.get("land", 0))
        result["maritime"] = int(counts.get("maritime", 0))
    else:
        raise SystemExit(f"unknown step {name}")
    result["seconds"] = time.perf_counter() - start
    return result


def _side_by_side(file: str, steps: tuple[str, ...], repeat: int) -> dict[str, list[dict]]:
    """Every step ``repeat`` times in fresh children, interleaved; one dict per child."""
    out: dict[str, list[dict]] = {step: [] for step in steps}
    for _ in range(repeat):
        for step in steps:
            proc = run(python(__file__, "--step", step, file))
            if proc.status != 0:
                raise RuntimeError(f"{step} on {file} failed: {proc.stderr[-500:]}")
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["peak_mb"] = proc.peak_mb
            out[step].append(result)
    return out


def _summary(runs: list[dict]) -> tuple[float, float, float]:
    seconds = [r["seconds"] for r in runs]
    return min(seconds), statistics.median(seconds), max(r["peak_mb"] for r in runs)


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


def main(argv: list[str] | None = None) -> None:
    """Print the side-by-side measurements and the maritime-threshold table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = _data_file()
    if not path.is_file():
        raise SystemExit(f"{path} not found: set KERJASAMA_DATA to the shared data folder")
    print(f"adjacency benchmarks, {machine()}")
    read = _summary(_side_by_side("idn_adm2.gpkg", ("read",), args.repeat)["read"])
    print(f"adjacency read: idn_adm2.gpkg {read[0]:.2f} s (read_boundaries, min of {args.repeat})")
    national = _side_by_side("idn_adm2.gpkg", ("ours", "libpysal"), args.repeat)
    o, q = _summary(national["ours"]), _summary(national["libpysal"])
    last = national["ours"][-1]
    print(
        f"adjacency national kab/kota (interleaved, {args.repeat} pairs): ours min {o[0]:.2f} s "
        f"/ median {o[1]:.2f} s, libpysal queen min {q[0]:.2f} s / median {q[1]:.2f} s; ratio of "
        f"mins {o[0] / q[0]:.2f}, of medians {o[1] / q[1]:.2f} (target <= 0.5); peak memory "
        f"ours {o[2]:.0f} MB, libpysal {q[2]:.0f} MB; edges ours {last['land']} land + "
        f"{last['maritime']} maritime, libpysal {national['libpysal'][-1]['pairs']} pairs"
    )
    kec = _side_by_side("idn_adm3_simplified.gpkg", ("ours", "ours_land", "libpysal"), args.repeat)
    o, land, q = (_summary(kec[k]) for k in ("ours", "ours_land", "libpysal"))
    last = kec["ours"][-1]
    print(
        f"adjacency national kecamatan, 7,285 units (interleaved, {args.repeat} rounds): ours "
        f"with maritime links min {o[0]:.2f} s / median {o[1]:.2f} s, land only min "
        f"{land[0]:.2f} s / median {land[1]:.2f} s, libpysal queen min {q[0]:.2f} s / median "
        f"{q[1]:.2f} s; ratio with maritime links: of mins {o[0] / q[0]:.2f}, of medians "
        f"{o[1] / q[1]:.2f} (target <= 1), land only {land[1] / q[1]:.2f}; peak memory ours "
        f"{o[2]:.0f} MB, libpysal {q[2]:.0f} MB; edges ours {last['land']} land + "
        f"{last['maritime']} maritime"
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
    if len(sys.argv) == 4 and sys.argv[1] == "--step":
        print(json.dumps(_step(sys.argv[2], sys.argv[3])))
    else:
        main()
