"""The registry's thresholds: the ``[registry]`` table of the sector config.

``[registry.alerts]`` holds the follow-up alert thresholds and ``[registry.auth]`` the login
settings (see ``analysis/sectors.toml``). Every key is optional; missing keys take the defaults
below; an unknown key or a value out of range is refused with the file, key and allowed range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from common.errors import InputError


@dataclass(frozen=True)
class AlertSettings:
    """Follow-up alert thresholds (``[registry.alerts]``)."""

    kb_without_pks_months: int = 6
    pks_ending_days: int = 180
    monitoring_interval_months: int = 1
    monitoring_grace_days: int = 10
    budget_from_month: int = 7
    overlap_min_shared: int = 2


@dataclass(frozen=True)
class AuthSettings:
    """Login settings (``[registry.auth]``)."""

    session_hours: int = 8
    min_password_length: int = 10


@dataclass(frozen=True)
class Settings:
    """Everything the ``[registry]`` table sets."""

    alerts: AlertSettings = AlertSettings()
    auth: AuthSettings = AuthSettings()


#: Allowed range of each integer setting (inclusive).
RANGES: dict[str, tuple[int, int]] = {
    "kb_without_pks_months": (1, 120),
    "pks_ending_days": (1, 3650),
    "monitoring_interval_months": (1, 24),
    "monitoring_grace_days": (0, 120),
    "budget_from_month": (1, 12),
    "overlap_min_shared": (1, 5),
    "session_hours": (1, 24 * 30),
    "min_password_length": (8, 128),
}


def _section(cls: type, raw: Any, table: str, source: object) -> Any:
    if raw is None:
        return cls()
    if not isinstance(raw, Mapping):
        raise InputError("errors.registry.setting_table", file=source, table=table)
    names = [f.name for f in fields(cls)]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise InputError(
            "errors.registry.setting_unknown",
            file=source,
            table=table,
            keys=", ".join(unknown),
            allowed=", ".join(names),
        )
    values = {}
    for name in names:
        if name not in raw:
            continue
        value = raw[name]
        lo, hi = RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise InputError(
                "errors.registry.setting_range",
                file=source,
                table=table,
                key=name,
                value=repr(value),
                lo=lo,
                hi=hi,
            )
        values[name] = value
    return cls(**values)


def settings_from(config: Any = None) -> Settings:
    """Validated :class:`Settings` of an :class:`analysis.config.Config` (default: packaged).

    Raises
    ------
    InputError
        An unknown key or a value out of range, naming the file and the key.
    """
    if config is None:
        from analysis.config import load_config

        config = load_config()
    raw = dict(getattr(config, "registry", {}) or {})
    source = getattr(config, "source", "sectors.toml")
    unknown = sorted(set(raw) - {"alerts", "auth"})
    if unknown:
        raise InputError(
            "errors.registry.setting_unknown",
            file=source,
            table="[registry]",
            keys=", ".join(unknown),
            allowed="alerts, auth",
        )
    return Settings(
        alerts=_section(AlertSettings, raw.get("alerts"), "[registry.alerts]", source),
        auth=_section(AuthSettings, raw.get("auth"), "[registry.auth]", source),
    )
