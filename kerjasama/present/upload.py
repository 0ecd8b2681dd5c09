"""Uploaded files (Streamlit) to validated boundaries and indicators.

Uploads are hostile until proven otherwise: each file is size-checked, written under a fixed
name (never the uploaded name, so no path from the user is used) inside a fresh
:class:`tempfile.TemporaryDirectory`, zips are checked member by member by
:func:`geo.safezip.safe_extract` (absolute paths, ``..``, links, too many members, size bombs),
and the files are then read by the same functions as the command line
(:func:`analysis.pipeline.load_regions`, :func:`analysis.pipeline.load_table`, which applies
the join check). The folder is removed before the function returns; messages name the uploaded
file, not the temporary path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

import pandas as pd

from common.errors import InputError, KerjasamaError

MAX_UPLOAD_MB = 100
MAX_ZIP_MEMBERS = 200
ZIP_EXPAND_FACTOR = 10  # a zip may unpack to at most 10x the upload limit
BOUNDARY_SINGLE = (".zip", ".gpkg", ".geojson", ".json")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE_REQUIRED = (".shp", ".shx", ".dbf")
INDICATOR_TYPES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the browser gave and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


@dataclass
class UploadedData:
    """What :func:`read_uploads` returns (everything in memory; no file is kept)."""

    regions: pd.DataFrame
    table: pd.DataFrame
    report: object
    problems: list
    boundary_name: str
    indicator_name: str


def check_size(upload: Upload, *, limit_mb: float = MAX_UPLOAD_MB) -> None:
    """Raise :class:`InputError` when ``upload`` is larger than ``limit_mb`` megabytes."""
    size_mb = len(upload.data) / 1e6
    if size_mb > limit_mb:
        raise InputError("errors.upload.too_large", name=upload.name, size=size_mb, limit=limit_mb)


def stage_boundaries(
    files: Sequence[Upload], folder: Path, *, limit_mb: float = MAX_UPLOAD_MB
) -> tuple[Path, str]:
    """Write the boundary upload(s) into ``folder`` under fixed names; return (path, shown name).

    Accepts one ``.zip``/``.gpkg``/``.geojson``/``.json`` file, or the parts of one Shapefile
    (``.shp``, ``.shx``, ``.dbf``, optional ``.prj``/``.cpg``). A zip is checked and extracted
    once by :func:`geo.safezip.safe_extract` and the path returned is the boundary file inside.
    """
    from geo.boundaries import boundary_file_in
    from geo.safezip import safe_extract

    files = list(files)
    if not files:
        raise InputError("errors.upload.need_both")
    allowed = ", ".join((*BOUNDARY_SINGLE, *SHAPEFILE_PARTS))
    for upload in files:
        check_size(upload, limit_mb=limit_mb)
        if upload.suffix not in (*BOUNDARY_SINGLE, *SHAPEFILE_PARTS):
            raise InputError("errors.upload.bad_type", name=upload.name, allowed=allowed)
    singles = [u for u in files if u.suffix in BOUNDARY_SINGLE]
    parts = [u for u in files if u.suffix in SHAPEFILE_PARTS]
    names = ", ".join(sorted(u.name for u in files))
    if (singles and parts) or len(singles) > 1:
        raise InputError("errors.upload.one_boundary", names=names)
    if singles:
        upload = singles[0]
        path = folder / f"boundaries{upload.suffix}"
        path.write_bytes(upload.data)
        if upload.suffix == ".zip":  # extracted once, here; the reader gets the file inside
            extracted = folder / "zip"
            extracted.mkdir()
            try:
                safe_extract(
                    path,
                    extracted,
                    max_bytes=int(limit_mb * 1e6 * ZIP_EXPAND_FACTOR),
                    max_members=MAX_ZIP_MEMBERS,
                )
                path = boundary_file_in(extracted, path)
            except KerjasamaError as err:
                raise _shown(err, folder, {path: upload.name}) from None
        return path, upload.name
    by_suffix: dict[str, Upload] = {}
    for upload in parts:
        if upload.suffix in by_suffix:
            raise InputError("errors.upload.one_boundary", names=names)
        by_suffix[upload.suffix] = upload
    missing = [s for s in SHAPEFILE_REQUIRED if s not in by_suffix]
    if missing:
        shown = by_suffix.get(".shp", parts[0]).name
        raise InputError("errors.upload.shp_parts", name=shown, missing=", ".join(missing))
    for suffix, upload in by_suffix.items():
        (folder / f"boundaries{suffix}").write_bytes(upload.data)
    return folder / "boundaries.shp", by_suffix[".shp"].name


def stage_indicators(upload: Upload, folder: Path, *, limit_mb: float = MAX_UPLOAD_MB) -> Path:
    """Write the indicator upload into ``folder`` as ``indicators.csv``/``.xlsx``."""
    check_size(upload, limit_mb=limit_mb)
    if upload.suffix not in INDICATOR_TYPES:
        raise InputError(
            "errors.upload.bad_type", name=upload.name, allowed=", ".join(INDICATOR_TYPES)
        )
    path = folder / f"indicators{upload.suffix}"
    path.write_bytes(upload.data)
    return path


def _shown(err: KerjasamaError, folder: Path, names: dict[Path, str]) -> KerjasamaError:
    """The error with temporary paths in its parameters replaced by the uploaded file names."""

    def replace(text: str) -> str:
        for path, name in sorted(names.items(), key=lambda kv: -len(str(kv[0]))):
            text = text.replace(str(path), f"'{name}'")
        return text.replace(str(folder), "upload")

    return err.with_text(replace)


def read_uploads(
    boundary_files: Sequence[Upload],
    indicator_file: Upload | None,
    *,
    config: object,
    boundary_key: str | None = None,
    indicator_key: str | None = None,
    id_field: str | None = None,
    name_field: str | None = None,
    indicator_name: str | None = None,
    names: bool = True,
    keep_non_regions: bool = False,
    limit_mb: float = MAX_UPLOAD_MB,
) -> UploadedData:
    """Stage, read, validate and join uploaded boundaries and indicators.

    The options are those of the command line (empty text = detected): the boundary code and
    name fields, the join keys, the table's name column, the name check and whether to keep
    features that are not kab/kota.

    Returns
    -------
    UploadedData
        Regions (canonical GeoDataFrame), the joined table, the ``JoinReport``, reading
        problems and the uploaded names. Raises :class:`KerjasamaError` subclasses with messages
        naming the uploaded files.
    """
    from analysis import pipeline
    from geo.boundaries import BoundaryInfo

    if not boundary_files or indicator_file is None:
        raise InputError("errors.upload.need_both")
    with tempfile.TemporaryDirectory(prefix="kerjasama-upload-") as tmp:
        folder = Path(tmp)
        b_path, b_name = stage_boundaries(boundary_files, folder, limit_mb=limit_mb)
        i_path = stage_indicators(indicator_file, folder, limit_mb=limit_mb)
        uploaded = {b_path: b_name, i_path: indicator_file.name}
        try:
            regions = pipeline.load_regions(
                b_path,
                id_field=id_field or None,
                name_field=name_field or None,
                keep_non_regions=keep_non_regions,
            )
            table, report, problems = pipeline.load_table(
                i_path,
                regions,
                boundary_key or None,
                indicator_key or None,
                config,
                indicator_name=indicator_name or None,
                names=names,
            )
        except KerjasamaError as err:
            raise _shown(err, folder, uploaded) from None
    # a new shared record (never copied by pandas), the read one left as it was
    regions.attrs["kerjasama"] = BoundaryInfo(
        {**regions.attrs.get("kerjasama", {}), "source": b_name}
    )
    return UploadedData(
        regions=regions,
        table=table,
        report=report,
        problems=list(problems),
        boundary_name=b_name,
        indicator_name=indicator_file.name,
    )
