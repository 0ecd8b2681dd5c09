"""Where the data lives.

The data folder holds ``boundaries/`` and ``indicators/``, laid out like the project's shared data
folder. It is found from, in order: an explicit argument (``--data``), the ``KERJASAMA_DATA``
environment variable, then ``data/`` next to the code (the repository's own ``data/`` folder).
The default file names inside it come from the ``[data]`` table of the sector config
(``analysis/sectors.toml``), the one place for that fact.
"""

from __future__ import annotations

import os
from pathlib import Path

from kerjasama.errors import MissingDataError

ENV_VAR = "KERJASAMA_DATA"
REPO_ROOT = Path(__file__).resolve().parent.parent
BOUNDARY_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".zip")
INDICATOR_SUFFIXES = (".csv", ".xlsx")

HOW_TO_GET_DATA = """\
How to get data:
  * Boundaries (kab/kota polygons): BIG's RBI administrative boundaries
    (https://tanahair.indonesia.go.id), or a public kab/kota GeoPackage/Shapefile such as the one
    described in docs/data.md. Put it in <data>/boundaries/ (Shapefile with .shp/.shx/.dbf/.prj,
    a .zip holding one, GeoPackage or GeoJSON).
  * Indicators: BPS tables per kab/kota (https://www.bps.go.id, "Tabel Statistik"), exported as
    CSV or XLSX, one row per kab/kota with a region code column. Put it in <data>/indicators/.
  * Then set KERJASAMA_DATA=<data> (or pass --data <data>), or put the files in the repository's
    data/ folder."""


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder (it may not exist; see :func:`require_data_dir`)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return REPO_ROOT / "data"


def require_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder, or raise :class:`MissingDataError` saying what is missing."""
    folder = data_dir(explicit)
    missing = [sub for sub in ("boundaries", "indicators") if not (folder / sub).is_dir()]
    if missing:
        where = (
            f"--data {explicit}"
            if explicit
            else (f"{ENV_VAR}={os.environ[ENV_VAR]}" if os.environ.get(ENV_VAR) else "data/")
        )
        raise MissingDataError(
            f"Data folder {folder} (from {where}) has no "
            + " and no ".join(f"{m}/ folder" for m in missing)
            + ".\n"
            + HOW_TO_GET_DATA
        )
    return folder


def _pick(folder: Path, suffixes: tuple[str, ...], preferred: str | None, what: str) -> Path:
    if preferred and (folder / preferred).is_file():
        return folder / preferred
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file())
    if not found:
        raise MissingDataError(
            f"No {what} file in {folder} (looked for {', '.join(suffixes)}).\n" + HOW_TO_GET_DATA
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise MissingDataError(
            f"Several {what} files in {folder} ({names}) and none is the default "
            f"'{preferred}'. Name the one to use on the command line."
        )
    return found[0]


def default_boundaries(
    explicit: str | os.PathLike[str] | None = None, preferred: str | None = None
) -> Path:
    """The boundary file of the data folder (``preferred`` name if present, else the only one)."""
    return _pick(
        require_data_dir(explicit) / "boundaries", BOUNDARY_SUFFIXES, preferred, "boundary"
    )


def default_indicators(
    explicit: str | os.PathLike[str] | None = None, preferred: str | None = None
) -> Path:
    """The indicator table of the data folder (``preferred`` name if present, else the only one)."""
    return _pick(
        require_data_dir(explicit) / "indicators", INDICATOR_SUFFIXES, preferred, "indicator"
    )
