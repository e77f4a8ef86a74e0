#!/usr/bin/env python3
"""The realistic-text archive laid out as an opsbook handbook whose reviews are validated.

  benches/gen_schema_corpus.py --pages N --out DIR [--seed S] [--realtext PATH]

Same pages, bodies and links as `shared/bench/gen_corpus_realtext.py --tool opsbook-plain`
(that script is imported and its generator run; only the front matter and opsbook.toml are
written here), but in the handbook layout instead of under content/archive/, so every file is
a playbook, template, team or review, and every review is checked against its template:

  content/templates/   5 templates with `folder`, `meeting`, typed `[fields.*]` and `[[sections]]`
  content/incidents/   60%: severity (enum, required), status (enum), teams (list of team),
                       services, incident_commander, started/detected/resolved (datetime),
                       duration_minutes (int), discussed_in (page), action_items
  content/reviews/ops/ 20%: teams, week, facilitator, metrics (dated series), incidents
                       (list of page), action_items
  content/reviews/business/ 15%: teams, period, presenter, document (url), metrics
  content/meetings/    5% playbooks (cadence, owner, related = their template)
  content/teams/       20 teams (name, oncall, channel, services, members)

`opsbook check --root DIR` must report 0 errors; bench.sh builds it for "opsbook (schema)".
Standard library only. Deterministic: the same (N, seed) gives the same files.
"""
import argparse
import datetime as dt
import importlib.util
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def die(msg):
    print(f"gen_schema_corpus: {msg}", file=sys.stderr)
    sys.exit(1)


def load_realtext(path):
    """Import gen_corpus_realtext.py as a module: its vocabulary, plan and bodies are reused."""
    if not os.path.isfile(path):
        die(f"{path} not found (pass --realtext, or set OPSBOOK_SHARED to the shared/ folder)")
    spec = importlib.util.spec_from_file_location("gen_corpus_realtext", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    # What this script relies on; a changed generator should fail here, not write odd pages.
    for name in ("generate", "front_matter", "toml_value", "Ctx", "TEMPLATES", "SEVERITIES", "REGIONS"):
        if not hasattr(mod, name):
            die(f"{path} has no `{name}`: gen_schema_corpus.py needs updating")
    return mod


# ---------------------------------------------------------------------------- templates
# One schema per template id of the realtext generator. Section headings are the `##`
# headings its bodies write for that kind, so every review has them.

STATUS_VALUES = ["draft", "in-review", "reviewed"]

FIELDS = {
    "incident-review": [
        ("severity", {"type": "enum", "values": None, "required": True,
                      "help": "Impact level, sev1 (widespread customer impact) to sev4."}),
        ("status", {"type": "enum", "values": STATUS_VALUES, "help": "Where the write-up is."}),
        ("teams", {"type": "list", "of": "team", "required": True,
                   "help": "Teams that own the affected services or took part in the response."}),
        ("services", {"type": "list", "of": "string", "help": "Services that were affected."}),
        ("incident_commander", {"type": "string", "help": "Handle of the person who led the response."}),
        ("started", {"type": "datetime", "help": "When customer impact began."}),
        ("detected", {"type": "datetime", "help": "When we first knew."}),
        ("resolved", {"type": "datetime", "help": "When impact ended."}),
        ("duration_minutes", {"type": "int", "help": "Minutes of customer impact."}),
        ("discussed_in", {"type": "page", "help": "The ops review that discussed this incident."}),
        ("action_items", {"type": "action_items", "help": "Follow-ups, each with one owner and a due date."}),
    ],
    "ops-review": [
        ("teams", {"type": "list", "of": "team", "required": True, "help": "Teams that presented."}),
        ("week", {"type": "string", "help": "ISO week reviewed, e.g. 2024-W14."}),
        ("facilitator", {"type": "string", "help": "Handle of the person running the meeting."}),
        ("metrics", {"type": "metrics", "help": "On-call and service metrics with goals and a weekly series."}),
        ("incidents", {"type": "list", "of": "page", "help": "Incident reviews discussed this week."}),
        ("action_items", {"type": "action_items", "help": "Follow-ups agreed in the meeting."}),
    ],
    "business-review": [
        ("teams", {"type": "list", "of": "team", "required": True, "help": "The team whose area is reviewed."}),
        ("period", {"type": "string", "help": "The quarter reviewed, e.g. 2024-Q2."}),
        ("presenter", {"type": "string", "help": "Handle of the presenter."}),
        ("document", {"type": "url", "help": "The full written review."}),
        ("metrics", {"type": "metrics", "required": True, "help": "Each metric with its goal, direction and series."}),
    ],
    "tech-spec-review": [
        ("teams", {"type": "list", "of": "team", "required": True, "help": "Owning teams."}),
        ("stage", {"type": "enum", "values": ["draft", "in-review", "approved", "rejected"]}),
        ("reviewers", {"type": "list", "of": "string"}),
    ],
    "one-on-one": [
        ("manager", {"type": "string", "required": True}),
        ("report", {"type": "string", "required": True}),
    ],
}

LABELS = {"incident-review": ("Incident", "INC-{year}-{seq:06}"),
          "ops-review": ("Ops review", "OPS-{year}-{seq:06}"),
          "business-review": ("Business review", "BIZ-{year}-{seq:06}"),
          "tech-spec-review": ("Spec", "SPEC-{seq:03}"),
          "one-on-one": ("1:1", "1on1-{year}-{seq:03}")}


class Schema:
    """The front-matter writer handed to the realtext generator in place of its own."""

    def __init__(self, rt):
        self.rt = rt
        self.ctx = None
        self.playbook_of = {}     # meeting slug -> id of its first playbook (what templates name)
        self.ops_by_time = []     # ops review ids in date order, for discussed_in
        self.inc_by_time = []     # incident ids in date order, for an ops review's incidents

    def prepare(self, ctx):
        self.ctx = ctx
        for d in ctx.by_kind.get("playbook", []):
            self.playbook_of.setdefault(d.meta["meeting"], d.meta["id"])
        self.ops_by_time = [d.meta["id"] for d in ctx.by_kind.get("ops", [])]
        self.inc_by_time = [d.meta["id"] for d in ctx.by_kind.get("incident", [])]

    def front_matter(self, tool, doc, ctx):
        if self.ctx is not ctx:
            self.prepare(ctx)
        tv = self.rt.toml_value
        # The generator's own choices (related ids, action items, metrics), then this file's.
        m, tables = self.rt.fm_fields(doc, ctx)
        r = random.Random(f"schema/{doc.kind}/{doc.idx}")
        top = [("title", doc.title)]
        if doc.date:
            top.append(("date", doc.date))
        nested = {}     # name -> {key: table}: [fields.NAME]
        arrays = {}     # name -> [table]: [[NAME]]
        kind = doc.kind
        if kind == "team":
            top += [("id", m["id"]), ("name", m["name"]), ("oncall", "@" + m["oncall"]),
                    ("channel", f"#team-{m['id']}"), ("services", m["services"]),
                    ("members", m["members"])]
        elif kind == "template":
            tid = m["id"]
            label, id_format = LABELS[tid]
            top += [("id", tid), ("summary", f"Fill-in document for the {tid.replace('-', ' ')} meeting."),
                    ("folder", m["claims"][0]), ("meeting", self.playbook_of[m["meeting"]]),
                    ("label", label), ("id_format", id_format)]
            fields = {}
            for name, decl in FIELDS[tid]:
                decl = dict(decl)
                if decl.get("values", 0) is None:
                    decl["values"] = self.rt.SEVERITIES
                fields[name] = decl
            nested["fields"] = fields
            arrays["sections"] = [{"heading": s, "prompt": f"What belongs under {s.lower()}."}
                                  for s in m["sections"]]
        elif kind == "playbook":
            top += [("id", m["id"]), ("cadence", m["cadence"]),
                    ("owner", self.ctx.team_by_id[m["owner_team"]].meta["name"] + " team"),
                    ("related", [f"templates/{m['template']}"])]
        elif kind == "incident":
            minutes = m["duration_minutes"]
            started = dt.datetime.combine(doc.date, dt.time(r.randint(0, 23), r.randint(0, 59)))
            detected = started + dt.timedelta(minutes=r.randint(0, min(30, minutes)))
            resolved = started + dt.timedelta(minutes=minutes)
            status = "in-review" if m["status"] == "draft-review" else m["status"]
            top += [("id", m["id"]), ("severity", m["severity"]), ("status", status),
                    ("teams", m["teams"]), ("services", m["services"]),
                    ("incident_commander", r.choice(ctx.vocab.people)),
                    ("started", Raw(iso(started))), ("detected", Raw(iso(detected))),
                    ("resolved", Raw(iso(resolved))), ("duration_minutes", minutes)]
            if self.ops_by_time and r.random() < 0.5:
                k = doc.idx * len(self.ops_by_time) // max(1, len(self.inc_by_time))
                top.append(("discussed_in", self.ops_by_time[min(k, len(self.ops_by_time) - 1)]))
            if m.get("related"):
                top.append(("related", m["related"]))
            arrays["action_items"] = tables.get("action_items", [])
        elif kind == "ops":
            iso_year, week, _ = doc.date.isocalendar()
            top += [("id", m["id"]), ("teams", m["teams"]), ("week", f"{iso_year}-W{week:02d}"),
                    ("facilitator", m["facilitator"])]
            if self.inc_by_time:
                k = doc.idx * len(self.inc_by_time) // max(1, len(self.ops_by_time))
                near = self.inc_by_time[max(0, k - 2):k + 1]
                if near:
                    top.append(("incidents", near))
            arrays["metrics"] = tables.get("metrics", [])
            arrays["action_items"] = [
                {"title": f"Ops follow-up {j + 1} from {m['id']}", "owner": r.choice(ctx.vocab.people),
                 "due": doc.date + dt.timedelta(days=r.randint(7, 42)),
                 "status": r.choice(["open", "done", "done", "dropped"])}
                for j in range(r.randint(0, 3))]
        elif kind == "biz":
            top += [("id", m["id"]), ("teams", m["teams"]), ("period", m["period"]),
                    ("presenter", m["presenter"]),
                    ("document", f"https://docs.example.org/business-reviews/{m['id'].lower()}")]
            arrays["metrics"] = tables.get("metrics", [])
        else:
            die(f"unknown document kind {kind!r} from the realtext generator")

        lines = ["+++"]
        for k, v in top:
            lines.append(f"{k} = {v.text if isinstance(v, Raw) else tv(v)}")
        for name, subs in nested.items():
            for sub, table in subs.items():
                lines += ["", f"[{name}.{sub}]"] + [f"{k} = {tv(v)}" for k, v in table.items()]
        for name, rows in arrays.items():
            for row in rows:
                lines += ["", f"[[{name}]]"] + [f"{k} = {tv(v)}" for k, v in row.items()]
        lines.append("+++")
        return "\n".join(lines) + "\n\n"


class Raw:
    """A TOML value written as is (datetimes: toml_value() knows only dates)."""

    def __init__(self, text):
        self.text = text


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:00Z")


CONFIG = '''# opsbook.toml of the generated schema corpus (benches/gen_schema_corpus.py).
title = "Ops handbook and review archive"
base_url = "https://handbook.example.org/"
# A fixed "today", so overdue action items do not change from day to day.
today = "2026-06-30"
'''


def main():
    shared = os.environ.get("OPSBOOK_SHARED", os.path.join(ROOT, "..", "shared"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="content pages (N), as gen_corpus_realtext.py")
    ap.add_argument("--out", required=True, help="folder to create (must not exist or be empty)")
    ap.add_argument("--seed", type=int, help="default: gen_corpus_realtext.py's")
    ap.add_argument("--realtext", default=os.path.join(shared, "bench", "gen_corpus_realtext.py"),
                    help="path of gen_corpus_realtext.py (default: $OPSBOOK_SHARED/bench/, else ../shared/bench/)")
    a = ap.parse_args()
    if a.pages < 20:
        ap.error("--pages must be at least 20")
    if os.path.exists(a.out) and os.listdir(a.out):
        ap.error(f"{a.out} exists and is not empty")
    rt = load_realtext(os.path.abspath(a.realtext))
    seed = rt.DEFAULT_SEED if a.seed is None else a.seed
    schema = Schema(rt)
    # generate() calls the module-level front_matter() for every page: this one replaces it.
    rt.front_matter = schema.front_matter
    pages, words, nbytes, content = rt.generate("plain", a.pages, a.out, seed)
    with open(os.path.join(a.out, "opsbook.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    print(f"schema: {content} content pages + {pages - content} team/template pages; "
          f"{words:,} body words; {nbytes / 1e6:.1f} MB of markdown in {a.out}")


if __name__ == "__main__":
    main()
