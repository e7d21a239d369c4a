"""report.html: one self-contained page that shows a roster's week to people.

The page holds everything it needs (styles, data, and the uPlot charting library, MIT,
vendored in rostering/assets/): it opens offline and can be mailed. Its parts: headline
figures, the roster as a people x days grid coloured by shift kind, coverage against the
requirement per interval and tier level (one zoomable week chart per level, days as
buttons), the predicted service level where a forecast gives contacts, every hard-rule
violation in words, fairness per contract group, on/off requests granted or refused. Every
figure comes from rostering.figures (evaluate, check, service); with `other`, a second
roster of the same instance is drawn against the first.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from rostering.check import MINUTE_FIGURES, EmployeeFigures, request_outcomes
from rostering.figures import Judged, RunFigures, run_figures
from rostering.io.roster import break_text
from rostering.io.run_dir import RunInfo, load_roster

KINDS = ("early", "day", "late", "night")
_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --------------------------------------------------------------------------- formatting


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2%}"


def _hm(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60}h{m % 60:02d}"


def _asset(name: str) -> str:
    return resources.files("rostering").joinpath("assets", name).read_text(encoding="utf-8")


def _json_script(data: Any) -> str:
    # "<" escaped so that no string in the data can close the script element
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# --------------------------------------------------------------------------- parts


def _headline(j: Judged, f: RunFigures, run: RunInfo | None, label: str) -> str:
    if run is not None:
        status = f"{run.status} ({run.stop_reason})" if run.stop_reason else run.status
    else:
        status = "checked roster"
    legal = "legal" if not j.evaluation.violations else "NOT LEGAL"
    cards = [
        ("status", status, "" if run is None else "from the run's summary.json"),
        ("hard rules", legal, f"{f.hard_violations} violation(s)"),
        ("objective", f"{f.objective:,}", "evaluate's price of this roster"),
    ]
    if run is not None and run.gap is not None and run.best_bound is not None:
        cards.append(("gap to bound", _pct(run.gap), f"bound {run.best_bound:,.0f}"))
    if f.unmet_person_hours is not None:
        cards.append(
            ("unmet person-hours", _hours(f.unmet_person_hours),
             f"of {_hours(f.required_person_hours)} required")
        )  # fmt: skip
    if j.service is not None:
        s = j.service
        cards.append(
            ("service level", _pct(s.horizon.service_level),
             f"predicted (Erlang {s.erlang}), target {s.target:.0%}; "
             f"{s.horizon.intervals_below_target} interval(s) below")
        )  # fmt: skip
        if s.horizon.answer_rate is not None:
            cards.append(("answer rate", _pct(s.horizon.answer_rate), "predicted (Erlang A)"))
    cards.append(("paid hours", _hours(f.paid_hours), f"{f.shifts} shifts"))
    if j.problem.model.weights.cost or f.labour_cost:
        cards.append(("labour cost", f"{f.labour_cost:,}", "hourly_cost × paid hours"))
    body = "".join(
        f'<div class="card"><div class="k">{_e(k)}</div><div class="v">{_e(v)}</div>'
        f'<div class="n">{_e(n)}</div></div>'
        for k, v, n in cards
    )
    return f'<section id="headline"><h2>{_e(label)}</h2><div class="cards">{body}</div></section>'


def _grid(j: Judged) -> str:
    p = j.problem
    shifts = {s.id: s for s in p.model.shifts}
    cells: dict[tuple[str, int], list[str]] = defaultdict(list)
    rests: dict[tuple[str, int], list[str]] = defaultdict(list)  # breaks, when given
    for a in j.roster.assignments:
        cells[a.employee_id, a.day].append(a.shift_id)
        if a.breaks:
            rests[a.employee_id, a.day].append(break_text(p, a))
    notes: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for r, granted in request_outcomes(p, j.roster):
        scope = r.shift_id or ("the day" if r.kind == "off" else "any shift")
        what = f"{r.kind} {scope}"
        outcome = "granted" if granted else "refused"
        notes[r.employee_id, r.day].append(
            ("req-ok" if granted else "req-no", f"request {what}: {outcome}")
        )
    for r in p.requests:
        if r.kind in ("unavailable", "leave", "fixed") and 0 <= r.day < p.days:
            what = r.kind if r.shift_id is None else f"{r.kind} {r.shift_id}"
            notes[r.employee_id, r.day].append((r.kind, what))
    flagged = {(v.employee_id, d) for v in j.evaluation.violations for d in v.dates}
    figures = {e.employee_id: e for e in j.check.employees}
    head = "".join(
        f'<th class="day{" we" if p.date_of(d).weekday() >= 5 else ""}">'
        f"{_WEEKDAY[p.date_of(d).weekday()]}<br>{p.date_of(d):%d %b}</th>"
        for d in range(p.days)
    )
    rows = []
    for e in p.employees:
        tds = []
        for d in range(p.days):
            ids = cells.get((e.id, d), [])
            kind = " ".join(f"k-{shifts[s].kind or 'other'}" for s in ids[:1])
            titles = [
                f"{s} {shifts[s].start_minute // 60:02d}:{shifts[s].start_minute % 60:02d}+"
                f"{_hm(shifts[s].minutes)}"
                for s in ids
            ]
            marks = notes.get((e.id, d), [])
            classes = [kind] + [m[0] for m in marks]
            if (e.id, p.date_of(d)) in flagged:
                classes.append("viol")
            rest = rests.get((e.id, d), [])
            titles += [f"break {text}" for text in rest]
            title = "; ".join(titles + [m[1] for m in marks])
            shown = "".join(f"<br><small>{_e(text)}</small>" for text in rest)
            tds.append(
                f'<td class="{" ".join(c for c in classes if c)}" title="{_e(title)}">'
                f"{_e('|'.join(ids))}{shown}</td>"
            )
        rows.append(
            f'<tr><th class="who">{_e(e.id)}</th><td class="name">{_e(e.name)}</td>'
            f"<td>{_e(e.tier)}</td><td>{_e(e.contract)}</td>{''.join(tds)}"
            f'<td class="num" title="{_e(_limits(figures[e.id]))}">'
            f"{_hm(figures[e.id].minutes)}</td></tr>"
        )
    legend = "".join(f'<span class="k-{k} chip">{k}</span>' for k in KINDS)
    legend += (
        '<span class="chip req-ok">request granted</span><span class="chip req-no">request '
        'refused</span><span class="chip unavailable">unavailable</span>'
        '<span class="chip leave">leave</span>'
        '<span class="chip viol">hard rule broken</span>'
    )
    return (
        '<section id="roster"><h2>Roster</h2><p class="legend">' + legend + "</p>"
        '<div class="scroll"><table class="grid"><thead><tr><th>employee</th><th>name</th>'
        f"<th>tier</th><th>contract</th>{head}<th>paid</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _limits(e: EmployeeFigures) -> str:
    """The contract's paid-time limits over the horizon, as check computes them."""
    low = "–" if e.min_minutes is None else _hm(e.min_minutes)
    high = "–" if e.max_minutes is None else _hm(e.max_minutes)
    return f"paid {_hm(e.minutes)}; contract limits over the period: {low} to {high}"


def _epoch(moment: datetime) -> int:
    """Seconds of a local wall-clock time read as UTC: charts show it in UTC, unshifted."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def _coverage_data(j: Judged, other: Judged | None) -> dict[str, Any]:
    """Chart data: one chart per tier level (interval demand) or per shift (slot demand)."""
    p = j.problem
    origin = datetime.combine(p.start, datetime.min.time())
    charts: list[dict[str, Any]] = []
    if p.slot_demand is not None:
        days = [_epoch(origin + timedelta(days=d)) for d in range(p.days)]
        for sid in [s.id for s in p.model.shifts]:
            series: dict[str, list[int | None]] = {"required": [None] * p.days,
                                                   "assigned": [None] * p.days}  # fmt: skip
            mine = [r for r in j.evaluation.coverage if r.shift_id == sid]
            if not mine:
                continue
            for r in mine:
                assert r.date is not None
                d = p.day_of(r.date)
                series["required"][d] = (series["required"][d] or 0) + r.required
                series["assigned"][d] = (series["assigned"][d] or 0) + (r.assigned or 0)
            lines = [{"label": "required", "values": series["required"]},
                     {"label": "assigned", "values": series["assigned"]}]  # fmt: skip
            if other is not None:
                theirs: list[int | None] = [None] * p.days
                for r in other.evaluation.coverage:
                    if r.shift_id == sid and r.date is not None:
                        d = p.day_of(r.date)
                        theirs[d] = (theirs[d] or 0) + (r.assigned or 0)
                lines.append({"label": "assigned (other)", "values": theirs})
            charts.append({"id": f"slot-{sid}", "title": f"shift {sid}: people per day",
                           "x": days, "lines": lines, "step": False})  # fmt: skip
        return {"charts": charts, "days": []}  # a point per day: no day to zoom into
    grid = p.model.interval_minutes or 60
    count = p.priced_minutes // grid
    xs = [_epoch(origin + timedelta(minutes=i * grid)) for i in range(count)]
    index = {origin + timedelta(minutes=i * grid): i for i in range(count)}

    def level(rows: Any, tier: str, field: str) -> list[int | None]:
        values: list[int | None] = [None] * count
        for r in rows:
            if r.tier == tier and r.start in index:
                values[index[r.start]] = getattr(r, field)
        return values

    tiers = p.model.tiers
    for k, tier in enumerate(tiers):
        who = tier if k == len(tiers) - 1 else f"{tier} or higher"
        lines = [
            {"label": "required", "values": level(j.evaluation.coverage, tier, "required")},
            {"label": "on duty", "values": level(j.evaluation.coverage, tier, "on_duty")},
        ]
        if other is not None:
            lines.append(
                {"label": "on duty (other)",
                 "values": level(other.evaluation.coverage, tier, "on_duty")}
            )  # fmt: skip
        charts.append({"id": f"level-{tier}", "title": f"people on duty: {who}", "x": xs,
                       "lines": lines, "step": True})  # fmt: skip
    for name, judged in (("", j), (" (other)", other)):
        if judged is None or judged.service is None:
            continue
        sl: list[float | None] = [None] * count
        for iv in judged.service.intervals:
            if iv.start in index:
                sl[index[iv.start]] = round(iv.service_level * 100, 2)
        if name:
            charts[-1]["lines"].append({"label": "service level % (other)", "values": sl})
            continue
        target = [round(judged.service.target * 100, 2) if v is not None else None for v in sl]
        charts.append({"id": "service", "title": "predicted service level per interval (%)",
                       "x": xs, "lines": [{"label": "service level %", "values": sl},
                                          {"label": "target %", "values": target}],
                       "step": True})  # fmt: skip
    days = [_epoch(origin + timedelta(days=d)) for d in range(p.days + 1)]
    return {"charts": charts, "days": days}


def _service_days(j: Judged) -> str:
    """The predicted service per day, where a forecast gives contacts."""
    if j.service is None:
        return ""
    s = j.service
    answer = s.horizon.answer_rate is not None
    rows = "".join(
        f"<tr><td>{d}</td><td class=num>{t.contacts:,.0f}</td><td class=num>"
        f"{_pct(t.service_level)}</td>"
        + (f"<td class=num>{_pct(t.answer_rate)}</td>" if answer else "")
        + f"<td class=num>{t.intervals_below_target}</td></tr>"
        for d, t in [*s.by_day.items(), ("whole period", s.horizon)]
    )
    worst = s.worst
    note = (
        f"Worst interval: {worst.start:%Y-%m-%d %H:%M} at {_pct(worst.service_level)}. "
        if worst is not None
        else ""
    )
    return (
        '<h3>Predicted service per day</h3><table class="plain" id="service-days"><thead><tr>'
        "<th>date</th><th>contacts</th><th>service level</th>"
        + ("<th>answer rate</th>" if answer else "")
        + f"<th>intervals below {s.target:.0%}</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="note">{note}Erlang {s.erlang}, per interval and tier level, for the '
        "people on duty; days and the period weigh intervals by contacts.</p>"
    )


def _fairness(j: Judged) -> str:
    rows = []
    for g in j.check.groups:
        for i, f in enumerate(g.figures):

            def show(v: float, name: str = f.figure) -> str:
                return _hm(v) if name in MINUTE_FIGURES else f"{v:g}"

            label = (
                f'<th rowspan="{len(g.figures)}">{_e(g.contract)} ({len(g.employee_ids)})</th>'
                if i == 0
                else ""
            )
            stdev = _hm(f.stdev) if f.figure in MINUTE_FIGURES else f"{f.stdev:.2f}"
            rows.append(
                f"<tr>{label}<td>{_e(f.figure)}</td><td class=num>{show(f.min)}</td>"
                f"<td class=num>{show(f.max)}</td><td class=num>{show(f.spread)}</td>"
                f"<td class=num>{stdev}</td></tr>"
            )
    return (
        '<section id="fairness"><h2>Fairness per contract group</h2><table class="plain">'
        "<thead><tr><th>group (people)</th><th>figure</th><th>min</th><th>max</th>"
        f"<th>spread</th><th>stdev</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p class=note>minutes: paid time; requests: on/off requests asked, requests_granted: "
        "granted.</p></section>"
    )


def _requests(j: Judged) -> str:
    outcomes = request_outcomes(j.problem, j.roster)
    granted = sum(1 for _, ok in outcomes if ok)
    rows = "".join(
        f'<tr class="{"req-ok" if ok else "req-no"}"><td>{_e(r.employee_id)}</td>'
        f"<td>{j.problem.date_of(r.day)}</td><td>{_e(r.kind)}</td><td>{_e(r.shift_id or '')}"
        f"</td><td class=num>{r.weight}</td><td>{'granted' if ok else 'refused'}</td></tr>"
        for r, ok in outcomes
    )
    if not outcomes:
        return '<section id="requests"><h2>Requests</h2><p>No on/off requests.</p></section>'
    return (
        f'<section id="requests"><h2>Requests: {granted} of {len(outcomes)} granted</h2>'
        '<table class="plain"><thead><tr><th>employee</th><th>date</th><th>kind</th>'
        f"<th>shift</th><th>weight</th><th>outcome</th></tr></thead><tbody>{rows}</tbody>"
        "</table></section>"
    )


def _violations(j: Judged) -> str:
    vs = j.evaluation.violations
    if not vs:
        return '<section id="violations"><h2>Hard rules</h2><p>No violation.</p></section>'
    items = "".join(f"<li><b>{_e(v.rule)}</b>: {_e(v.message)}</li>" for v in vs)
    return (
        f'<section id="violations"><h2>Hard rules: {len(vs)} violation(s)</h2>'
        f"<ol>{items}</ol></section>"
    )


def _penalties(j: Judged) -> str:
    rows = "".join(
        f"<tr><td>{_e(k)}</td><td class=num>{v:,}</td></tr>"
        for k, v in j.evaluation.penalties.items()
        if v
    )
    return (
        '<section id="penalties"><h2>Penalties</h2><table class="plain"><tbody>'
        f"{rows}<tr><th>objective</th><td class=num>{j.evaluation.objective:,}</td></tr>"
        "</tbody></table></section>"
    )


def _comparison(a: RunFigures, b: RunFigures, labels: tuple[str, str]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return "–"
        return f"{v:,.2f}" if isinstance(v, float) else f"{v:,}"

    rows = []
    for key, va in a.as_dict().items():
        vb = b.as_dict()[key]
        if key in ("service_level", "answer_rate"):
            sa, sb = _pct(va), _pct(vb)
        else:
            sa, sb = cell(va), cell(vb)
        rows.append(f"<tr><td>{_e(key)}</td><td class=num>{sa}</td><td class=num>{sb}</td></tr>")
    return (
        '<section id="compare"><h2>Against the other roster</h2><table class="plain"><thead>'
        f"<tr><th>figure</th><th>{_e(labels[0])}</th><th>{_e(labels[1])}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


# --------------------------------------------------------------------------- the page

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ccc;border-radius:6px;padding:6px 10px;min-width:130px}
.card .k{font-size:11px;color:#666;text-transform:uppercase}.card .v{font-size:20px}
.card .n{font-size:11px;color:#666}
.scroll{overflow:auto;max-height:80vh}
table{border-collapse:collapse}td,th{padding:2px 6px;border:1px solid #ddd}
table.grid td{text-align:center;min-width:34px}table.grid thead th{position:sticky;top:0;
background:#f4f4f4}th.we{background:#ece4f4!important}.num{text-align:right}
.k-early{background:#fde9a9}.k-day{background:#bfe3b4}.k-late{background:#a9cdf0}
.k-night{background:#6c6fa8;color:#fff}.k-other{background:#ddd}
.req-ok{box-shadow:inset 0 -3px 0 #2a9d3a}.req-no{box-shadow:inset 0 -3px 0 #d1342f}
.unavailable{background-image:repeating-linear-gradient(45deg,#0000 0 4px,#0002 4px 6px)}
.leave{background:#f6ead2}
.viol{outline:2px solid #d1342f;outline-offset:-2px}
.chip{display:inline-block;padding:1px 6px;margin-right:6px;border:1px solid #ccc}
.charts .chart{margin:6px 0}.days button{margin-right:4px}.note{color:#666;font-size:12px}
"""

_JS = """
(function(){
const data=JSON.parse(document.getElementById('report-data').textContent);
const colours=['#d1342f','#1f6fc5','#2a9d3a','#9b59b6','#888'];
const box=document.getElementById('charts');const plots=[];
const width=Math.max(600,Math.min(1400,box.clientWidth||1000));
const utc=ts=>uPlot.tzDate(new Date(ts*1e3),'Etc/UTC');
const pad=n=>String(n).padStart(2,'0');const wd=['Sun','Mon','Tue','Wed','Thu','Fri','Sat'];
const stamp=v=>{const d=new Date(v*1e3);return d.toISOString().slice(0,10)+' '+
  pad(d.getUTCHours())+':'+pad(d.getUTCMinutes());};
const ticks=(u,splits)=>splits.map(v=>{const d=new Date(v*1e3);
  return d.getUTCHours()===0&&d.getUTCMinutes()===0?wd[d.getUTCDay()]+' '+
  d.toISOString().slice(5,10):pad(d.getUTCHours())+':'+pad(d.getUTCMinutes());});
for(const c of data.charts){
  const el=document.createElement('div');el.className='chart';el.id='chart-'+c.id;
  box.appendChild(el);
  const series=[{label:'time',value:(u,v)=>v==null?'--':stamp(v)}].concat(
    c.lines.map((l,i)=>({label:l.label,stroke:colours[i%5],width:
    l.label.startsWith('target')?1:2,dash:l.label.startsWith('target')?[6,4]:undefined,
    paths:c.step?uPlot.paths.stepped({align:1}):undefined,spanGaps:false})));
  const opts={title:c.title,width:width,height:160,series:series,tzDate:utc,
    scales:{x:{time:true}},axes:[{values:ticks,space:60},{}],cursor:{sync:{key:'week'}}};
  plots.push(new uPlot(opts,[c.x].concat(c.lines.map(l=>l.values)),el));
}
const bar=document.getElementById('days');
const day=(a,b)=>plots.forEach(u=>u.setScale('x',{min:a,max:b}));
if(data.days.length>1){
  const all=document.createElement('button');all.textContent='all days';
  all.onclick=()=>day(data.days[0],data.days[data.days.length-1]);bar.appendChild(all);
  for(let i=0;i+1<data.days.length;i++){const b=document.createElement('button');
    b.textContent=utc(data.days[i]).toISOString().slice(0,10);
    b.onclick=()=>day(data.days[i],data.days[i+1]);bar.appendChild(b);}
}
document.body.dataset.ready=String(plots.length);
})();
"""


def report_html(
    judged: Judged,
    *,
    title: str,
    run: RunInfo | None = None,
    other: Judged | None = None,
    labels: tuple[str, str] = ("this roster", "other roster"),
) -> str:
    """The page for one roster (and, with `other`, a second roster of the same instance)."""
    p = judged.problem
    figures = run_figures(judged)
    last = p.date_of(p.days - 1)
    parts = [
        _headline(judged, figures, run, labels[0] if other is not None else "Headline"),
    ]
    if other is not None:
        parts.append(_comparison(figures, run_figures(other), labels))
    data = _coverage_data(judged, other)
    how = (
        "One point per day and shift: the people it requires and those assigned."
        if p.slot_demand is not None
        else "Drag across a chart to zoom, double-click to zoom out; the buttons show one "
        "day. Tier levels count people of that tier or higher (nested coverage)."
    )
    parts.append(_grid(judged))
    parts.append(
        '<section id="coverage"><h2>Coverage against the requirement</h2>'
        f'<p class="note">{how}</p><div id="days" class="days"></div>'
        f'<div id="charts" class="charts"></div>{_service_days(judged)}</section>'
    )
    parts += [_violations(judged), _fairness(judged), _requests(judged), _penalties(judged)]
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        f"<title>{_e(title)}</title><meta name=viewport content='width=device-width'>"
        f"<style>{_asset('uPlot.min.css')}</style><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1><p>{_e(p.name)}: {p.start} to {last} ({p.days} days), "
        f"{len(p.employees)} people, {len(judged.roster.assignments)} shifts. "
        "Generated by rostering.</p>"
        + "".join(parts)
        + f'<script type="application/json" id="report-data">{_json_script(data)}</script>'
        f"<script>{_asset('uPlot.iife.min.js')}</script><script>{_JS}</script>"
        "</body></html>\n"
    )


def write_report(
    instance: Path, roster_path: Path, out: Path, other_path: Path | None = None
) -> Judged:
    """Load the instance, read the roster (a file or a solve's out dir; with `other_path` a
    second one), judge them and write the page atomically; returns the first roster judged."""
    from rostering.figures import judge
    from rostering.io.safe import write_atomic
    from rostering.pipeline import load

    problem = load(instance)
    roster, run = load_roster(roster_path, problem)
    judged = judge(problem, roster)
    other = None
    labels = (str(roster_path), "")
    if other_path is not None:
        other = judge(problem, load_roster(other_path, problem)[0])
        labels = (str(roster_path), str(other_path))
    title = f"Roster report — {problem.name}"
    write_atomic(out, report_html(judged, title=title, run=run, other=other, labels=labels))
    return judged
