"""``kerjasama registry``: the agreements registry on the command line.

Sub-commands: ``add``, ``list``, ``show``, ``edit``, ``stage``, ``monitor``, ``budget``, ``doc``,
``import``, ``export``, ``alerts``, ``seed``, ``user add``, ``db upgrade``. Writes run with local
access and are attributed to the operating-system user, or ``--user``. The database is
``--db``, else ``KERJASAMA_DB_URL``, else a SQLite file in the user's state directory
(:mod:`registry.db`). ``alerts`` exits 1 when any alert is open (for a scheduler).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from common.errors import InputError, KerjasamaError, MissingDataError
from common.text import DEFAULT_LANG, check_lang, fmt_number, translator
from kerjasama.outputs import check_output, write_output
from kerjasama.present.agreements import (
    KIND_KEYS,
    RULE_KEYS,
    STATUS_KEYS,
    alert_line,
    money,
    party_text,
    stage_label,
    summary_line,
)

#: catalogue keys (literal, so that the catalogue tests can see every key used)
HELP_KEYS = {
    "add": "cli.registry.add_help",
    "list": "cli.registry.list_help",
    "show": "cli.registry.show_help",
    "edit": "cli.registry.edit_help",
    "stage": "cli.registry.stage_help",
    "monitor": "cli.registry.monitor_help",
    "budget": "cli.registry.budget_help",
    "doc": "cli.registry.doc_help",
    "import": "cli.registry.import_help",
    "export": "cli.registry.export_help",
    "alerts": "cli.registry.alerts_help",
    "seed": "cli.registry.seed_help",
    "user": "cli.registry.user_help",
    "db": "cli.registry.db_help",
}
#: fields printed by ``show``, in order, with their labels
SHOWN_TEXT = {
    "sector": "registry.field_sector",
    "sector_detail": "registry.field_sector_detail",
    "form": "registry.field_form",
    "object": "registry.field_object",
    "scope": "registry.field_scope",
    "notes": "registry.field_notes",
}
SHOWN_TERMS = {
    "start_on": "registry.field_start_on",
    "duration_months": "registry.field_duration_months",
    "end_on": "registry.field_end_on",
    "year": "registry.field_year",
    "dprd": "registry.field_dprd",
    "dprd_on": "registry.field_dprd_on",
}


def _lang(args) -> str:
    """``--lang`` (the global option), else ``KERJASAMA_LANG``, else Bahasa Indonesia."""
    return check_lang(getattr(args, "lang", None) or os.environ.get("KERJASAMA_LANG"))


def _tr(args) -> object:
    return translator(_lang(args))


def register(subparsers, tr=None, parents: list | None = None) -> None:
    """Add the ``registry`` sub-command and its own sub-commands."""
    tr = tr or translator(DEFAULT_LANG)
    parents = list(parents or [])
    extra = {"add_help": False} if parents else {}
    p = subparsers.add_parser(
        "registry",
        help=tr("cli.registry.help"),
        description=tr("cli.registry.description"),
        parents=parents,
        **extra,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=tr("cli.registry.db"))
    common.add_argument("--user", help=tr("cli.registry.user"))
    common.add_argument("--config", help=tr("cli.registry.config"))
    common.add_argument("--data", help=tr("cli.registry.data"))
    common.add_argument("--boundaries", help=tr("cli.registry.boundaries"))
    sub = p.add_subparsers(dest="registry_command", metavar="SUBCOMMAND")

    def cmd(name: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=tr(HELP_KEYS[name]),
            description=tr(HELP_KEYS[name]),
            parents=[*parents, common],
            **extra,
        )

    def agreement_fields(q: argparse.ArgumentParser, *, required: bool) -> None:
        q.add_argument("--name", required=required, help=tr("cli.registry.name"))
        q.add_argument("--sector", required=required, help=tr("cli.registry.sector"))
        q.add_argument(
            "--form",
            required=required,
            choices=("joint", "contract", "other"),
            help=tr("cli.registry.form"),
        )
        q.add_argument("--members", required=required, help=tr("cli.registry.members"))
        q.add_argument("--provinces", help=tr("cli.registry.provinces"))
        q.add_argument("--third-parties", help=tr("cli.registry.third_parties"))
        q.add_argument("--provider", help=tr("cli.registry.provider"))
        q.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help=tr("cli.registry.set"),
        )

    q = cmd("add")
    agreement_fields(q, required=True)
    q.add_argument("--stage", default="usulan", help=tr("cli.registry.stage"))
    q.add_argument("--date", help=tr("cli.registry.date"))

    q = cmd("list")
    _filter_args(q, tr)
    q.add_argument("--alerts", action="store_true", help=tr("cli.registry.only_alerts"))
    q.add_argument("--today", help=tr("cli.registry.today"))

    q = cmd("show")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument("--history", action="store_true", help=tr("cli.registry.history"))

    q = cmd("edit")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument("--version", type=int, help=tr("cli.registry.version"))
    agreement_fields(q, required=False)

    q = cmd("stage")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument("stage", help=tr("cli.registry.stage"))
    q.add_argument("--date", required=True, help=tr("cli.registry.date"))
    q.add_argument("--version", type=int, help=tr("cli.registry.version"))

    q = cmd("monitor")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument("--period", required=True, help=tr("cli.registry.period"))
    q.add_argument(
        "--status",
        required=True,
        choices=("on_track", "delayed", "problem", "stopped"),
        help=tr("cli.registry.status"),
    )
    q.add_argument("--note", default="", help=tr("cli.registry.note"))
    q.add_argument(
        "--indicator",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=tr("cli.registry.indicator"),
    )
    q.add_argument("--replace", action="store_true", help=tr("cli.registry.replace"))

    q = cmd("budget")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument("--party", required=True, help=tr("cli.registry.party"))
    q.add_argument("--year", required=True, help=tr("cli.registry.year"))
    q.add_argument("--amount", required=True, help=tr("cli.registry.amount"))
    q.add_argument("--note", default="", help=tr("cli.registry.note"))

    q = cmd("doc")
    q.add_argument("id", type=int, help=tr("cli.registry.id"))
    q.add_argument(
        "--kind",
        required=True,
        choices=("kb", "pks", "addendum", "dprd", "report", "other"),
        help=tr("cli.registry.doc_kind"),
    )
    q.add_argument("--number", default="", help=tr("cli.registry.doc_number"))
    q.add_argument("--date", help=tr("cli.registry.date"))
    q.add_argument("--title", default="", help=tr("cli.registry.doc_title"))
    q.add_argument("--link", default="", help=tr("cli.registry.doc_link"))
    q.add_argument("--file-name", default="", help=tr("cli.registry.doc_file"))

    q = cmd("import")
    q.add_argument("file", help=tr("cli.registry.import_file"))
    q.add_argument("--sheet", help=tr("cli.registry.sheet"))

    q = cmd("export")
    q.add_argument("--out", required=True, help=tr("cli.registry.out"))
    _filter_args(q, tr)

    q = cmd("alerts")
    q.add_argument("--today", help=tr("cli.registry.today"))
    q.add_argument("--sector", help=tr("cli.registry.sector"))
    q.add_argument("--province", help=tr("cli.registry.province"))

    q = cmd("seed")
    q.add_argument("--file", help=tr("cli.registry.seed_file"))

    q = cmd("user")
    q.add_argument("action", choices=("add",), help=tr("cli.registry.user_action"))
    q.add_argument("username", help=tr("cli.registry.username"))

    q = cmd("db")
    q.add_argument("action", choices=("upgrade",), help=tr("cli.registry.db_action"))

    p.set_defaults(func=run)


def _filter_args(q: argparse.ArgumentParser, tr) -> None:
    q.add_argument("--sector", help=tr("cli.registry.sector"))
    q.add_argument("--stage", help=tr("cli.registry.stage"))
    q.add_argument("--province", help=tr("cli.registry.province"))


def run(args) -> int:
    """Dispatch to the sub-command; return the exit status."""
    tr = _tr(args)
    name = getattr(args, "registry_command", None)
    if not name:
        print(tr("registry.choose_subcommand"), file=sys.stderr)
        return 2
    return _COMMANDS[name](args, tr)


# ---------------------------------------------------------------------------- helpers
def _user(args) -> str:
    if args.user:
        return args.user.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "local"


def _config(args):
    from analysis.config import load_config

    return load_config(args.config)


def _places(args, config, *, required: bool = False, quiet: bool = False):
    """The boundary table to check codes against (and to draw), or None when unavailable."""
    from kerjasama import paths

    try:
        path = (
            Path(args.boundaries)
            if args.boundaries
            else paths.default_boundaries(args.data, config.data.boundary_file)
        )
        if not path.is_file():
            raise MissingDataError("errors.registry.no_boundaries", file=path)
        from geo.boundaries import read_boundaries

        return read_boundaries(path)
    except KerjasamaError:
        if required:
            raise
    if not quiet:
        print(_tr(args)("registry.codes_unchecked"), file=sys.stderr)
    return None


def _open(args, *, places=None, config=None):
    """The registry. The default database (no ``--db``, no ``KERJASAMA_DB_URL``) is seeded with
    the documented arrangements when it is created: a fresh install knows what exists."""
    from registry import Registry, db

    config = config if config is not None else _config(args)
    fresh = db.new_default(args.db)
    if fresh and places is None:
        places = _places(args, config, quiet=True)
    reg = Registry.open(
        args.db, local_user=_user(args), config=config, places=places, seed_new=fresh
    )
    if reg.seeded is not None:
        print(
            _tr(args)(
                "registry.created_seeded", url=db.shown_url(db.resolve_url()), n=reg.seeded.added
            ),
            file=sys.stderr,
        )
    return reg


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("errors.registry.bad_date", field="--today", value=value) from None


def _sets(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise InputError("errors.registry.bad_set", value=item)
        key, value = item.split("=", 1)
        out[key.strip()] = value
    return out


def _field_values(args) -> dict[str, str]:
    values = _sets(args.set)
    for option, field in (
        ("name", "name"),
        ("sector", "sector"),
        ("form", "form"),
        ("members", "members"),
        ("provinces", "provinces"),
        ("third_parties", "third_parties"),
        ("provider", "provider"),
    ):
        value = getattr(args, option, None)
        if value is not None:
            values[field] = value
    return values


# ---------------------------------------------------------------------------- commands
def _add(args, tr) -> int:
    config = _config(args)
    values = _field_values(args)
    values["stage"] = args.stage
    if args.date:
        from registry.models import STAGES, stage_column

        if args.stage in STAGES:
            values[stage_column(args.stage)] = args.date
    reg = _open(args, places=_places(args, config), config=config)
    with reg:
        new = reg.add(values)
        print(tr("registry.added", id=new))
    return 0


def _list(args, tr) -> int:
    with _open(args) as reg:
        rows = reg.list(
            sector=args.sector,
            stage=args.stage,
            province=args.province,
            alerts=args.alerts,
            today=_today(args.today),
        )
    for s in rows:
        print(summary_line(s, tr))
    print(tr("registry.listed", n=len(rows)))
    return 0


def _show(args, tr) -> int:
    from analysis.pks import CLAUSES, label_key
    from registry.records import dotted

    with _open(args) as reg:
        d = reg.get(args.id)
        history = reg.history(args.id) if args.history else []
        report = reg.alerts(dt.date.today(), ids=[args.id])
    v = d.values
    lang = _lang(args)
    print(f"#{v['id']} {v['name']}  ({tr('registry.version')} {v['version']})")
    for key, label in SHOWN_TEXT.items():
        if v.get(key):
            print(f"  {tr(label)}: {v[key]}")
    print(f"  {tr('registry.field_stage')}: {stage_label(v['stage'], tr)}")
    from registry.models import STAGES, stage_column

    for stage in STAGES:
        day = v[stage_column(stage)]
        if day:
            print(f"    {stage_label(stage, tr)}: {day.isoformat()}")
    for key, label in SHOWN_TERMS.items():
        if v.get(key) not in (None, ""):
            print(f"  {tr(label)}: {v[key]}")
    print(f"  {tr('registry.field_parties')}:")
    for p in d.parties:
        print(f"    - {tr(KIND_KEYS[p.kind])}: {party_text(p)}")
    print(f"  {tr('registry.field_pks_clauses')}:")
    for clause in CLAUSES:
        mark = "[x]" if clause in d.pks_clauses else "[ ]"
        print(f"    {mark} {tr(label_key(clause))}")
    if d.budgets:
        print(f"  {tr('registry.field_budget')}:")
        for b in d.budgets:
            who = b.party_name or dotted(b.party_code)
            print(f"    {b.year} {who}: {money(b.amount, lang)} {b.note}".rstrip())
    if d.documents:
        print(f"  {tr('registry.field_documents')}:")
        for doc in d.documents:
            bits = [
                doc.kind,
                doc.number,
                doc.issued_on.isoformat() if doc.issued_on else "",
                doc.title,
                doc.link,
                doc.file_name,
            ]
            print("    - " + " · ".join(b for b in bits if b))
    if v.get("documented") or v.get("source_url"):
        print(f"  {tr('registry.field_source')}: {v['source_title']} {v['source_url']}".rstrip())
        if v.get("confidence"):
            print(f"  {tr('registry.field_confidence')}: {v['confidence']}")
    if d.monitoring:
        print(f"  {tr('registry.field_monitoring')}:")
        for m in d.monitoring:
            ind = ", ".join(f"{k}={fmt_number(x, lang)}" for k, x in sorted(m.indicators.items()))
            print(
                f"    {m.period.isoformat()[:7]} {tr(STATUS_KEYS[m.status])} "
                f"{m.note} {ind} ({m.recorded_by})".rstrip()
            )
    for alert in report.for_agreement(d.id):
        print("  ! " + alert_line(alert, tr))
    if history:
        print(f"  {tr('registry.field_history')}:")
        for h in history:
            what = h.field or h.action
            change = f"{h.old} -> {h.new}" if h.action == "update" else (h.new or "")
            print(f"    {h.at:%Y-%m-%d %H:%M} {h.user} {h.table}#{h.row_id} {what}: {change}")
    return 0


def _edit(args, tr) -> int:
    config = _config(args)
    changes = _field_values(args)
    if not changes:
        raise InputError("errors.registry.nothing_to_change")
    from registry.records import PARTY_FIELDS

    places = _places(args, config) if any(k in changes for k in PARTY_FIELDS) else None
    with _open(args, places=places, config=config) as reg:
        version = args.version if args.version is not None else reg.get(args.id).version
        new = reg.edit(args.id, changes, expected_version=version)
    print(tr("registry.saved", id=args.id, version=new))
    return 0


def _stage(args, tr) -> int:
    with _open(args) as reg:
        new = reg.advance(args.id, args.stage, args.date, expected_version=args.version)
    print(tr("registry.saved", id=args.id, version=new))
    return 0


def _monitor(args, tr) -> int:
    values = {
        "period": args.period,
        "status": args.status,
        "note": args.note,
        "indicators": ";".join(args.indicator),
    }
    with _open(args) as reg:
        reg.record_monitoring(args.id, values, replace=args.replace)
    print(tr("registry.monitored", id=args.id, period=args.period))
    return 0


def _budget(args, tr) -> int:
    with _open(args) as reg:
        new = reg.commit_budget(args.id, args.party, args.year, args.amount, note=args.note)
    print(tr("registry.saved", id=args.id, version=new))
    return 0


def _doc(args, tr) -> int:
    values = {
        "kind": args.kind,
        "number": args.number,
        "issued_on": args.date,
        "title": args.title,
        "link": args.link,
        "file_name": args.file_name,
    }
    with _open(args) as reg:
        reg.add_document(args.id, values)
    print(tr("registry.saved_document", id=args.id))
    return 0


def _import(args, tr) -> int:
    from registry.exchange import read_rows

    rows = read_rows(args.file, sheet=args.sheet)
    config = _config(args)
    with _open(args, places=_places(args, config), config=config) as reg:
        ids = reg.add_many(
            [r for _, r in rows], source=str(args.file), row_numbers=[n for n, _ in rows]
        )
    print(tr("registry.imported", n=len(ids), file=args.file))
    return 0


def _export(args, tr) -> int:
    from registry import db, exchange

    config = _config(args)
    inputs = [config.source, *(p for p in [db.sqlite_path(db.resolve_url(args.db))] if p)]
    if args.boundaries:
        inputs.append(Path(args.boundaries))
    out = check_output(args.out, "--out", inputs, (".csv", ".geojson", ".json"))
    suffix = out.suffix.lower()
    places = _places(args, config, required=True) if suffix != ".csv" else None
    with _open(args, config=config) as reg:
        rows = reg.list(sector=args.sector, stage=args.stage, province=args.province)
    text = (
        exchange.agreements_csv(rows)
        if suffix == ".csv"
        else exchange.agreements_geojson(rows, places)
    )
    write_output(out, text, "--out")
    print(tr("registry.exported", n=len(rows), file=out))
    return 0


def _alerts(args, tr) -> int:
    with _open(args) as reg:
        report = reg.alerts(_today(args.today), sector=args.sector, province=args.province)
    for alert in report.alerts:
        print(alert_line(alert, tr))
    if report.dates_unknown:
        print(tr("registry.dates_unknown_heading", n=len(report.dates_unknown)))
        for u in report.dates_unknown:
            rules = ", ".join(tr(RULE_KEYS[r]) for r in u.rules)
            print(f"  #{u.agreement_id} {u.name} ({stage_label(u.stage, tr)}): {rules}")
    print(tr("registry.alerts_summary", n=len(report.alerts), today=report.today.isoformat()))
    return 1 if report.open else 0


def _seed(args, tr) -> int:
    from registry.seed import seed

    config = _config(args)
    with _open(args, places=_places(args, config), config=config) as reg:
        result = seed(reg, args.file)
    print(tr("registry.seeded", added=result.added, skipped=result.skipped, file=result.source))
    return 0


def _read_password(tr) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(tr("registry.password_prompt"))
        second = getpass.getpass(tr("registry.password_again"))
        if first != second:
            raise InputError("errors.registry.password_mismatch")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _user_cmd(args, tr) -> int:
    from registry import auth

    password = _read_password(tr)
    with _open(args) as reg:
        editor = auth.create_user(reg, args.username, password)
    print(tr("registry.user_added", username=editor.username))
    return 0


def _db(args, tr) -> int:
    from registry import db

    report = db.upgrade(args.db)
    shown = db.shown_url(report.url)
    if report.backup is not None:
        print(tr("registry.db_backup", file=report.backup))
    if report.changed:
        print(
            tr("registry.db_upgraded", url=shown, before=report.before or "-", after=report.after)
        )
    else:
        print(tr("registry.db_current", url=shown, revision=report.after))
    return 0


_COMMANDS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "edit": _edit,
    "stage": _stage,
    "monitor": _monitor,
    "budget": _budget,
    "doc": _doc,
    "import": _import,
    "export": _export,
    "alerts": _alerts,
    "seed": _seed,
    "user": _user_cmd,
    "db": _db,
}
