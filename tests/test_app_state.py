"""The app's view in the URL and the selection that follows candidates (no browser)."""

from __future__ import annotations

import pandas as pd

from kerjasama.webapp.state import (
    ALL,
    Options,
    View,
    apply_table_ticks,
    cluster_ids,
    parse_query,
    resolve_selection,
    to_query,
)

OPTIONS = Options(
    provinces=["64", "81"],
    sectors=["water", "waste"],
    forms={"water": ["joint", "contract"], "waste": ["joint"]},
    weights={"joint": {"need": 0.5, "scale": 0.25}, "contract": {"capacity": 0.3}},
)
DEFAULT = View(scope="64", sector="water", forms=("joint", "contract"), top=20)


def test_query_round_trip():
    view = View(
        lang="en",
        scope="81",
        sector="waste",
        sizes=(2, 3),
        forms=("joint",),
        maritime=False,
        cross=True,
        top=7,
        weights={"joint": {"need": 0.2, "scale": 0.25}},
        view="portfolio",
        flagged=True,
        voluntary=40,
        selected=["waste-joint-8101-8102", "waste-joint-8103-8104-8105"],
        opened="waste-joint-8101-8102",
    )
    query = to_query(view, OPTIONS, DEFAULT)
    assert query["w"] == "joint.need=0.2"  # only weights that differ from the config
    assert "forms" not in query  # all forms of the sector: the default
    assert query["vol"] == "40" and query["flagged"] == "1"
    back = parse_query(query, OPTIONS, DEFAULT)
    assert back == View(**{**view.__dict__, "weights": {"joint": {"need": 0.2}}})


def test_query_defaults_are_short():
    query = to_query(DEFAULT, OPTIONS, DEFAULT)
    assert query == {"lang": "id", "scope": "64", "sector": "water"}


def test_hostile_query_keeps_defaults():
    query = {
        "lang": "xx",
        "scope": "../../etc",
        "sector": "<script>",
        "size": "1-9",
        "forms": "joint,evil",
        "top": "100000",
        "w": "joint.need=7,joint.__class__=0.1,contract.capacity=abc,joint.scale=0.4",
        "view": "eval",
        "sel": "water-joint-6401-6402,'; drop,water-joint-6401",
        "open": "<img src=x>",
        "mar": "maybe",
        "vol": "9999",
        "flagged": "<b>",
    }
    view = parse_query(query, OPTIONS, DEFAULT)
    assert (view.lang, view.scope, view.sector, view.sizes) == ("id", "64", "water", (2, 5))
    assert view.forms == ("joint",) and view.top == 20 and view.view == "top"
    assert view.weights == {"joint": {"scale": 0.4}}
    assert view.selected == ["water-joint-6401-6402"] and view.opened is None
    assert view.maritime is True and view.voluntary == 0 and view.flagged is False
    assert parse_query({"scope": "all"}, OPTIONS, DEFAULT).scope == ALL
    assert cluster_ids(",".join(f"water-joint-64{i:02d}-6499" for i in range(300)))[-1] == (
        "water-joint-64199-6499"
    )


def test_selection_follows_cluster_ids_not_rows():
    ranked = {"water-joint-1-2": 0, "water-joint-2-3": 1, "water-joint-3-4": 2}
    shown = ["water-joint-1-2", "water-joint-2-3"]
    selected = ["water-joint-3-4", "water-joint-1-2", "water-joint-8-9", "waste-joint-1-2"]
    sel = resolve_selection(selected, ranked, shown, "water")
    assert sel.shown == ("water-joint-1-2",)
    assert sel.elsewhere == (("water-joint-3-4", 3),)
    assert sel.dropped == ("water-joint-8-9",)  # never silently replaced
    # re-scored: the same ids, other ranks and rows
    reranked = {"water-joint-3-4": 0, "water-joint-4-5": 1, "water-joint-1-2": 2}
    again = resolve_selection(selected, reranked, ["water-joint-3-4", "water-joint-4-5"], "water")
    assert again.shown == ("water-joint-3-4",)
    assert again.elsewhere == (("water-joint-1-2", 3),)
    assert again.dropped == ("water-joint-8-9",)


def test_a_selected_candidate_that_became_a_variant_is_named_as_such():
    """After a re-scoring, a ticked candidate that is now a variant of a listed suggestion
    stays selected and is reported as "variant of #k" (not as elsewhere, never replaced)."""
    ranked = {"water-joint-1-2": 0, "water-joint-1-2-3": 1, "water-joint-7-8": 4}
    shown = ["water-joint-1-2"]
    selected = ["water-joint-1-2-3", "water-joint-7-8", "water-joint-1-2"]
    sel = resolve_selection(selected, ranked, shown, "water", {"water-joint-1-2-3": 1})
    assert sel.shown == ("water-joint-1-2",)
    assert sel.variants == (("water-joint-1-2-3", 2, 1),)
    assert sel.elsewhere == (("water-joint-7-8", 5),)
    assert sel.dropped == ()


def test_table_ticks_update_only_the_shown_rows():
    shown = ("a-x-1-2", "a-x-2-3", "a-x-3-4")
    selected = ["a-x-9-8", "a-x-2-3"]
    assert apply_table_ticks(selected, shown, [0, 1]) == ["a-x-9-8", "a-x-2-3", "a-x-1-2"]
    assert apply_table_ticks(selected, shown, []) == ["a-x-9-8"]
    assert apply_table_ticks(selected, shown, [2, 7, -1]) == ["a-x-9-8", "a-x-3-4"]


def test_adjacency_kept_between_server_starts(real_data, tmp_path, monkeypatch):
    """The data folder's edge table is computed once and read back, equal, on the next start."""
    from analysis import pipeline
    from kerjasama.webapp import compute

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    boundaries = real_data / "boundaries" / "kaltim_adm2.shp"
    regions = pipeline.load_regions(boundaries)
    first = compute.cached_adjacency(regions, boundaries)
    path = compute.adjacency_cache_path(boundaries)
    assert path.is_file() and str(tmp_path) in str(path)
    pd.testing.assert_frame_equal(compute.cached_adjacency(regions, boundaries), first)
    pd.testing.assert_frame_equal(first, pipeline.build_adjacency(regions))
    path.write_bytes(b"not parquet")  # a damaged cache is computed again
    pd.testing.assert_frame_equal(compute.cached_adjacency(regions, boundaries), first)


def test_display_geometry_kept_between_server_starts(real_data, tmp_path, monkeypatch):
    import shapely

    from analysis import pipeline
    from geo.display import display_regions
    from kerjasama.webapp import compute

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    boundaries = real_data / "boundaries" / "kaltim_adm2.shp"
    regions = pipeline.load_regions(boundaries)
    built = display_regions(regions)
    first = compute.cached_display(regions, boundaries)
    again = compute.cached_display(regions, boundaries)  # read from the cache
    assert list(again.index) == list(built.index) and list(again["name"]) == list(built["name"])
    assert shapely.equals(again.geometry.values, built.geometry.values).all()
    assert shapely.equals(first.geometry.values, built.geometry.values).all()
    assert compute.cached_display(regions.iloc[:3], boundaries).index.tolist() == list(
        regions.index[:3]
    )  # another scope, another file
