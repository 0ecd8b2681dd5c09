"""Results derived from a boundary file, shipped with it so the app does not compute them.

A data folder may hold, in ``boundaries/derived/``, for its boundary file ``<stem>.<ext>``:

``<stem>.adjacency.parquet``
    :func:`analysis.pipeline.build_adjacency` of all regions (the edge table, as computed).
``<stem>.display.parquet``
    :func:`geo.display.display_regions` of all regions (the national map's display geometry).

Each file records in its Parquet metadata (key ``kerjasama``) the sha256 of the boundary file it
was computed from and the parameters it depends on (adjacency: Queen/Rook, tolerance, maritime
distance; display: tolerance and decimals; both: the GEOS version, whose predicates and
simplification made them). A reader gets the table only when both match the file being opened,
today's settings and the installed GEOS; otherwise ``None``, and the caller computes (a user's
own data, a changed boundary file or setting, or a GEOS release that could give another result
is never served a stale one). The bundled ``data/``
folder ships both files (``scripts/build_default_data.py`` writes them; a test checks that they
equal what the code computes now). Nothing here changes a result: the files hold exactly what the
functions return.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

#: Folder of the derived files, under the boundary file's folder.
FOLDER = "derived"
#: Parquet metadata key of the record (digest and parameters).
KEY = b"kerjasama"
#: Parquet writing options: deterministic bytes for the same frame and library versions.
_PARQUET = {"compression": "zstd", "compression_level": 9}


def derived_path(boundaries: Path, kind: str) -> Path:
    """Where the ``kind`` (``adjacency`` or ``display``) file of ``boundaries`` is kept."""
    boundaries = Path(boundaries)
    return boundaries.parent / FOLDER / f"{boundaries.stem}.{kind}.parquet"


@functools.lru_cache(maxsize=8)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """sha256 (hex) of a file's bytes (kept per path, size and modification time)."""
    stat = os.stat(path)
    return _digest(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


def adjacency_parameters() -> dict:
    """The settings :func:`analysis.pipeline.build_adjacency` uses by default."""
    from geo import adjacency

    return {
        "rook": False,
        "tolerance_m": float(adjacency.DEFAULT_TOLERANCE_M),
        "maritime_km": float(adjacency.DEFAULT_MARITIME_KM),
        "geos": _geos(),
    }


def display_parameters(regions: pd.DataFrame) -> dict:
    """The settings :func:`geo.display.display_regions` uses by default for ``regions``."""
    from geo.display import display_digits, display_tolerance

    tolerance = display_tolerance(regions)
    digits = display_digits(tolerance)
    return {"regions": len(regions), "tolerance": tolerance, "digits": digits, "geos": _geos()}


def _geos() -> str:
    """The GEOS version shapely runs on (its predicates and simplification made the files)."""
    import shapely

    return shapely.geos_version_string


def _record(boundaries: Path, kind: str, parameters: dict, proven: dict | None = None) -> dict:
    record = {"kind": kind, "sha256": file_digest(boundaries), "parameters": parameters}
    return record if proven is None else {**record, "proven": proven}


def write(
    frame: pd.DataFrame,
    boundaries: Path,
    kind: str,
    parameters: dict,
    proven: dict | None = None,
) -> Path:
    """Write ``frame`` (the ``kind`` result of ``boundaries`` under ``parameters``) with its
    record, through a temporary file renamed into place; return the path written. ``proven``:
    what a check of ``boundaries`` as read established (``{"valid_geometry": True}``: every
    geometry valid, see :func:`proven_valid`)."""
    import pyarrow.parquet as pq

    path = derived_path(boundaries, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        frame.to_parquet(tmp, index=None, **_PARQUET)  # geopandas adds its "geo" metadata
        table = pq.read_table(tmp)
        record = json.dumps(_record(boundaries, kind, parameters, proven), sort_keys=True)
        metadata = {**(table.schema.metadata or {}), KEY: record.encode()}
        pq.write_table(table.replace_schema_metadata(metadata), tmp, **_PARQUET)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _stored(boundaries: Path, kind: str) -> dict | None:
    """The record of the ``kind`` file of ``boundaries`` if it was computed from this file."""
    import pyarrow.parquet as pq

    path = derived_path(boundaries, kind)
    try:
        if not path.is_file():
            return None
        record = json.loads((pq.read_schema(path).metadata or {}).get(KEY, b"null"))
        if not isinstance(record, dict) or record.get("kind") != kind:
            return None
        return record if record.get("sha256") == file_digest(boundaries) else None
    except (OSError, ValueError):
        return None


def _matches(boundaries: Path, kind: str, parameters: dict) -> Path | None:
    """The ``kind`` file of ``boundaries`` if its record matches the file and ``parameters``."""
    record = _stored(boundaries, kind)
    expected = json.loads(json.dumps(parameters))  # as stored: JSON types
    if record is None or record.get("parameters") != expected:
        return None
    return derived_path(boundaries, kind)


def proven_valid(boundaries: Path) -> bool:
    """Whether every geometry of ``boundaries`` as read was found valid when its derived files
    were built (recorded with the adjacency, for this very file, by the installed GEOS): the
    reader may then skip its validity check (:func:`geo.boundaries.read_boundaries`
    ``known_valid``)."""
    record = _stored(boundaries, "adjacency")
    return (
        record is not None
        and record.get("proven") == {"valid_geometry": True}
        and (record.get("parameters") or {}).get("geos") == _geos()
    )


def as_built(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame read back from Parquet with its text columns (and index) as objects, as built."""
    text = frame.select_dtypes(include=["string"]).columns
    frame = frame.astype({c: object for c in text})
    if isinstance(frame.index.dtype, pd.StringDtype):
        frame.index = frame.index.astype(object)
    return frame


def shipped_adjacency(boundaries: Path) -> pd.DataFrame | None:
    """The shipped edge table of ``boundaries`` if it was computed from this very file with
    today's adjacency settings, else ``None``."""
    path = _matches(boundaries, "adjacency", adjacency_parameters())
    if path is None:
        return None
    try:
        return as_built(pd.read_parquet(path))
    except (OSError, ValueError):
        return None


def ships_display(regions: pd.DataFrame, boundaries: Path) -> bool:
    """Whether :func:`shipped_display` has a file for ``regions`` of ``boundaries`` (its record
    matches; the index is checked when it is read)."""
    return _matches(boundaries, "display", display_parameters(regions)) is not None


def shipped_display(regions: pd.DataFrame, boundaries: Path):
    """The shipped display geometry when ``regions`` are all regions of ``boundaries`` (same
    order) and the file and display settings match, else ``None``."""
    path = _matches(boundaries, "display", display_parameters(regions))
    if path is None:
        return None
    import geopandas as gpd

    try:
        display = gpd.read_parquet(path)  # text as built: pandas' str dtype
    except (OSError, ValueError):
        return None
    return display if list(display.index) == list(regions.index) else None
