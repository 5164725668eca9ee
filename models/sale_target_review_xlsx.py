import base64
import io

from odoo import fields, models
from odoo.tools import html2plaintext

from ..tools import xlsx


class SaleTargetReview(models.Model):
    """The review as a workbook for those who annotate in Excel: the same
    figures as the PDF, one sheet per section, headers frozen, amounts and
    rates as numbers with their formats."""

    _inherit = "sale.target.review"

    def action_export_xlsx(self):
        self.ensure_one()
        content = self._xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                # the owner's path ("China / East China") is no folder
                "name": xlsx.file_stem(
                    f"{self.env._('Target Review')} - {self.name}", "review"
                )
                + ".xlsx",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _xlsx(self):
        """The workbook's bytes."""
        self.ensure_one()
        _ = self.env._
        data = self._report_data()
        out = io.BytesIO()
        # what reviewers and salespeople typed stays text, never a formula
        book = xlsx.workbook(out)
        head = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
        money = book.add_format({"num_format": "#,##0.00"})
        rate = book.add_format({"num_format": "0.0"})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})

        def sheet(name, headers, rows, formats, widths=None):
            ws = book.add_worksheet(name[:31])
            ws.write_row(0, 0, headers, head)
            ws.freeze_panes(1, 0)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    cell_format = formats[c] if c < len(formats) else None
                    if value is None or value is False:
                        ws.write_blank(r, c, None, cell_format)
                    elif cell_format is day:
                        ws.write_datetime(r, c, fields.Datetime.to_datetime(value), day)
                    else:
                        ws.write(r, c, value, cell_format)
            for c, width in enumerate(widths or [18] * len(headers)):
                ws.set_column(c, c, width)
            ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
            return ws

        states = dict(self._fields["state"]._description_selection(self.env))
        periods = dict(self._fields["period"]._description_selection(self.env))
        summary = [
            [_("Target Review"), self.name],
            [_("Owner"), self.owner_name],
            [_("Period"), periods[self.period]],
            [_("From"), fields.Date.to_string(self.date_from)],
            [_("To"), fields.Date.to_string(self.date_to)],
            [_("Status"), states[self.state]],
            [_("Reviewer"), self.reviewer_id.name or ""],
            [_("Conclusions"), html2plaintext(self.conclusions or "")],
            [_("Causes of the gap"), html2plaintext(self.gap_causes or "")],
        ]
        sheet(
            _("Target Review"),
            [_("Field"), _("Value")],
            summary,
            [None, wrap],
            [18, 80],
        )

        key_rows, month_rows, child_rows = [], [], []
        for section in data["targets"]:
            target, window = section["target"], section["window"]
            key_rows.append(
                [
                    section["metric"],
                    window["amount"],
                    window["achieved"],
                    window["achievement_rate"],
                    window["expected_rate"],
                    section["window_pace"],
                    target.amount,
                    target.floor_amount,
                    target.stretch_amount,
                    target.achieved_amount,
                    target.achievement_rate,
                    target.forecast_amount if section["forecast"] else None,
                    target.forecast_low if section["forecast"] else None,
                    target.forecast_high if section["forecast"] else None,
                ]
            )
            for row in section["months"]:
                month_rows.append(
                    [
                        section["metric"],
                        fields.Date.to_string(row["month"]),
                        row["amount"],
                        row["achieved"],
                        row["variance"],
                        row["cum_amount"],
                        row["cum_achieved"],
                        row["cum_variance"],
                        row["cum_rate"],
                    ]
                )
            for child in section["children"]:
                child_rows.append(
                    [
                        section["metric"],
                        child["owner"],
                        child["amount"],
                        child["achieved"],
                        child["achievement_rate"],
                        child["expected_rate"],
                        section["pace_labels"].get(child["pace_status"], ""),
                        max(child["behind_expected"], 0.0),
                        child["open_warnings"],
                    ]
                )
        sheet(
            _("Key figures"),
            [
                _("Metric"),
                _("Period target"),
                _("Period achieved"),
                _("Period achievement (%)"),
                _("Time elapsed (%)"),
                _("Pace"),
                _("Target"),
                _("Floor"),
                _("Stretch"),
                _("Achieved"),
                _("Achievement (%)"),
                _("Forecast"),
                _("Forecast low"),
                _("Forecast high"),
            ],
            key_rows,
            [
                None,
                money,
                money,
                rate,
                rate,
                None,
                money,
                money,
                money,
                money,
                rate,
                money,
                money,
                money,
            ],
        )
        sheet(
            _("Months"),
            [
                _("Metric"),
                _("Month"),
                _("Target"),
                _("Achieved"),
                _("Variance"),
                _("Cumulative target"),
                _("Cumulative achieved"),
                _("Cumulative variance"),
                _("Cumulative achievement (%)"),
            ],
            month_rows,
            [None, day, money, money, money, money, money, money, rate],
        )
        sheet(
            _("Sub-targets"),
            [
                _("Metric"),
                _("Owner"),
                _("Target"),
                _("Achieved"),
                _("Achievement (%)"),
                _("Time elapsed (%)"),
                _("Pace"),
                _("Behind expected"),
                _("Open warnings"),
            ],
            child_rows,
            [None, None, money, money, rate, rate, None, money, None],
            [18, 30, 16, 16, 14, 14, 12, 16, 12],
        )
        mix = data["mix"]
        sheet(
            _("Customers"),
            [
                _("Stage"),
                _("Customers"),
                _("12-month revenue"),
                _("Moved in during the period"),
                _("Moved out during the period"),
            ],
            [
                [
                    r["label"],
                    r["customers"],
                    r["revenue"],
                    r["moved_in"],
                    r["moved_out"],
                ]
                for r in mix["stages"]
            ],
            [None, None, money, None, None],
        )
        completion = data["completion"]
        sheet(
            _("Key actions"),
            [_("Salesperson")]
            + [fields.Date.to_string(monday) for monday in completion["weeks"]],
            [
                [p["name"], *("—" if r is None else r for r in p["rates"])]
                for p in completion["people"]
            ],
            [None] + [rate] * len(completion["weeks"]),
            [24] + [12] * len(completion["weeks"]),
        )
        warnings = data["warnings"]
        warning_states = dict(
            self.env["sale.target.warning"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        sheet(
            _("Lag warnings"),
            [
                _("Warning"),
                _("Status"),
                _("Responsible"),
                _("Improvement plan"),
                _("Carried by"),
                _("By"),
            ],
            [
                [
                    w.display_name,
                    warning_states.get(w.state, ""),
                    w.responsible_id.name or "",
                    w.plan_action or "",
                    w.plan_user_id.name or "",
                    w.plan_date,
                ]
                for w in warnings["warnings"] | warnings["plans"]
            ],
            [None, None, None, wrap, None, day],
            [40, 14, 18, 60, 20, 12],
        )
        sheet(
            _("Next actions"),
            [_("Action"), _("Owner"), _("By"), _("Done")],
            [
                [a.name, a.user_id.name or "", a.date_deadline, bool(a.done)]
                for a in self.action_ids
            ],
            [wrap, None, day, None],
            [60, 20, 12, 8],
        )
        book.close()
        return out.getvalue()
