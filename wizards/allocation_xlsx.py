"""The allocation preview as a spreadsheet, and back.

Export writes one row per preview line with its inputs; the Amount column is the
one to edit. Import validates every row first (known child, a number, not
negative, siblings adding up to their parent) and changes nothing unless all rows
are valid; errors are reported by spreadsheet row.
"""

import io
import math
from collections import defaultdict

import numpy as np
import openpyxl
from xlsxwriter.utility import xl_rowcol_to_cell

from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..tools import allocation, xlsx
from ..tools.rounding import max_amount, same_amount

SHEET = "Allocation"
# (column header, line field, kind); the first column identifies the line.
COLUMNS = [
    ("Key", "_path", "key"),
    ("Level", "level", "text"),
    ("Child", "name", "text"),
    ("Last Year", "last_year_amount", "money"),
    ("Potential", "potential_score", "number"),
    ("Share (%)", "share", "number"),
    ("Amount", "amount", "money"),
    ("Floor", "floor_amount", "money"),
    ("Stretch", "stretch_amount", "money"),
    ("vs Last Year (%)", "change_rate", "number"),
    ("Why", "explanation", "text"),
]
AMOUNT_COLUMN = 6
# Written after the columns above, for reading only (an import ignores them).
UNDER_COLUMN, CHECK_COLUMN, COMPARE_COLUMN, PATH_COLUMN = 11, 12, 13, 15
# Headers of the first column written by earlier versions (Chinese "键"), still
# read on import.
LEGACY_KEY_HEADERS = ("\u952e",)
# An import lists at most this many faulty rows, then how many more there are.
MAX_LISTED_ERRORS = 20


def _headers(env):
    labels = {
        "Key": env._("Key"),
        "Level": env._("Level"),
        "Child": env._("Child"),
        "Last Year": env._("Last Year"),
        "Potential": env._("Potential"),
        "Share (%)": env._("Share (%)"),
        "Amount": env._("Amount"),
        "Floor": env._("Floor"),
        "Stretch": env._("Stretch"),
        "vs Last Year (%)": env._("vs Last Year (%)"),
        "Why": env._("Why"),
    }
    return [labels[header] for header, _field, _kind in COLUMNS]


def export_preview(wizard):
    env = wizard.env
    output = io.BytesIO()
    # user texts (target and region names) are written as strings, never as
    # formulas or links, whatever they start with
    book = xlsx.workbook(output)
    sheet = book.add_worksheet(SHEET)
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
    )
    money = book.add_format({"num_format": "#,##0.00"})
    number = book.add_format({"num_format": "0.0"})
    editable = book.add_format({"num_format": "#,##0.00", "bg_color": "#FFF2CC"})
    levels = dict(wizard.line_ids._fields["level"]._description_selection(env))
    methods = dict(wizard._fields["method"]._description_selection(env))
    target = wizard.target_id
    sheet.write_string(0, 0, target.display_name, title)
    compared = ""
    if wizard.compare_method:
        compared = env._(
            ", compared with %(other)s", other=methods[wizard.compare_method]
        )
    sheet.write_string(
        1,
        0,
        env._(
            "%(method)s%(compared)s; to allocate: %(amount)s. Edit the yellow "
            "Amount column; each group of siblings must add up to its parent "
            "(see Check).",
            method=methods[wizard.method],
            compared=compared,
            amount=format_amount(env, target.amount, target.currency_id),
        ),
    )
    start = 3
    for col, label in enumerate(_headers(env)):
        sheet.write(start, col, label, header)
    for row, line in enumerate(wizard.line_ids, start=start + 1):
        for col, (_header, field, kind) in enumerate(COLUMNS):
            if field == "_path":
                sheet.write_string(row, col, line._path())
            elif field == "level":
                sheet.write_string(row, col, levels.get(line.level, ""))
            elif field == "name":
                sheet.write_string(row, col, "    " * line.depth + (line.name or ""))
            elif kind == "text":
                sheet.write_string(row, col, line[field] or "")
            elif col == AMOUNT_COLUMN:
                sheet.write_number(row, col, line[field], editable)
            else:
                sheet.write_number(
                    row, col, line[field], money if kind == "money" else number
                )
    _write_checks(wizard, sheet, start, book)
    sheet.set_column(0, 0, 18, None, {"hidden": True})
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 36)
    sheet.set_column(3, 9, 16)
    sheet.set_column(10, 10, 70)
    sheet.set_column(11, 12, 16)
    sheet.set_column(13, 14, 16)
    sheet.set_column(PATH_COLUMN, PATH_COLUMN, 50, None, {"hidden": True})
    sheet.freeze_panes(start + 1, 3)
    book.close()
    return output.getvalue()


def _cell(row, col):
    return xl_rowcol_to_cell(row, col)


def _write_checks(wizard, sheet, start, book):
    """Beside each parent, the sum of its children's amounts as a formula and a
    check against its own amount, so that a spreadsheet edit shows at once where
    siblings no longer add up; the whole split's check above the header. Then the
    compared method's amounts, and a readable path of each line (hidden)."""
    env = wizard.env
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    header = book.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
    )
    amount_col = AMOUNT_COLUMN
    lines = list(wizard.line_ids)
    row_of = {line.id: row for row, line in enumerate(lines, start=start + 1)}
    children = defaultdict(list)
    for line in lines:
        children[line.parent_line_id.id].append(line)
    ok, wrong = env._("OK"), env._("does not add up")

    def check(total_cell, parent_cell):
        return f'=IF(ROUND({total_cell}-{parent_cell},2)=0,"{ok}","{wrong}")'

    sheet.write_string(start, UNDER_COLUMN, env._("Under It"), header)
    sheet.write_string(start, CHECK_COLUMN, env._("Check"), header)
    for parent_id, kids in children.items():
        cells = ",".join(_cell(row_of[kid.id], amount_col) for kid in kids)
        if parent_id:
            row = row_of[parent_id]
            sheet.write_formula(row, UNDER_COLUMN, f"=SUM({cells})", money)
            sheet.write_formula(
                row,
                CHECK_COLUMN,
                check(_cell(row, UNDER_COLUMN), _cell(row, amount_col)),
            )
        else:
            total_row = start - 1
            sheet.write_string(total_row, 2, env._("All the children"), bold)
            sheet.write_number(
                total_row, amount_col - 1, wizard.target_id.amount, money
            )
            sheet.write_formula(total_row, amount_col, f"=SUM({cells})", money)
            sheet.write_formula(
                total_row,
                CHECK_COLUMN,
                check(_cell(total_row, amount_col), _cell(total_row, amount_col - 1)),
            )
    if wizard.compare_method:
        sheet.write_string(start, COMPARE_COLUMN, env._("Compared Amount"), header)
        sheet.write_string(start, COMPARE_COLUMN + 1, env._("Compared (%)"), header)
        for line in lines:
            sheet.write_number(
                row_of[line.id], COMPARE_COLUMN, line.compare_amount, money
            )
            sheet.write_number(row_of[line.id], COMPARE_COLUMN + 1, line.compare_share)
    sheet.write_string(start, PATH_COLUMN, env._("Path"), header)
    for line in lines:
        names, node = [], line
        while node:
            names.append(node.name or "")
            node = node.parent_line_id
        sheet.write_string(row_of[line.id], PATH_COLUMN, " > ".join(reversed(names)))


def import_preview(wizard, stream):
    """Read edited amounts back; raise a UserError listing every bad row."""
    env = wizard.env
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a bad file
        raise UserError(
            env._("This file cannot be read as an .xlsx spreadsheet.")
        ) from error
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    lines = {line._path(): line for line in wizard.line_ids}
    errors, amounts, rows_of = [], {}, {}
    header_seen = False
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        key = row[0] if row else None
        if not header_seen:
            header_seen = key in ("Key", env._("Key"), *LEGACY_KEY_HEADERS)
            continue
        if key in (None, "") and all(
            cell in (None, "") for cell in row[: AMOUNT_COLUMN + 1]
        ):
            continue  # an empty row (the checks beside a line are formulas)
        line = lines.get(str(key))
        if not line:
            errors.append(
                env._("Row %(row)s: unknown child “%(key)s”.", row=number, key=key)
            )
            continue
        value = row[AMOUNT_COLUMN] if len(row) > AMOUNT_COLUMN else None
        if isinstance(value, str):
            try:
                value = float(value.replace(",", "").strip())
            except ValueError:
                value = None
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            errors.append(
                env._(
                    "Row %(row)s (%(child)s): the amount is not a number.",
                    row=number,
                    child=line.name,
                )
            )
            continue
        if value > max_amount(wizard.currency_id.rounding):
            errors.append(
                env._(
                    "Row %(row)s (%(child)s): the amount is larger than a target "
                    "can be (%(limit)s).",
                    row=number,
                    child=line.name,
                    limit=format_amount(
                        env, max_amount(wizard.currency_id.rounding), wizard.currency_id
                    ),
                )
            )
            continue
        if value < 0:
            errors.append(
                env._(
                    "Row %(row)s (%(child)s): the amount is negative.",
                    row=number,
                    child=line.name,
                )
            )
            continue
        if line.id in amounts:
            errors.append(
                env._(
                    "Row %(row)s (%(child)s): this child appears twice.",
                    row=number,
                    child=line.name,
                )
            )
            continue
        amounts[line.id] = round(float(value), 2)
        rows_of[line.id] = number
    if not header_seen:
        raise UserError(
            env._("No header row starting with “Key” was found in the spreadsheet.")
        )
    missing = [line for line in wizard.line_ids if line.id not in amounts]
    if not errors:
        for line in missing:
            errors.append(env._("%(child)s: its row is missing.", child=line.name))
    if not errors:
        groups = defaultdict(list)
        for line in wizard.line_ids:
            groups[line.parent_line_id].append(line)
        for parent, siblings in groups.items():
            total = amounts[parent.id] if parent else wizard.target_id.amount
            entered = sum(amounts[line.id] for line in siblings)
            if not same_amount([amounts[line.id] for line in siblings], total, 0.01):
                errors.append(
                    env._(
                        "Rows %(rows)s: the amounts under %(parent)s add up to "
                        "%(entered)s instead of %(total)s.",
                        rows=", ".join(str(rows_of[line.id]) for line in siblings),
                        parent=parent.name or wizard.target_id.display_name,
                        entered=format_amount(env, entered, wizard.currency_id),
                        total=format_amount(env, total, wizard.currency_id),
                    )
                )
    if errors:
        listed = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            more = f"{len(errors) - MAX_LISTED_ERRORS:,}"
            listed.append(env._("… and %(count)s more rows with errors.", count=more))
        raise UserError(env._("Nothing was imported:") + "\n" + "\n".join(listed))
    _apply(wizard, amounts)


def _apply(wizard, amounts):
    env = wizard.env
    groups = defaultdict(list)
    for line in wizard.line_ids:
        groups[line.parent_line_id].append(line)
    target = wizard.target_id
    # Parents first: a child's floor follows its parent's new floor.
    ordered = sorted(groups.items(), key=lambda item: item[0].depth if item[0] else -1)
    for parent, siblings in ordered:
        total = amounts[parent.id] if parent else target.amount
        floor = parent.floor_amount if parent else target.floor_amount
        stretch = parent.stretch_amount if parent else target.stretch_amount
        values = np.array([amounts[line.id] for line in siblings])
        floors = allocation.follow_ratios(total, floor, values)
        stretches = allocation.follow_ratios(total, stretch, values)
        for i, line in enumerate(siblings):
            vals = {
                "amount": values[i],
                "share": 100.0 * values[i] / total if total else 0.0,
                "method": "manual",
                "explanation": env._("Imported from the spreadsheet"),
                "change_rate": (
                    100.0 * (values[i] - line.last_year_amount) / line.last_year_amount
                    if line.last_year_amount > 0
                    else 0.0
                ),
            }
            if not line.override_bounds:
                vals.update(floor_amount=floors[i], stretch_amount=stretches[i])
            # share, method and explanation are the system's fields of the line
            line.sudo().write(vals)


def download_name(wizard):
    """A file name every system and browser takes: no path separators, no
    characters that end a URL's path (``?``, ``#``), no control characters."""
    stem = xlsx.file_stem(wizard.target_id.display_name, "target")
    return f"{stem} - allocation.xlsx"
