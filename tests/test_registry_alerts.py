"""Alert rules on fixed dates, dates-unknown rows, thresholds from the config, overlap."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from registry_support import agreement

from common.errors import InputError
from registry.settings import AlertSettings, settings_from

D = dt.date


def rules(report, agreement_id=None):
    return [
        (a.rule, a.agreement_id)
        for a in report.alerts
        if agreement_id is None or a.agreement_id == agreement_id
    ]


def test_kb_without_pks_after_six_months(reg):
    aid = reg.add(agreement(kb_on="2024-01-10"))
    assert rules(reg.alerts(D(2024, 7, 9))) == []  # one day short of 6 months
    report = reg.alerts(D(2024, 7, 10))
    assert rules(report) == [("kb_without_pks", aid)]
    assert report.alerts[0].due == D(2024, 1, 10)
    assert report.alerts[0].days == (D(2024, 7, 10) - D(2024, 1, 10)).days
    reg.advance(aid, "pks", "2024-08-01")
    assert [r for r in rules(reg.alerts(D(2024, 8, 2))) if r[0] == "kb_without_pks"] == []


def test_pks_ending_within_180_days_and_expired(reg):
    aid = reg.add(
        agreement(
            stage="pks",
            pks_on="2020-01-01",
            start_on="2020-01-01",
            duration_months=60,
        )
    )
    assert reg.get(aid)["end_on"] == D(2024, 12, 31)
    assert rules(reg.alerts(D(2024, 7, 3))) == []  # 181 days before the end
    ending = reg.alerts(D(2024, 7, 4))
    assert rules(ending) == [("pks_ending", aid)]
    assert ending.alerts[0].days == -180
    assert rules(reg.alerts(D(2025, 1, 1))) == [("pks_expired", aid)]
    reg.advance(aid, "berakhir", "2024-12-31")
    assert rules(reg.alerts(D(2025, 1, 1))) == []


def test_monitoring_overdue_monthly_with_grace(reg):
    aid = reg.add(
        agreement(
            stage="berjalan",
            pks_on="2024-01-05",
            berjalan_on="2024-02-01",
            start_on="2024-02-01",
            duration_months=60,
        )
    )
    # February's entry is due on 10 March (grace 10 days)
    assert rules(reg.alerts(D(2024, 3, 10))) == []
    late = reg.alerts(D(2024, 3, 11))
    assert rules(late) == [("monitoring_overdue", aid)]
    assert late.alerts[0].due == D(2024, 2, 1)
    assert late.alerts[0].detail == {"last_period": None}
    reg.record_monitoring(aid, {"period": "2024-02", "status": "on_track"}, today=D(2024, 3, 11))
    assert rules(reg.alerts(D(2024, 4, 10))) == []
    again = reg.alerts(D(2024, 4, 11))
    assert rules(again) == [("monitoring_overdue", aid)]
    assert again.alerts[0].due == D(2024, 3, 1)
    assert again.alerts[0].detail == {"last_period": "2024-02"}


def test_budget_commitment_for_next_year(reg):
    aid = reg.add(
        agreement(
            stage="pks",
            pks_on="2024-01-05",
            start_on="2024-01-05",
            duration_months=60,
            provinces="64",
            third_parties="PDAM Tirta Taman",
        )
    )
    assert rules(reg.alerts(D(2024, 6, 30))) == []  # before July: APBD not being drafted
    report = reg.alerts(D(2024, 7, 1))
    assert rules(report) == [("budget_missing", aid)]
    # every kab/kota and the province; never the third party
    assert report.alerts[0].detail == {"year": 2025, "parties": ["6474", "6408", "64"]}
    reg.commit_budget(aid, "64.74", 2025, "1500000000")
    reg.commit_budget(aid, "6408", 2025, 750_000_000)
    assert reg.alerts(D(2024, 7, 1)).alerts[0].detail["parties"] == ["64"]
    reg.commit_budget(aid, "64", 2025, "250000000.50")
    assert rules(reg.alerts(D(2024, 7, 1))) == []
    # ends before next year: no commitment needed
    other = reg.add(
        agreement(stage="pks", pks_on="2024-01-05", start_on="2024-01-05", end_on="2024-12-31")
    )
    assert ("budget_missing", other) not in rules(reg.alerts(D(2024, 8, 1)))


def test_seeded_rows_without_dates_raise_no_alert(reg):
    ids = reg.add_many(
        [
            agreement(stage=s, kb_on=None, documented=True, seed_id=f"ARR-{i}", year=2019)
            for i, s in enumerate(("kb", "pks", "berjalan", "berakhir"))
        ]
    )
    report = reg.alerts(D(2030, 8, 1))
    assert report.alerts == ()
    assert not report.open
    unknown = {u.agreement_id: u.rules for u in report.dates_unknown}
    assert unknown == {
        ids[0]: ("kb_without_pks",),
        ids[1]: ("pks_ending", "budget_missing"),
        ids[2]: ("pks_ending", "monitoring_overdue", "budget_missing"),
    }
    assert all(u.documented for u in report.dates_unknown)


def test_alert_scope_filters(reg):
    kaltim = reg.add(agreement())
    jatim = reg.add(agreement(members="35.78;35.15", sector="water", name="SPAM Regional"))
    report = reg.alerts(D(2025, 1, 1))
    assert {a.agreement_id for a in report.alerts} == {kaltim, jatim}
    assert rules(reg.open_alerts("64", today=D(2025, 1, 1))) == [("kb_without_pks", kaltim)]
    assert rules(reg.alerts(D(2025, 1, 1), sector="water")) == [("kb_without_pks", jatim)]
    listed = reg.list(alerts=True, today=D(2024, 2, 1))
    assert listed == []
    assert [s.id for s in reg.list(alerts=True, today=D(2025, 1, 1))] == [kaltim, jatim]


def test_thresholds_from_config(reg, tmp_path):
    from analysis.config import DEFAULT_CONFIG, load_config
    from registry import Registry

    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        "kb_without_pks_months = 6", "kb_without_pks_months = 3"
    )
    path = tmp_path / "sectors.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert settings_from(config).alerts.kb_without_pks_months == 3
    aid = reg.add(agreement(kb_on="2024-01-10"))
    short = Registry(reg.engine, local_user="tester", config=config)
    assert rules(short.alerts(D(2024, 4, 10))) == [("kb_without_pks", aid)]
    assert rules(reg.alerts(D(2024, 4, 10))) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("kb_without_pks_months", "0"),
        ("kb_without_pks_months", "6.5"),
        ("pks_ending_days", "true"),
        ("budget_from_month", "13"),
        ("bogus", "1"),
    ],
)
def test_bad_thresholds_are_refused(tmp_path, key, value):
    import re

    from analysis.config import DEFAULT_CONFIG, load_config

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    if re.search(rf"^{key} = ", text, flags=re.M):
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
    else:
        text = text.replace("[registry.alerts]\n", f"[registry.alerts]\n{key} = {value}\n")
    path = tmp_path / "sectors.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=key) as info:
        settings_from(load_config(path))
    assert str(path) in str(info.value)


def test_defaults_match_the_packaged_config():
    assert settings_from(None).alerts == AlertSettings()
    assert dataclasses.asdict(AlertSettings())["pks_ending_days"] == 180


def test_suggested_cluster_overlapping_an_agreement(reg):
    water = reg.add(
        agreement(
            sector="water",
            name="SPAM Regional Balikpapan–PPU–Kukar",
            members="64.71;64.09;64.02",
            stage="pks",
            pks_on="2019-05-01",
        )
    )
    reg.add(agreement(sector="waste", members="64.71;64.09"))
    cancelled = reg.add(agreement(sector="water", members="64.71;64.09", name="old"))
    reg.advance(cancelled, "dibatalkan", "2024-02-01")

    hits = reg.agreements_overlapping(["6471", "6409"], "water")
    assert [(h.agreement.id, h.shared) for h in hits] == [(water, ("6409", "6471"))]
    assert hits[0].covers
    assert hits[0].agreement.stage == "pks" and hits[0].agreement.known_year == 2019
    # one shared member is not enough by default (overlap_min_shared = 2) ...
    assert reg.agreements_overlapping(["64.71", "64.72"], "water") == []
    # ... unless asked for
    assert len(reg.agreements_overlapping(["64.71", "64.72"], "water", min_shared=1)) == 1
    # a one-member question needs just that member
    assert len(reg.agreements_overlapping(["64.02"], "water")) == 1
    assert reg.agreements_overlapping(["64.71", "64.09"], "health") == []
    # many clusters at once: the same answers, in the clusters' order
    clusters = [["6471", "6409"], ["64.71", "64.72"], ["64.02"], [], ["64.09", "64.71"]]
    many = reg.agreements_overlapping_many(clusters, "water")
    assert many == [reg.agreements_overlapping(c, "water") for c in clusters]
    assert [len(h) for h in many] == [1, 0, 1, 0, 1]
