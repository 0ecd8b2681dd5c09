"""Where the data lives.

The data folder holds ``boundaries/`` and ``indicators/``, laid out like the project's shared data
folder. It is found from, in order: an explicit argument (``--data``), the ``KERJASAMA_DATA``
environment variable, then ``data/`` next to the code: the repository's own ``data/`` folder,
which ships the default data for all Indonesia (``data/README.md``). An installed wheel has no
such folder; without ``--data`` or ``KERJASAMA_DATA`` it says where to get one.
The default file names inside it come from the ``[data]`` table of the sector config
(``analysis/sectors.toml``), the one place for that fact. When the default name is absent and the
folder holds a single file of the kind, that file is used (the bundled ``idn_adm2.parquet``).
"""

from __future__ import annotations

import os
from pathlib import Path

from common.errors import MissingDataError
from common.text import Msg

ENV_VAR = "KERJASAMA_DATA"
REPO_ROOT = Path(__file__).resolve().parent.parent
BOUNDARY_SUFFIXES = (".gpkg", ".parquet", ".shp", ".geojson", ".json", ".zip")
INDICATOR_SUFFIXES = (".csv", ".xlsx")


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder (it may not exist; see :func:`require_data_dir`)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return REPO_ROOT / "data"


def _installed() -> bool:
    """Whether the code runs from an installed wheel (no source tree, so no ``data/`` beside it)."""
    return not (REPO_ROOT / "pyproject.toml").is_file()


def require_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder, or raise :class:`MissingDataError` saying what is missing."""
    if not explicit and not os.environ.get(ENV_VAR) and _installed():
        raise MissingDataError(
            "errors.data.installed_no_folder",
            env=ENV_VAR,
            how=Msg("errors.paths.how_to_get_data"),
        )
    folder = data_dir(explicit)
    missing = [sub for sub in ("boundaries", "indicators") if not (folder / sub).is_dir()]
    if missing:
        where = (
            f"--data {explicit}"
            if explicit
            else (f"{ENV_VAR}={os.environ[ENV_VAR]}" if os.environ.get(ENV_VAR) else "data/")
        )
        raise MissingDataError(
            "errors.paths.no_folder" if len(missing) == 1 else "errors.paths.no_folders",
            folder=folder,
            where=where,
            name=missing[0],
            how=Msg("errors.paths.how_to_get_data"),
        )
    return folder


def _pick(folder: Path, suffixes: tuple[str, ...], preferred: str | None, boundary: bool) -> Path:
    if preferred and (folder / preferred).is_file():
        return folder / preferred
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file())
    if not found:
        raise MissingDataError(
            "errors.paths.no_boundary_file" if boundary else "errors.paths.no_indicator_file",
            folder=folder,
            suffixes=", ".join(suffixes),
            how=Msg("errors.paths.how_to_get_data"),
        )
    if len(found) > 1:
        raise MissingDataError(
            "errors.paths.several_boundary_files"
            if boundary
            else "errors.paths.several_indicator_files",
            folder=folder,
            names=", ".join(p.name for p in found),
            preferred=str(preferred),
        )
    return found[0]


def default_boundaries(
    explicit: str | os.PathLike[str] | None = None, preferred: str | None = None
) -> Path:
    """The boundary file of the data folder (``preferred`` name if present, else the only one)."""
    return _pick(require_data_dir(explicit) / "boundaries", BOUNDARY_SUFFIXES, preferred, True)


def default_indicators(
    explicit: str | os.PathLike[str] | None = None, preferred: str | None = None
) -> Path:
    """The indicator table of the data folder (``preferred`` name if present, else the only one)."""
    return _pick(require_data_dir(explicit) / "indicators", INDICATOR_SUFFIXES, preferred, False)
