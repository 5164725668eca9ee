from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sale_target_lag_digest = fields.Boolean(
        string="Weekly Lag Warning Digest",
        default=True,
        help="Managers receive each week one e-mail listing the open lag warnings "
        "of their scope; untick to stop it.",
    )
    sale_target_review_mail = fields.Boolean(
        string="Monthly Review by E-mail",
        default=True,
        help="Managers receive at the start of each month the PDF of last month's "
        "review of their region or team; untick to stop it.",
    )
    sale_target_start_date = fields.Date(
        string="Selling Since",
        help="When this salesperson started selling: a newcomer's allocated target "
        "can ramp up by month of tenure.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [
            *super().SELF_READABLE_FIELDS,
            "sale_target_lag_digest",
            "sale_target_review_mail",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [
            *super().SELF_WRITEABLE_FIELDS,
            "sale_target_lag_digest",
            "sale_target_review_mail",
        ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_target_owner(self):
        """A salesperson who owns targets is archived, not deleted: the targets
        would lose their owner."""
        self.env["sale.target"]._refuse_owner_deletion(
            "user_id",
            self,
            self.env._(
                "%(owner)s owns %(count)s sales targets: archive the user instead "
                "of deleting them."
            ),
        )
