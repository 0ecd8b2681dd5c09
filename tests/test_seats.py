"""Seats of government: reading, joining by code, the estimated fallback, distances, voluntary
links."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Polygon, box

from common.errors import InputError
from geo.seats import read_seats, seat_distances_km, seats_path, voluntary_edges


def _regions() -> gpd.GeoDataFrame:
    # a C-shaped region (its centroid falls outside it) and two squares
    c_shape = Polygon([(110, 0), (110.3, 0), (110.3, 0.1), (110.1, 0.1), (110.1, 0.2),
                       (110.3, 0.2), (110.3, 0.3), (110, 0.3)])  # fmt: skip
    geoms = [c_shape, box(110.4, 0, 110.5, 0.1), box(111.5, 0, 111.6, 0.1)]
    out = gpd.GeoDataFrame(
        {"name": ["C", "Square", "Far"]}, geometry=geoms, crs="EPSG:4326",
        index=pd.Index(["6401", "6402", "6403"], name="code"),
    )  # fmt: skip
    return out


def _write(tmp_path, text: str):
    path = tmp_path / "regions_seats.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_fallback_point_lies_inside_even_when_the_centroid_does_not():
    regions = _regions()
    assert not regions.geometry.iloc[0].contains(regions.geometry.iloc[0].centroid)
    seats = read_seats(regions, None)
    assert seats.n_estimated == 3 and seats.source is None
    for code, geom in regions.geometry.items():
        from shapely.geometry import Point

        assert geom.contains(Point(seats.lon[code], seats.lat[code]))


def test_join_by_code_with_either_point_columns(tmp_path):
    regions = _regions()
    path = _write(tmp_path, "code_dot,kec_lon,kec_lat,lon,lat\n64.02,110.45,0.05,0,0\n")
    seats = read_seats(regions, path)
    assert seats.n_estimated == 2 and not seats.estimated["6402"]
    assert (seats.lon["6402"], seats.lat["6402"]) == (110.45, 0.05)  # kec_ columns preferred
    plain = _write(tmp_path, "code,lon,lat\n6402,110.46,0.06\n9999,1,1\n")
    assert read_seats(regions, plain).lon["6402"] == 110.46  # unknown codes are ignored


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("id,x,y\n6402,1,1\n", "needs a code column"),
        ("code,lon,lat\n6402,abc,0.05\n", "line 2"),
        ("code,lon,lat\n6402,110.45,95\n", "line 2"),
        ("code,lon,lat\n6402,110.45,0.05\n64.02,110.45,0.05\n", "more than once"),
        ("code,lon,lat\n6402,111.55,0.05\n", "outside their own region"),
    ],
)
def test_bad_seat_tables_name_the_file_and_the_fix(tmp_path, text, says):
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=says) as err:
        read_seats(_regions(), path)
    assert str(path) in str(err.value)


def test_seats_path_next_to_the_boundaries(tmp_path):
    (tmp_path / "idn_adm2.gpkg").write_bytes(b"")
    assert seats_path(tmp_path / "idn_adm2.gpkg") is None
    (tmp_path / "fallback.csv").write_text("code,lon,lat\n", encoding="utf-8")
    assert seats_path(tmp_path / "idn_adm2.gpkg", "fallback.csv") == tmp_path / "fallback.csv"
    (tmp_path / "idn_adm2_seats.csv").write_text("code,lon,lat\n", encoding="utf-8")
    assert seats_path(tmp_path / "idn_adm2.gpkg", "fallback.csv").name == "idn_adm2_seats.csv"


def test_distances_are_ellipsoidal():
    seats = read_seats(_regions(), None)
    km = seat_distances_km(seats, np.array([0, 0]), np.array([1, 2]))
    geod = Geod(ellps="WGS84")
    x, y = seats.lon.to_numpy(), seats.lat.to_numpy()
    for k, j in enumerate((1, 2)):
        assert km[k] == pytest.approx(geod.inv(x[0], y[0], x[j], y[j])[2] / 1000, rel=1e-9)


def test_voluntary_edges_only_between_unlinked_seats_within_reach():
    regions = _regions()
    seats = read_seats(regions, None)
    edges = pd.DataFrame(
        {"source": ["6401"], "target": ["6402"], "kind": ["land"], "shared_border_km": [1.0],
         "distance_km": [0.0]}
    )  # fmt: skip
    none = voluntary_edges(seats, edges, 50)
    assert len(none) == 0  # 6401-6402 already bordering, 6403 ~140 km away
    some = voluntary_edges(seats, edges, 200)
    assert set(zip(some["source"], some["target"], strict=True)) == {
        ("6401", "6403"),
        ("6402", "6403"),
    }
    assert (some["kind"] == "voluntary").all() and (some["distance_km"] <= 200).all()


@pytest.mark.realdata
def test_bundled_seats_join_every_kabupaten_kota(national_adm2):
    from analysis import pipeline
    from analysis.config import load_config

    regions = pipeline.load_regions(national_adm2)
    seats = pipeline.load_seats(regions, None, load_config())
    assert seats.n_estimated == 0 and len(seats.lon) == 514
    assert seats.source.endswith("idn_adm2_seats.csv")
    # Penajam Paser Utara to Balikpapan: across the bay, a few tens of km
    pos = {c: i for i, c in enumerate(seats.lon.index)}
    km = seat_distances_km(seats, np.array([pos["6409"]]), np.array([pos["6471"]]))[0]
    assert 5 < km < 40
