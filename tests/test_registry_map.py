"""The registry on the map page (AppTest, real data, a SQLite registry): existing agreements as
a toggleable layer, a suggestion that overlaps one labelled "sudah ada kerja sama: ..." instead
of being presented as new, and one click that turns a suggestion into a draft agreement, for a
logged-in editor only (checked by the registry on the server)."""

from __future__ import annotations

import pytest
from test_app import candidates_frame, map_args, run_app

from registry import Registry, auth

PASSWORD = "correct horse battery"


@pytest.fixture
def map_db(real_data, tmp_path, monkeypatch):
    from kerjasama.webapp import registrypage

    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    monkeypatch.setenv("KERJASAMA_DATA", str(real_data))
    monkeypatch.setenv("KERJASAMA_DB_URL", url)
    reg = Registry.open(url, local_user="admin")
    auth.create_user(reg, "editor1", PASSWORD)
    yield reg
    registrypage._registry.clear()
    reg.close()


def first_candidate(at):
    table = candidates_frame(at)
    cid = str(table["ID klaster"].iloc[0])
    return cid, cid.split("-")[2:]


def cells(at) -> str:
    return " ".join(" ".join(map(str, f.value.to_numpy().ravel())) for f in at.dataframe)


def test_existing_agreement_on_the_map_and_on_the_suggestion(map_db):
    at = run_app()
    assert not at.exception, at.exception
    cid, members = first_candidate(at)
    assert '"kind":"agreement"' not in map_args(at)["feature_group"]
    map_db.add(
        {"name": "SPAM Regional Uji", "sector": "water", "form": "joint", "stage": "kb",
         "kb_on": "2024-01-10", "members": ";".join(members)}
    )  # fmt: skip
    at.run()
    assert not at.exception, at.exception
    label = "sudah ada kerja sama: SPAM Regional Uji (KB/MoU, 2024)"
    assert label in cells(at)  # in the candidates table, instead of presented as new
    assert any(i.value == label for i in at.info)  # under the opened candidate
    groups = map_args(at)["feature_group"]
    assert '"kind":"agreement"' in groups
    assert "Kerja sama yang ada: SPAM Regional Uji (KB/MoU, 2024)" in groups
    # the layer is a toggle
    at.toggle(key="agreements:id").set_value(False).run()
    assert '"kind":"agreement"' not in map_args(at)["feature_group"]
    # an agreement of another sector neither labels nor shows
    map_db.add(
        {"name": "TPA Lain", "sector": "waste", "form": "joint", "members": ";".join(members)}
    )
    at.toggle(key="agreements:id").set_value(True).run()
    assert "TPA Lain" not in map_args(at)["feature_group"] and "TPA Lain" not in cells(at)


def test_one_click_draft_needs_an_editor_login_checked_on_the_server(map_db):
    at = run_app()
    cid, members = first_candidate(at)
    button = at.button(key=f"draft:{cid}")
    assert button.disabled  # no login: not offered
    # a forged login in the session: offered, but the registry refuses and nothing is written
    at = run_app(registry_token="forged", registry_editor="mallory")
    at.button(key=f"draft:{cid}").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Menyimpan memerlukan login editor. Masuk lalu simpan lagi; belum ada yang tersimpan."
    ]
    assert map_db.list() == []
    assert at.button(key=f"draft:{cid}").disabled
    # an editor's login: one click records the draft with members, form, provider, rationale
    token = auth.login(map_db, "editor1", PASSWORD)
    at = run_app(registry_token=token, registry_editor="editor1")
    row = candidates_frame(at).iloc[0]
    at.button(key=f"draft:{cid}").click().run()
    assert not at.exception, at.exception
    assert any("tercatat (tahap usulan)" in s.value for s in at.success)
    (draft,) = map_db.list()
    assert draft.stage == "usulan" and draft.sector == "water"
    assert sorted(draft.members) == sorted(members)
    assert draft.form == cid.split("-")[1]
    detail = map_db.get(draft.id)
    assert detail["evidence"] == f"kerjasama suggest {cid}"
    assert detail["notes"] == row["Penjelasan"]
    assert {h.user for h in map_db.history(draft.id)} == {"editor1"}
    # from now on the suggestion is labelled as already existing
    assert f"sudah ada kerja sama: {draft.name} (usulan, " in cells(at)
