from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmTeam(models.Model):
    _inherit = "crm.team"

    region_id = fields.Many2one(
        "sale.region",
        string="Sales Region",
        index=True,
        tracking=True,
        help="The region whose targets include this team's sales.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_target_owner(self):
        """A team that owns targets is archived, not deleted: its targets would
        lose their owner."""
        counts = dict(
            self.env["sale.target"]
            .sudo()
            ._read_group([("team_id", "in", self.ids)], ["team_id"], ["__count"])
        )
        for team in self:
            if counts.get(team.sudo()):
                raise UserError(
                    self.env._(
                        "Sales team %(team)s owns %(count)s sales targets: archive "
                        "it instead of deleting it.",
                        team=team.display_name,
                        count=counts[team.sudo()],
                    )
                )
