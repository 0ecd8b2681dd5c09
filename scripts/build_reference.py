"""Build ``geo/kabkota_2025.csv``, the kab/kota code list that ships inside the package.

The list is the current (Kepmendagri 2025) edition of the 514 kabupaten/kota: Kemendagri code,
name, type and province, plus the BPS code of the same region. kerjasama uses it to recognise
code and name fields by their content, to tell BPS codes from Kemendagri codes, to assign codes
to files that carry names only, and to detect boundary files of an older edition
(:mod:`geo.reference`, :mod:`geo.vintages`).

Sources (read in place, from the project's data folder):

``boundaries/idn_adm2.gpkg`` (or the bundled ``boundaries/idn_adm2.parquet``)
    ``code_dot``, ``name``, ``type``, ``province_code``, ``province_name``: the Kemendagri code
    list of ``cahyadsn/wilayah_boundaries`` (commit 3c5a7960, "sesuai Kepmendagri No
    300.2.2-2430 Tahun 2025"), see ``boundaries/SOURCE.md`` of the data folder.
``indicators/idn_kabkota_indicators.csv``
    ``code`` (the BPS code, pre-2022 province structure: 91 = Papua Barat, 94 = Papua) joined on
    ``kemendagri_code_2025``: from ``rudi-krsoftware/open-retail`` and ``cahyadsn/wilayah``, see
    ``indicators/SOURCES.md`` of the data folder.

Usage (from the repository root)::

    .venv/bin/python scripts/build_reference.py          # from $KERJASAMA_DATA or ../shared/data
    .venv/bin/python scripts/build_reference.py --source DIR --check  # exit 1 if it differs

The output is sorted by code and has no time stamp: the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import pandas as pd
import pyogrio

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "geo" / "kabkota_2025.csv"
COLUMNS = ["code", "code_dot", "name", "type", "province_code", "province_name", "bps_code"]


def _source_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("KERJASAMA_DATA")
    if env:
        return Path(env)
    return ROOT.parent / "shared" / "data"


def build(source: Path) -> str:
    """The CSV text of the reference list built from the data folder ``source``."""
    boundaries = source / "boundaries"
    gpkg = boundaries / "idn_adm2.gpkg"
    parquet = boundaries / "idn_adm2.parquet"
    if gpkg.is_file():
        regions = pyogrio.read_dataframe(gpkg, read_geometry=False)
    elif parquet.is_file():
        regions = pd.read_parquet(parquet, columns=COLUMNS[1:6])
    else:
        raise SystemExit(f"no idn_adm2.gpkg or idn_adm2.parquet in {boundaries}")
    table = pd.read_csv(source / "indicators" / "idn_kabkota_indicators.csv", dtype=str)
    bps = table.set_index("kemendagri_code_2025")["code"]
    out = pd.DataFrame(
        {
            "code": regions["code_dot"].str.replace(".", "", regex=False),
            "code_dot": regions["code_dot"],
            "name": regions["name"].str.strip(),
            "type": regions["type"],
            "province_code": regions["province_code"].astype(str),
            "province_name": regions["province_name"],
            "bps_code": regions["code_dot"].map(bps),
        }
    ).sort_values("code", kind="stable")
    if out["bps_code"].isna().any() or out["code"].duplicated().any() or len(out) != 514:
        raise SystemExit("the sources do not give 514 unique regions with a BPS code each")
    buffer = io.StringIO()
    out[COLUMNS].to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", help="data folder (default: $KERJASAMA_DATA, ../shared/data)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file would change")
    args = parser.parse_args(argv)
    text = build(_source_dir(args.source))
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from its sources")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} regions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
