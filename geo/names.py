"""Region names: one comparable key per kabupaten/kota name, and what a type field says.

Boundary files and indicator tables spell the same region in many ways: ``KAB. GUNUNG KIDUL``,
``Gunungkidul``, ``Kabupaten Kep. Sangihe``, ``Tanjung Jabung T`` (GADM), ``Kota Adm. Jakarta
Selatan``, or a bare name with the type in another field (GADM ``NAME_2`` + ``TYPE_2``).
:func:`name_key` reduces a name to ``(kind, core)``: ``kind`` is ``"kabupaten"``, ``"kota"`` or None
(no type word), ``core`` the name in lower case without accents, punctuation, spaces and type
words, with abbreviations expanded, known spelling variants unified and former names mapped to
the current ones (the renames of :mod:`geo.vintages`, each with its regulation).

:func:`kind_of` reads a type field value (``Kabupaten``, ``Kota``, ``Regency``, ``City``,
``Waterbody``, ``Provinsi``...). :func:`non_region` recognises features that are not a kab/kota:
lakes (``Danau Toba``), undefined areas (BIG's ``Area Tidak Terdefinisi``) and province rows.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Type words at the start (or end) of a name, longest first, and the kind they mean.
_TYPE_PREFIXES = (
    (("kabupaten", "administrasi"), "kabupaten"),
    (("kab", "administrasi"), "kabupaten"),
    (("kab", "adm"), "kabupaten"),
    (("kota", "administrasi"), "kota"),
    (("kota", "adm"), "kota"),
    (("kabupaten",), "kabupaten"),
    (("kab",), "kabupaten"),
    (("kotamadya",), "kota"),
    (("kodya",), "kota"),
    (("kota",), "kota"),
    (("regency",), "kabupaten"),
    (("city",), "kota"),
)
#: Abbreviated words anywhere in a name.
_ABBREVIATIONS = {
    "kep": "kepulauan",
    "kepl": "kepulauan",
    "kpl": "kepulauan",
    "utr": "utara",
    "sel": "selatan",
    "slt": "selatan",
    "brt": "barat",
    "bar": "barat",
    "tmr": "timur",
    "tim": "timur",
    "tgh": "tengah",
    "teng": "tengah",
}
#: Abbreviated compass words as the LAST word only (GADM writes "Tanjung Jabung T").
_LAST_WORD = {"t": "timur", "b": "barat", "u": "utara", "s": "selatan", "tg": "tengah"}
#: Abbreviated words as the FIRST word only ("Tg. Jabung Barat").
_FIRST_WORD = {"tg": "tanjung", "tj": "tanjung"}
#: Spellings of the same current name (core keys). Not renames: those live in geo/vintages.toml.
#: Seen in BPS tables, GADM 3.6 and BIG RBI files.
SPELLINGS = {
    "mahakamhulu": "mahakamulu",
    "tanimbar": "kepulauantanimbar",
    "pangkajenedankepulauan": "pangkajenekepulauan",
    "pangkep": "pangkajenekepulauan",
    "siautagulandangbiaro": "kepulauansiautagulandangbiaro",
    "pahuwato": "pohuwato",
    "tojounauna": "tojounauna",
    "batubara": "batubara",
}
_WATER = re.compile(r"^(danau|waduk|telaga|situ|lake|bendungan)\b")
_UNDEFINED = re.compile(r"(tidak terdefinisi|tak terdefinisi|undefined|belum terdefinisi)")
_KIND_WORDS = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kabupaten administrasi": "kabupaten",
    "regency": "kabupaten",
    "kota": "kota",
    "kota administrasi": "kota",
    "kota adm": "kota",
    "kotamadya": "kota",
    "kodya": "kota",
    "city": "kota",
    "municipality": "kota",
    "waterbody": "water",
    "water body": "water",
    "danau": "water",
    "lake": "water",
    "provinsi": "province",
    "province": "province",
}
KINDS = ("kabupaten", "kota")


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _words(text: object) -> list[str]:
    return list(_word_tuple(str(text)))


@lru_cache(maxsize=65536)  # a file's names and types repeat, and are read by several tests
def _word_tuple(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(_NOT_WORD.sub(" ", plain).split())


def kind_of(value: object) -> str | None:
    """What a type field value says: ``kabupaten``, ``kota``, ``water``, ``province`` or None.

    >>> [kind_of(v) for v in ("Kabupaten", "City", "Water body", "Kota Administrasi", "x")]
    ['kabupaten', 'kota', 'water', 'kota', None]
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _KIND_WORDS.get(" ".join(_words(value)))


def _strip_type(tokens: list[str]) -> tuple[str | None, list[str]]:
    for prefix, value in _TYPE_PREFIXES:
        n = len(prefix)
        if len(tokens) > n and tuple(tokens[:n]) == prefix:
            return value, tokens[n:]
        if len(tokens) > n and tuple(tokens[-n:]) == prefix:
            return value, tokens[:-n]
    return None, tokens


def _expand(tokens: list[str]) -> list[str]:
    out = [_ABBREVIATIONS.get(t, t) for t in tokens]
    if len(out) > 1:
        out[0] = _FIRST_WORD.get(out[0], out[0])
        out[-1] = _LAST_WORD.get(out[-1], out[-1])
    return out


def raw_key(text: str, kind: str | None = None) -> tuple[str | None, str]:
    """``(kind, core)`` of a name without mapping former names to current ones."""
    stated, tokens = _strip_type(_words(text))
    core = "".join(_expand(tokens))
    return stated or kind, SPELLINGS.get(core, core)


@lru_cache(maxsize=65536)
def _key(text: str, kind: str | None) -> tuple[str | None, str]:
    from geo.vintages import renamed  # renames carry their regulation (geo/vintages.toml)

    kind, core = raw_key(text, kind)
    new = renamed(kind, core)
    return kind, new if new is not None else core


def name_key(name: object, kind: str | None = None) -> tuple[str | None, str]:
    """Normalised ``(kind, core)`` of a region name.

    Parameters
    ----------
    name
        The name as written (``"KAB. Gunung Kidul"``, ``"Tanjung Jabung T"``...).
    kind
        ``"kabupaten"``/``"kota"`` from a type field, used when the name has no type word.

    Examples
    --------
    >>> name_key("KAB. Gunung Kidul")
    ('kabupaten', 'gunungkidul')
    >>> name_key("Kota Adm. Jakarta Selatan")
    ('kota', 'jakartaselatan')
    >>> name_key("Tanjung Jabung T", "kabupaten")
    ('kabupaten', 'tanjungjabungtimur')
    >>> name_key("Pontianak", "kabupaten")  # renamed Mempawah by PP 58/2014
    ('kabupaten', 'mempawah')
    """
    if name is None or (isinstance(name, float) and name != name):
        return kind if kind in KINDS else None, ""
    return _key(str(name), kind if kind in KINDS else None)


def strip_islands(core: str) -> str:
    """The core without a leading "kepulauan" ("Kepulauan Sangihe" = "Sangihe")."""
    return core.removeprefix("kepulauan")


def names_match(a: object, b: object, kind_a: str | None = None, kind_b: str | None = None) -> bool:
    """True when two region names denote the same region (see :func:`name_key`).

    A kabupaten and a kota of the same name (Kabupaten Bogor, Kota Bogor) differ; a name
    without a type word (and no type from a field) matches either. A trailing "Kepulauan" is part
    of the name ("Banggai Kepulauan" is not "Banggai"); a leading one may be left out.
    """
    kind_a, core_a = name_key(a, kind_a)
    kind_b, core_b = name_key(b, kind_b)
    if not core_a or not core_b:
        return True  # nothing to compare: not evidence of a mismatch
    if kind_a and kind_b and kind_a != kind_b:
        return False
    return core_a == core_b or strip_islands(core_a) == strip_islands(core_b)


def non_region(name: object) -> str | None:
    """``"water"``, ``"undefined"`` or None: whether a feature name says it is no kab/kota.

    >>> [non_region(n) for n in ("Kabupaten Danau Toba", "Area Tidak Terdefinisi", "Toba")]
    ['water', 'undefined', None]
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    text = " ".join(_strip_type(_words(name))[1])  # GADM: "Danau Limboto" typed Kabupaten
    if _WATER.match(text):
        return "water"
    if _UNDEFINED.search(text):
        return "undefined"
    return None


_PROVINCE_WORDS = ("provinsi", "propinsi", "prov", "province")
_PROVINCE_STATUS = (
    ("daerah", "khusus", "ibukota"),
    ("daerah", "istimewa"),
    ("dki",),
    ("diy",),
    ("di",),
)


def province_key(name: object) -> tuple[bool, str]:
    """``(says_province, key)`` of a province name, for comparison.

    ``says_province`` is True when the name starts with a province word (``Provinsi``,
    ``Prov.``); the key drops it, the special-status words (``DKI``, ``Daerah Istimewa``) and a
    trailing ``Raya`` (GADM's ``Jakarta Raya``).

    >>> province_key("Prov. DKI Jakarta"), province_key("Jakarta Raya")
    ((True, 'jakarta'), (False, 'jakarta'))
    """
    if name is None or (isinstance(name, float) and name != name):
        return False, ""
    tokens = _words(name)
    says = bool(tokens) and tokens[0] in _PROVINCE_WORDS
    if says:
        tokens = tokens[1:]
    for status in _PROVINCE_STATUS:
        if len(tokens) > len(status) and tuple(tokens[: len(status)]) == status:
            tokens = tokens[len(status) :]
            break
    if len(tokens) > 1 and tokens[-1] == "raya":
        tokens = tokens[:-1]
    return says, "".join(tokens)
