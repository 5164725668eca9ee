from odoo import api, fields, models


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
