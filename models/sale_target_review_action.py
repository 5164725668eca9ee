from odoo import api, fields, models
from odoo.exceptions import UserError

from .sale_target_review import check_no_nul


class SaleTargetReviewAction(models.Model):
    """One next-period action of a review: what, who and by when; those pulled
    in from a lag warning's improvement plan keep the link to it."""

    _name = "sale.target.review.action"
    _description = "Sales Target Review Action"
    _order = "date_deadline, id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "sale.target.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    name = fields.Text(string="Action", required=True)
    # a colleague of the review's company
    user_id = fields.Many2one("res.users", string="Owner", check_company=True)
    date_deadline = fields.Date(string="By")
    warning_id = fields.Many2one(
        "sale.target.warning",
        string="From Lag Warning",
        readonly=True,
        ondelete="set null",
        help="The lag warning whose improvement plan this action is.",
    )
    done = fields.Boolean(string="Done")

    def _check_open(self, reviews):
        if "signed" in reviews.mapped("state"):
            raise UserError(
                self.env._(
                    "A signed review is not changed: set it back to draft first."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_no_nul(self, vals)
        self._check_open(
            self.env["sale.target.review"].browse(
                [vals["review_id"] for vals in vals_list if vals.get("review_id")]
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        check_no_nul(self, vals)
        if "review_id" in vals and any(
            action.review_id.id != vals["review_id"] for action in self
        ):
            # its review's rules were checked, not those of the one it would
            # join: an action is added to the other review instead
            raise UserError(
                self.env._(
                    "A next action stays in its review: add a new one to the other "
                    "review instead."
                )
            )
        self._check_open(self.review_id)
        return super().write(vals)

    def unlink(self):
        self._check_open(self.review_id)
        return super().unlink()
