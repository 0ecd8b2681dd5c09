"""The registry's thresholds: the ``[registry]`` table of the sector config.

``[registry.alerts]`` holds the follow-up alert thresholds and ``[registry.auth]`` the login
settings (see ``analysis/sectors.toml``). Every key is optional; missing keys take the defaults
below. The table is validated when the config is loaded (``analysis.config.REGISTRY``: types,
allowed ranges, unknown keys), so the values here are already checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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


def _section(cls: type, raw: Mapping | None) -> Any:
    return cls(**(raw or {}))


def settings_from(config: Any = None) -> Settings:
    """Validated :class:`Settings` of an :class:`analysis.config.Config` (default: packaged).

    A config from :func:`analysis.config.load_config` has its ``[registry]`` table validated.
    """
    if config is None:
        from analysis.config import load_config

        config = load_config()
    raw = dict(getattr(config, "registry", {}) or {})
    return Settings(
        alerts=_section(AlertSettings, raw.get("alerts")),
        auth=_section(AuthSettings, raw.get("auth")),
    )
