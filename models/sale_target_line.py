from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Context values only Python code can set (a client sends JSON, never one of these
# objects): the target passes FROM_TARGET while it changes its own lines, and the
# allocation wizard BULK_PHASING when it inserts the lines of new targets itself.
FROM_TARGET = object()
BULK_PHASING = object()


class SaleTargetLine(models.Model):
    """One month of a target's phasing.

    Lines change only through their target: a line created, written or deleted
    directly (an import, a JSON-RPC call) is turned into the same change on its
    target, so the target's rules apply (months add up and lie inside the period,
    none negative, a reason and a note in the chatter once confirmed, who may
    change it).
    """

    _name = "sale.target.line"
    _inherit = ["sale.target.guard.mixin"]
    _description = "Sales Target Monthly Phasing"
    _order = "target_id, date"
    _system_fields = ("achieved_amount",)

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

    def _from_target(self):
        return self.env.context.get("sale_target_phasing") is FROM_TARGET

    @staticmethod
    def _first_of_month(vals):
        if vals.get("date"):
            vals = dict(vals, date=fields.Date.to_date(vals["date"]).replace(day=1))
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._first_of_month(vals) for vals in vals_list]
        if self._from_target() or not all(v.get("target_id") for v in vals_list):
            # (without a target, the ORM says the field is required)
            return super().create(vals_list)
        self.check_access("create")
        for vals in vals_list:
            self._check_user_values(vals, creating=True)
        created = self.browse()
        Target = self.env["sale.target"]
        for target_id in dict.fromkeys(vals["target_id"] for vals in vals_list):
            target = Target.browse(target_id)
            before = target.line_ids
            target.write(
                {
                    "line_ids": [
                        Command.create(
                            {k: v for k, v in vals.items() if k != "target_id"}
                        )
                        for vals in vals_list
                        if vals["target_id"] == target_id
                    ]
                }
            )
            created |= target.line_ids - before
        return created

    def write(self, vals):
        vals = self._first_of_month(vals)
        if self._from_target():
            return super().write(vals)
        if "target_id" in vals and any(
            line.target_id.id != vals["target_id"] for line in self
        ):
            raise UserError(
                self.env._(
                    "A phasing month belongs to its target: it cannot be moved to "
                    "another target."
                )
            )
        self.check_access("write")
        self._check_user_values(vals)
        vals = {k: v for k, v in vals.items() if k != "target_id"}
        for target, lines in self.grouped("target_id").items():
            target.write(
                {"line_ids": [Command.update(line.id, vals) for line in lines]}
            )
        return True

    def unlink(self):
        if self._from_target():
            return super().unlink()
        self.check_access("unlink")
        for target, lines in self.grouped("target_id").items():
            target.write({"line_ids": [Command.delete(line.id) for line in lines]})
        return True
