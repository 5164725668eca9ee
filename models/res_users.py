from odoo import api, fields, models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    sale_target_start_date = fields.Date(
        string="Selling Since",
        help="When this salesperson started selling: a newcomer's allocated target "
        "can ramp up by month of tenure.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_target_owner(self):
        """A salesperson who owns targets is archived, not deleted: the targets
        would lose their owner."""
        counts = dict(
            self.env["sale.target"]
            .sudo()
            ._read_group([("user_id", "in", self.ids)], ["user_id"], ["__count"])
        )
        for user in self:
            if counts.get(user.sudo()):
                raise UserError(
                    self.env._(
                        "%(user)s owns %(count)s sales targets: archive the user "
                        "instead of deleting them.",
                        user=user.display_name,
                        count=counts[user.sudo()],
                    )
                )
