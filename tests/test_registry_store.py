"""Writes: validation, stages, concurrent edits, the audit log, the login gate, nothing deleted."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from registry_support import agreement
from sqlalchemy import func, select

from common.errors import InputError
from registry import Registry, auth
from registry.errors import EditConflict, LoginRequired
from registry.models import Agreement, AuditEntry, LoginSession, Party

D = dt.date


def test_add_and_get(reg):
    aid = reg.add(
        agreement(
            name="SPAM Regional",
            sector="water",
            form="contract",
            members="64.71; 64.09",
            provinces="64",
            third_parties="PDAM Tirta Manuntung",
            provider="PDAM Tirta Manuntung",
            pks_clauses="scope;parties;dispute",
            scope="=1+1 air curah",
        )
    )
    d = reg.get(aid)
    assert d["name"] == "SPAM Regional" and d.version == 1
    assert [(p.kind, p.code, p.is_provider) for p in d.parties] == [
        ("kabkota", "6471", False),
        ("kabkota", "6409", False),
        ("province", "64", False),
        ("third", None, True),
    ]
    assert d.pks_clauses == ("parties", "scope", "dispute")  # checklist order
    assert d["scope"] == "=1+1 air curah"  # stored as typed, never evaluated
    [summary] = reg.list()
    assert summary.members == ("6471", "6409") and summary.provinces == ("64",)
    assert summary.provider.name == "PDAM Tirta Manuntung"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"name": " "}, "name"),
        ({"sector": "roads"}, "sector"),
        ({"form": "joint-venture"}, "form"),
        ({"members": "64.7"}, "members"),
        ({"members": ""}, "members"),
        ({"members": "64.71;6471"}, "members"),
        ({"provinces": "640"}, "provinces"),
        ({"stage": "pks"}, "pks_on"),
        ({"kb_on": "10/01/2024"}, "kb_on"),
        ({"form": "contract"}, "provider"),
        ({"provider": "64.72"}, "provider"),
        ({"stage": "pks", "kb_on": "2024-02-01", "pks_on": "2024-01-01"}, "pks_on"),
        ({"start_on": "2024-01-01", "duration_months": 12, "end_on": "2025-06-30"}, "2024-12-31"),
        ({"pks_clauses": "scope;bribes"}, "pks_clauses"),
        ({"confidence": "sure"}, "confidence"),
        ({"documented": "maybe"}, "documented"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_values_are_refused_naming_the_field(reg, over, field):
    with pytest.raises(InputError) as info:
        reg.add(agreement(**over))
    assert field in str(info.value)
    assert reg.list() == []


def test_codes_checked_against_the_boundaries(db_url):
    import geopandas as gpd
    import shapely

    places = gpd.GeoDataFrame(
        {"name": ["Kota Balikpapan", "Kabupaten Penajam Paser Utara"], "province": ["64", "64"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        index=pd_index(["6471", "6409"]),
        crs=4326,
    )
    with Registry.open(db_url, local_user="tester", places=places) as r:
        aid = r.add(agreement(members="64.71;64.09", provinces="64"))
        assert [p.name for p in r.get(aid).parties] == [
            "Kota Balikpapan",
            "Kabupaten Penajam Paser Utara",
            "",
        ]
        with pytest.raises(InputError, match="64.72"):
            r.add(agreement(members="64.71;64.72"))
        with pytest.raises(InputError, match="provinces"):
            r.add(agreement(members="64.71", provinces="35"))


def pd_index(codes):
    import pandas as pd

    return pd.Index(codes, name="code")


def test_stages_move_forward_with_dates(reg):
    aid = reg.add(agreement(stage="usulan", kb_on=None, usulan_on="2023-11-01"))
    with pytest.raises(InputError, match="kb_on"):
        reg.advance(aid, "kb", "2023-10-01")  # before the proposal
    reg.advance(aid, "kb", "2024-01-10")
    reg.advance(aid, "berjalan", "2024-06-01")  # the PKS step may be skipped
    with pytest.raises(InputError, match="berjalan"):
        reg.advance(aid, "pks", "2024-07-01")  # never backwards
    reg.advance(aid, "dibatalkan", "2024-08-01")
    with pytest.raises(InputError):
        reg.advance(aid, "berakhir", "2024-09-01")  # final
    d = reg.get(aid)
    assert (d["stage"], d["kb_on"], d["pks_on"], d["dibatalkan_on"]) == (
        "dibatalkan",
        D(2024, 1, 10),
        None,
        D(2024, 8, 1),
    )


def test_second_save_of_the_same_version_is_refused(db_url):
    """Two editors load version 1; the first save wins, the second is refused, nothing lost."""
    with (
        Registry.open(db_url, local_user="ani") as first,
        Registry.open(db_url, local_user="budi") as second,
    ):
        aid = first.add(agreement())
        v_ani = first.get(aid).version
        v_budi = second.get(aid).version
        assert v_ani == v_budi == 1
        assert first.edit(aid, {"scope": "Pengolahan sampah regional"}, expected_version=v_ani) == 2
        with pytest.raises(EditConflict) as info:
            second.edit(
                aid, {"scope": "Tempat pembuangan akhir", "notes": "x"}, expected_version=v_budi
            )
        err = info.value
        assert err.unsaved == {"scope": "Tempat pembuangan akhir", "notes": "x"}
        message = err.render("en")
        assert "ani" in message and "version 1" in message and "version 2" in message
        assert "NOT saved" in message
        d = second.get(aid)
        assert d["scope"] == "Pengolahan sampah regional" and d["notes"] == "" and d.version == 2
        # reloading and saving again works
        assert second.edit(aid, {"notes": "x"}, expected_version=d.version) == 3
        with pytest.raises(EditConflict):
            first.advance(aid, "pks", "2024-05-01", expected_version=2)


def test_every_change_is_audited(reg):
    aid = reg.add(agreement())
    reg.edit(aid, {"scope": "TPA", "members": "64.74;64.72"}, expected_version=1)
    reg.advance(aid, "pks", "2024-05-01")
    reg.commit_budget(aid, "64.74", 2025, 1000)
    reg.commit_budget(aid, "64.74", 2025, 2000)
    reg.add_document(aid, {"kind": "pks", "number": "180/12/2024", "issued_on": "2024-05-01"})
    reg.advance(aid, "berjalan", "2024-06-01")
    reg.record_monitoring(
        aid, {"period": "2024-06", "status": "delayed", "note": "a"}, today=D(2024, 7, 1)
    )
    reg.record_monitoring(
        aid,
        {"period": "2024-06", "status": "on_track", "indicators": "ton_per_day=12.5"},
        replace=True,
        today=D(2024, 7, 1),
    )
    history = reg.history(aid)
    assert all(h.user == "tester" for h in history)
    changes = [(h.table, h.action, h.field) for h in history]
    assert ("agreements", "insert", None) in changes
    assert ("agreements", "update", "scope") in changes
    assert ("parties", "insert", None) in changes  # 64.72 joined
    assert ("parties", "update", "active") in changes  # 64.08 left, not deleted
    assert ("agreements", "update", "stage") in changes
    assert ("agreements", "update", "pks_on") in changes
    assert ("budget_commitments", "update", "amount") in changes
    assert ("documents", "insert", None) in changes
    assert ("monitoring_entries", "update", "status") in changes
    amount = next(h for h in history if h.field == "amount")
    assert (json.loads(amount.old), json.loads(amount.new)) == ("1000.00", "2000.00")
    stage = [h for h in history if h.field == "stage"]
    assert [(json.loads(h.old), json.loads(h.new)) for h in stage] == [
        ("kb", "pks"),
        ("pks", "berjalan"),
    ]
    with reg.read_session() as s:
        parties = s.scalars(select(Party).where(Party.agreement_id == aid)).all()
        assert [(p.code, p.active) for p in parties] == [
            ("6474", True),
            ("6408", False),
            ("6472", True),
        ]
    assert [p.code for p in reg.get(aid).parties] == ["6474", "6472"]
    assert reg.get(aid).monitoring[0].indicators == {"ton_per_day": 12.5}


def test_rows_are_never_deleted(reg):
    aid = reg.add(agreement())
    with pytest.raises(RuntimeError, match="never deleted"), reg.write(None) as session:
        session.delete(session.get(Agreement, aid))
    assert [s.id for s in reg.list()] == [aid]


def test_writes_need_a_login_in_the_app(db_url):
    with Registry.open(db_url, local_user="admin") as local:
        auth.create_user(local, "editor1", "correct horse battery")
        aid = local.add(agreement())
    with Registry.open(db_url) as app:  # the app: no local access
        assert [s.id for s in app.list()] == [aid]  # reading is open
        for write in (
            lambda **kw: app.add(agreement(), **kw),
            lambda **kw: app.edit(aid, {"notes": "x"}, expected_version=1, **kw),
            lambda **kw: app.advance(aid, "pks", "2024-05-01", **kw),
            lambda **kw: app.commit_budget(aid, "64.74", 2025, 1, **kw),
            lambda **kw: app.add_document(aid, {"kind": "kb", "number": "1"}, **kw),
        ):
            with pytest.raises(LoginRequired):
                write()
            with pytest.raises(LoginRequired):
                write(token="forged-token")
        with pytest.raises(LoginRequired):
            auth.create_user(app, "intruder", "long enough password")
        assert auth.login(app, "editor1", "wrong password") is None
        assert auth.login(app, "nobody", "correct horse battery") is None
        token = auth.login(app, "EDITOR1", "correct horse battery")
        assert token and len(token) >= 40
        assert auth.require_editor(app, token).username == "editor1"
        new = app.add(agreement(name="Via app"), token=token)
        assert {h.user for h in app.history(new)} == {"editor1"}
        with app.read_session() as s:  # only the token's hash is stored
            stored = s.scalars(select(LoginSession.token_hash)).all()
            assert token not in stored and len(stored[0]) == 64
            assert token not in str(s.scalars(select(AuditEntry.new)).all())
        auth.logout(app, token)
        with pytest.raises(LoginRequired, match="expired"):
            app.edit(new, {"notes": "x"}, expected_version=1, token=token)
        # an expired login is refused
        token = auth.login(app, "editor1", "correct horse battery")
        with app.write(token) as s:
            s.execute(LoginSession.__table__.update().values(expires_at=dt.datetime(2000, 1, 1)))
        with pytest.raises(LoginRequired):
            auth.require_editor(app, token)
        assert [s.id for s in app.list()] == [aid, new]


def test_passwords_are_salted_argon2(reg):
    auth.create_user(reg, "ani", "password number one")
    auth.create_user(reg, "budi", "password number one")
    with reg.read_session() as s:
        hashes = s.scalars(select(auth.User.password_hash)).all()
        audit = " ".join(x or "" for x in s.scalars(select(AuditEntry.new)))
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert "password number one" not in audit and "$argon2" not in audit
    assert auth.verify(reg, "ani", "password number one").username == "ani"
    assert auth.verify(reg, "ani", "password number two") is None
    with pytest.raises(InputError, match="10"):
        auth.create_user(reg, "cici", "short")
    with pytest.raises(InputError, match="already"):
        auth.create_user(reg, "Ani", "another long password")
    with pytest.raises(InputError):
        auth.create_user(reg, "bad name!", "another long password")


def test_monitoring_rules(reg):
    aid = reg.add(agreement())
    with pytest.raises(InputError, match="kb"):
        reg.record_monitoring(aid, {"period": "2024-02", "status": "on_track"}, today=D(2024, 3, 1))
    reg.advance(aid, "pks", "2024-02-01")
    with pytest.raises(InputError, match="2024-04"):
        reg.record_monitoring(aid, {"period": "2024-04", "status": "on_track"}, today=D(2024, 3, 1))
    reg.record_monitoring(aid, {"period": "2024-02", "status": "on_track"}, today=D(2024, 3, 1))
    with pytest.raises(InputError, match="replace"):
        reg.record_monitoring(
            aid, {"period": "2024-02-15", "status": "delayed"}, today=D(2024, 3, 1)
        )
    with pytest.raises(InputError, match="ton"):
        reg.record_monitoring(
            aid,
            {"period": "2024-03", "status": "delayed", "indicators": "ton=abc"},
            today=D(2024, 3, 1),
        )
    with reg.read_session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) > 0


def test_draft_from_candidate(reg):
    candidate = {
        "cluster_id": "water-contract-6471-6409",
        "sector": "water",
        "form": "contract",
        "members": ["6471", "6409"],
        "member_names": ["Kota Balikpapan", "Kabupaten Penajam Paser Utara"],
        "provider": "6471",
        "explanation": ["Balikpapan has spare bulk-water capacity", "PPU lacks access"],
    }
    aid = reg.draft_from_candidate(candidate, today=D(2025, 2, 3))
    d = reg.get(aid)
    assert (d["stage"], d["usulan_on"], d["form"], d["sector"]) == (
        "usulan",
        D(2025, 2, 3),
        "contract",
        "water",
    )
    assert d["name"] == "Kota Balikpapan – Kabupaten Penajam Paser Utara"
    assert [(p.code, p.is_provider) for p in d.parties] == [("6471", True), ("6409", False)]
    assert "spare bulk-water" in d["notes"]
    assert "water-contract-6471-6409" in d["evidence"]
    assert reg.alerts(D(2030, 1, 1)).alerts == ()


def test_documents_need_a_reference_and_safe_links(reg):
    aid = reg.add(agreement())
    with pytest.raises(InputError):
        reg.add_document(aid, {"kind": "pks"})
    with pytest.raises(InputError, match="http"):
        reg.add_document(aid, {"kind": "pks", "link": "javascript:alert(1)"})
    reg.add_document(aid, {"kind": "pks", "link": "https://jdih.example.go.id/pks.pdf"})
    assert reg.get(aid).documents[0].link.startswith("https://")
