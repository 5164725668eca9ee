from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import format_date
from odoo.tools.misc import babel_locale_parse

from ..tools import review as review_tools
from ..tools import xlsx
from ..tools.lag_warnings import week_start
from .sale_target_war_room import TILE_FIELDS

TOP_CUSTOMERS = 5
# rows of a table printed under one header: about two thirds of a page
CHUNK = 28


class SaleTargetReview(models.Model):
    """What the review's PDF and XLSX show, gathered as the reader: their
    record rules decide what is in it, with grouped reads whatever the number of
    children or salespeople."""

    _inherit = "sale.target.review"

    @api.model
    def _chunks(self, rows):
        """A long table of the PDF as several, a header each (its template)."""
        return review_tools.chunks(rows, CHUNK)

    def _report_data(self):
        """The sections of this review, in the reader's language."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        window = (self.date_from, self.date_to)
        return {
            "window": window,
            "as_of": min(today, self.date_to),
            "targets": [
                self._target_section(target, window, today, self.with_children)
                for target in self.target_ids
            ],
            "mix": self._mix_section(window),
            "completion": self._completion_section(window, today),
            "warnings": self._warnings_section(window),
        }

    # ------------------------------------------------------------------
    @api.model
    def _target_section(self, target, window, today, with_children=True):
        """Sections 2 to 4 for one target over ``window``: key figures (of the
        window and of the whole period), month by month with its chart, and the
        children ranked by achievement."""
        WarRoom = self.env["sale.target.war.room"]
        start = max(window[0], target.date_from)
        end = min(window[1], target.date_to)
        children = (
            self.env["sale.target"].search(
                [("parent_id", "=", target.id), ("state", "!=", "draft")]
            )
            if with_children
            else self.env["sale.target"]
        )
        rows = (target | children).read(TILE_FIELDS)
        whole = (start, end) == (target.date_from, target.date_to)
        figures = WarRoom._figures(
            rows, "target" if whole else "window", (start, end), today
        )
        open_warnings = WarRoom._open_warnings((target | children).ids)
        ranked = sorted(
            (
                {
                    "id": row["id"],
                    "owner": row["owner_name"],
                    "open_warnings": open_warnings.get(row["id"], 0),
                    **figures[row["id"]],
                }
                for row in rows[1:]
            ),
            key=lambda child: (-child["achievement_rate"], child["owner"] or ""),
        )
        lines = target.line_ids.filtered(lambda line: line.date <= end).sorted("date")
        months = review_tools.month_rows(
            [(line.date, line.amount, line.achieved_amount) for line in lines]
        )
        locale = babel_locale_parse(self.env.lang)
        for row in months:
            row["label"] = review_tools.month_label(row["month"], locale)
        chinese = (self.env.lang or "").startswith("zh")
        labels = [
            format_date(self.env, row["month"], date_format="MMM") for row in months
        ]
        legend = (
            self.env._("Target"),
            self.env._("Achieved"),
            self.env._("Cumulative target"),
            self.env._("Cumulative achieved"),
        )
        metric = dict(target._fields["metric"]._description_selection(self.env))
        pace = dict(target._fields["pace_status"]._description_selection(self.env))
        window_figures = figures[target.id]
        return {
            "target": target,
            "metric": metric[target.metric],
            "currency": target.figure_currency_id,
            "window": window_figures,
            "window_pace": pace.get(window_figures["pace_status"], ""),
            "pace": pace.get(target.pace_status, ""),
            "months": months,
            "chart": Markup(
                review_tools.svg_chart(months, labels, legend, chinese=chinese)
            ),
            "children": ranked,
            "pace_labels": pace,
            "forecast": bool(target.forecast_date),
            "accuracy": target.forecast_accuracy,
        }

    def _mix_section(self, window):
        """Section 5: the owner's customers by stage, their moves in the window,
        and the largest gained (first order in the window) and lost (moved to
        declining in it)."""
        WarRoom = self.env["sale.target.war.room"]
        Lifecycle = self.env["sale.customer.lifecycle"]
        domain = WarRoom._customer_domain(self)
        stages, moves = WarRoom._stage_rows(
            domain, window[0], window[1] + timedelta(days=1)
        )
        gained = Lifecycle.search_fetch(
            [
                *domain,
                ("first_order_date", ">=", window[0]),
                ("first_order_date", "<=", window[1]),
            ],
            ["partner_id", "revenue_12m", "first_order_date"],
            order="revenue_12m desc, id",
            limit=TOP_CUSTOMERS,
        )
        lost = Lifecycle.search_fetch(
            [("id", "in", list(WarRoom._moved(moves, "declining", 1)))],
            ["partner_id", "revenue_12m", "last_order_date"],
            order="revenue_12m desc, id",
            limit=TOP_CUSTOMERS,
        )
        return {"stages": stages, "gained": gained, "lost": lost}

    def _completion_section(self, window, today):
        """Section 6: key-action completion per week of the window, per
        salesperson the reader may see (one grouped read)."""
        WarRoom = self.env["sale.target.war.room"]
        Completion = self.env["sale.action.completion"]
        users = WarRoom._scope_users(self)
        mondays = []
        day = week_start(window[0])
        while day <= min(window[1], today):
            mondays.append(day)
            day += timedelta(days=7)
        figures = Completion._weekly(users, self.company_id, mondays)
        threshold = self.env["sale.target.warning"]._lag_settings()[
            "completion_threshold"
        ]
        people = []
        for user in users.browse({user for user, _week in figures}).sorted("name"):
            # None: nothing due that week (printed as such, never 0 %)
            rates = [
                Completion._figure(*figures.get((user.id, monday), (0, 0)), threshold)
                for monday in mondays
            ]
            people.append({"name": user.name, "rates": [f["rate"] for f in rates]})
        return {
            "weeks": mondays,
            "people": people,
            "threshold": threshold,
            "note": self.env._(
                "A week below %(threshold)s %% is in bold.", threshold=threshold
            ),
        }

    def _warnings_section(self, window):
        """Section 7: what the weekly checks of the window did under the owner
        (``sale.target.warning.week._week_counts``, as the war room counts a
        week), the warnings concerned, and the plans acknowledged in it."""
        Warning = self.env["sale.target.warning"]
        counts = self.env["sale.target.warning.week"]._week_counts(self, *window)
        domains = counts["domains"]
        acknowledged = Warning.search(
            [
                *self.env["sale.target.warning.week"]._scope_domain(self),
                ("acknowledged_date", ">=", fields.Datetime.to_datetime(window[0])),
                (
                    "acknowledged_date",
                    "<",
                    fields.Datetime.to_datetime(window[1] + timedelta(days=1)),
                ),
            ],
            order="plan_date, id",
        )
        return {
            "raised": counts["raised"],
            "escalated": counts["escalated"],
            "acknowledged": len(acknowledged),
            "resolved": counts["resolved"],
            "plans": acknowledged,
            # every warning the checks of the window raised, escalated or
            # resolved, the most serious first
            "warnings": Warning.search(
                expression.OR(
                    [domains[name] for name in ("raised", "escalated", "resolved")]
                ),
                order="level desc, week_start, id",
            ),
        }


class SaleTarget(models.Model):
    _inherit = "sale.target"

    def _report_file_name(self):
        """The name of this target's review PDF, without its extension (see
        the review's)."""
        self.ensure_one()
        return xlsx.file_stem(f"{self.env._('Target Review')} - {self.name}", "target")
