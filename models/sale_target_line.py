from odoo import api, fields, models
from odoo.tools import SQL


class SaleTargetLine(models.Model):
    _name = "sale.target.line"
    _description = "Sales Target Monthly Phasing"
    _order = "target_id, date"

    target_id = fields.Many2one(
        "sale.target",
        string="Sales Target",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date = fields.Date(
        string="Month", required=True, help="First day of the month this line phases."
    )
    amount = fields.Monetary(string="Monthly Target")
    achieved_amount = fields.Float(
        string="Achieved", readonly=True, copy=False, digits=(16, 2)
    )
    achievement_rate = fields.Float(
        string="Achievement (%)", compute="_compute_achievement_rate", digits=(16, 1)
    )
    currency_id = fields.Many2one(related="target_id.currency_id")
    company_id = fields.Many2one(related="target_id.company_id", store=True, index=True)
    metric = fields.Selection(related="target_id.metric", store=True)
    state = fields.Selection(related="target_id.state")

    _sql_constraints = [
        (
            "target_month_uniq",
            "unique(target_id, date)",
            "A target has one phasing line per month.",
        ),
    ]

    def init(self):
        # Achieved amounts are rewritten in bulk on every refresh: free room on each
        # page lets PostgreSQL update rows in place without touching the indexes.
        self.env.cr.execute(SQL("ALTER TABLE sale_target_line SET (fillfactor = 50)"))

    @api.model
    def _insert_phasing(self, rows):
        """Insert phasing lines [(target id, month start, amount)] with one
        statement; company and metric come from the target, as the ORM would
        store them."""
        if not rows:
            return
        self.flush_model()
        self.env["sale.target"].flush_model(["company_id", "metric"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO sale_target_line
                          (target_id, date, amount, company_id, metric,
                           create_uid, write_uid, create_date, write_date)
                   SELECT v.target_id, v.date, v.amount, t.company_id, t.metric,
                          %(uid)s, %(uid)s, %(now)s, %(now)s
                     FROM unnest(%(targets)s::int[], %(dates)s::date[],
                                 %(amounts)s::numeric[]) AS v(target_id, date, amount)
                     JOIN sale_target t ON t.id = v.target_id""",
                uid=self.env.uid,
                now=self.env.cr.now(),
                targets=[row[0] for row in rows],
                dates=[row[1] for row in rows],
                amounts=[row[2] for row in rows],
            )
        )

    def _write_achieved(self, values):
        """Store achieved amounts {line id: amount} in one UPDATE; rows whose
        figure did not change are left alone (most of them, on an hourly refresh)."""
        if not values:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE sale_target_line l SET achieved_amount = v.amount
                     FROM unnest(%s::int[], %s::numeric[]) AS v(id, amount)
                    WHERE l.id = v.id
                      AND l.achieved_amount IS DISTINCT FROM v.amount""",
                list(values),
                [round(v, 2) for v in values.values()],
            )
        )
        self.browse(list(values)).invalidate_recordset(["achieved_amount"])

    @api.depends("amount", "achieved_amount")
    def _compute_achievement_rate(self):
        for line in self:
            line.achievement_rate = (
                100.0 * line.achieved_amount / line.amount if line.amount else 0.0
            )

    @api.depends("date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (line.date and f"{line.date:%Y-%m}") or ""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date"):
                vals["date"] = fields.Date.to_date(vals["date"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("date"):
            vals = dict(vals, date=fields.Date.to_date(vals["date"]).replace(day=1))
        return super().write(vals)
