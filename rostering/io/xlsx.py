"""The roster as an Excel workbook (openpyxl): sheets roster, people, coverage, fairness.

`roster` is the grid form (employee_id, then a column per date; cells shift ids), so the
workbook reads back as a roster wherever rosters are read; its header row and id column
are frozen and each shift kind has its fill by conditional formatting, so cells edited by
hand keep the colours. `people` gives each person's tier, contract and paid hours,
`coverage` evaluate's rows (and the predicted service level per interval and tier level
where a forecast gives contacts), `fairness` check's figures per person and per group, and
`breaks` each worked shift's breaks when the roster gives them.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rostering.figures import Judged
from rostering.io.grid import GRID_SHEET, grid_rows
from rostering.io.roster import break_text
from rostering.io.safe import neutralise

KIND_FILLS = {"early": "FDE9A9", "day": "BFE3B4", "late": "A9CDF0", "night": "6C6FA8"}
OTHER_FILL = "DDDDDD"


def _header(sheet: Worksheet, names: list[str]) -> None:
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"


def _roster_sheet(sheet: Worksheet, judged: Judged) -> None:
    p = judged.problem
    header, *rows = grid_rows(p, judged.roster)
    sheet.append(["employee_id", *(date.fromisoformat(d) for d in header[1:])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        if cell.column > 1:
            cell.number_format = "yyyy-mm-dd"
    for row in rows:
        sheet.append([neutralise(v) if v else None for v in row])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 14
    for i in range(2, p.days + 2):
        sheet.column_dimensions[get_column_letter(i)].width = 11
    if not rows:
        return
    area = f"B2:{get_column_letter(p.days + 1)}{len(rows) + 1}"
    # one rule per shift id: a cell holding exactly that id (or starting with it, for
    # several shifts on a day) takes its kind's fill
    for shift in p.model.shifts:
        fill = KIND_FILLS.get(shift.kind or "", OTHER_FILL)
        font = Font(color="FFFFFF") if shift.kind == "night" else None
        formula = f'OR(B2="{shift.id}",LEFT(B2,{len(shift.id) + 1})="{shift.id}|")'
        sheet.conditional_formatting.add(
            area,
            FormulaRule(formula=[formula], fill=PatternFill("solid", bgColor=fill), font=font),
        )


def workbook_bytes(judged: Judged) -> bytes:
    """The .xlsx file of a judged roster."""
    p, ev, report = judged.problem, judged.evaluation, judged.check
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = GRID_SHEET
    _roster_sheet(sheet, judged)

    people = book.create_sheet("people")
    _header(people, ["employee_id", "name", "tier", "contract", "paid_hours", "shifts"])
    for e in report.employees:
        people.append([e.employee_id, neutralise(e.name), e.tier, e.contract, e.minutes / 60,
                       e.shifts])  # fmt: skip

    cover = book.create_sheet("coverage")
    levels: dict[tuple[object, object], float] = {}
    if judged.service is not None:
        levels = {key: lv.service_level for key, lv in judged.service.levels.items()}
    if p.slot_demand is not None:
        _header(cover, ["date", "shift_id", "tier", "required", "assigned", "shortfall",
                        "surplus"])  # fmt: skip
        for r in ev.coverage:
            cover.append([r.date, r.shift_id, r.tier, r.required, r.assigned, r.shortfall,
                          r.surplus])  # fmt: skip
    else:
        columns = ["start", "tier", "required", "on_duty", "shortfall", "surplus"]
        _header(cover, columns + (["service_level"] if levels else []))
        for r in ev.coverage:
            row: list[object] = [r.start, r.tier, r.required, r.on_duty, r.shortfall, r.surplus]
            if levels:
                row.append(levels.get((r.start, r.tier)))
            cover.append(row)
        for cell in cover["A"][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
        cover.column_dimensions["A"].width = 17

    fair = book.create_sheet("fairness")
    figures = ["minutes", "shifts", "nights", "weekends", "early", "late", "requests",
               "requests_granted"]  # fmt: skip
    _header(fair, ["employee_id", "contract", *figures])
    for e in report.employees:
        fair.append([e.employee_id, e.contract, *(e.figure(f) for f in figures)])
    fair.append([])
    fair.append(["contract group", "people", "figure", "min", "max", "spread", "stdev"])
    for cell in fair[fair.max_row]:
        cell.font = Font(bold=True)
    for g in report.groups:
        for f in g.figures:
            fair.append([g.contract, len(g.employee_ids), f.figure, f.min, f.max, f.spread,
                         f.stdev])  # fmt: skip
    if any(a.breaks is not None for a in judged.roster.assignments):
        rests = book.create_sheet("breaks")
        _header(rests, ["employee_id", "date", "shift_id", "breaks"])
        for a in sorted(judged.roster.assignments, key=lambda a: (a.day, a.employee_id)):
            rests.append([a.employee_id, p.date_of(a.day), a.shift_id, break_text(p, a)])
            rests.cell(rests.max_row, 2).number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
