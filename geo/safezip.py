"""Extract a user's ``.zip`` without trusting it.

A zip from e-mail or a portal is hostile until checked: member names can climb out of the target
folder (``../``, absolute paths, drive letters), members can be symbolic links, and a few kilobytes
can inflate to gigabytes (a zip bomb), in one member or in many members that each look modest.
:func:`safe_extract` checks every member before writing anything, bounds the expansion of each
member *and of the whole archive* (total bytes, and total bytes against the zip's size on disk),
then streams each member while counting the bytes actually produced, so headers that lie about
sizes are stopped too: the disk used never exceeds the bounds.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from common.errors import InputError
from common.text import Msg

MAX_BYTES = 1024**3  # 1 GiB in total: far above any kab/kota or kecamatan boundary file
MAX_MEMBERS = 1000
MAX_RATIO = 200  # uncompressed / compressed per member; shapefiles compress ~2-10x
#: Whole archive: expanded bytes / bytes of the zip file. Real boundary zips measure 1.3
#: (GeoPackage) to 2.3 (Shapefile with its GeoJSON); a .dbf alone reaches ~11.
MAX_TOTAL_RATIO = 50
#: Below this many expanded bytes the whole-archive ratio is not applied (tiny zips of text).
RATIO_FLOOR = 16 * 1024**2
_CHUNK = 1 << 20


def _refuse(source: Path, member: str, why: Msg) -> InputError:
    return InputError("errors.zip.refused", file=source, member=member, why=why)


def _check_member(source: Path, info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    if "\x00" in name:
        raise _refuse(source, name, Msg("errors.zip.why_nul"))
    norm = name.replace("\\", "/")
    path = PurePosixPath(norm)
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise _refuse(source, name, Msg("errors.zip.why_absolute"))
    if any(part == ".." for part in path.parts):
        raise _refuse(source, name, Msg("errors.zip.why_dotdot"))
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise _refuse(source, name, Msg("errors.zip.why_link"))
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise _refuse(source, name, Msg("errors.zip.why_special"))
    return path


def safe_extract(
    source: str | os.PathLike[str],
    dest_dir: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_members: int = MAX_MEMBERS,
    max_ratio: float = MAX_RATIO,
    max_total_ratio: float = MAX_TOTAL_RATIO,
) -> Path:
    """Extract the zip ``source`` into ``dest_dir`` after checking every member.

    Parameters
    ----------
    source
        The zip file (never modified).
    dest_dir
        An existing folder, normally a :class:`tempfile.TemporaryDirectory`.
    max_bytes
        Limit on the total uncompressed size, checked on the declared sizes and again on the
        bytes actually written.
    max_members
        Limit on the number of members.
    max_ratio
        Limit on the uncompressed/compressed ratio of a member larger than 1 MiB.
    max_total_ratio
        Limit on all members' expanded bytes over the size of the zip file, once they pass
        :data:`RATIO_FLOOR`; checked on the declared sizes and on the bytes written.

    Returns
    -------
    pathlib.Path
        ``dest_dir`` (resolved).

    Raises
    ------
    InputError
        Unreadable archive, absolute or ``..`` member paths, links, too many members, size or
        ratio over the limits. Nothing is written outside ``dest_dir``, and never more than
        the smaller of ``max_bytes`` and the whole-archive ratio bound.
    """
    source = Path(source)
    dest = Path(dest_dir).resolve()
    try:
        packed = source.stat().st_size
    except OSError as err:
        raise InputError("errors.zip.unreadable", file=source, error=err) from None
    budget = min(max_bytes, max(RATIO_FLOOR, int(max_total_ratio * packed)))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError("errors.zip.unreadable", file=source, error=err) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise InputError("errors.zip.too_many", file=source, n=len(infos), limit=max_members)
        declared = 0
        checked = []
        for info in infos:
            path = _check_member(source, info)
            declared += info.file_size
            if declared > max_bytes:
                raise _refuse(
                    source,
                    info.filename,
                    Msg("errors.zip.why_declared_size", limit=max_bytes),
                )
            if declared > budget:
                raise _refuse(
                    source,
                    info.filename,
                    Msg(
                        "errors.zip.why_total_ratio", ratio=declared / packed, limit=max_total_ratio
                    ),
                )
            if info.file_size > _CHUNK and info.file_size > max_ratio * max(info.compress_size, 1):
                raise _refuse(
                    source,
                    info.filename,
                    Msg(
                        "errors.zip.why_ratio",
                        ratio=info.file_size / max(info.compress_size, 1),
                        limit=max_ratio,
                    ),
                )
            checked.append((info, path))
        written = 0
        for info, path in checked:
            target = dest.joinpath(*path.parts).resolve()
            if target != dest and dest not in target.parents:
                raise _refuse(source, info.filename, Msg("errors.zip.why_outside"))
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            produced = 0
            try:
                with archive.open(info) as src, open(target, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        produced += len(chunk)
                        written += len(chunk)
                        if produced > info.file_size or written > budget:
                            raise _refuse(
                                source,
                                info.filename,
                                Msg("errors.zip.why_expands"),
                            )
                        out.write(chunk)
            except FileExistsError:
                raise _refuse(source, info.filename, Msg("errors.zip.why_twice")) from None
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                raise InputError(
                    "errors.zip.member_unreadable", file=source, member=info.filename, error=err
                ) from None
    return dest
