from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    region_id = fields.Many2one(
        "sale.region",
        string="Sales Region",
        index=True,
        tracking=True,
        help="The region whose targets include this team's sales.",
    )

    def _sells_for(self, user):
        """Whether ``user`` sells for this team: one of its members or its leader
        (a leader may carry a salesperson target of their own team)."""
        self.ensure_one()
        return user in self.member_ids or user == self.user_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_target_owner(self):
        """A team that owns targets is archived, not deleted: its targets would
        lose their owner."""
        self.env["sale.target"]._refuse_owner_deletion(
            "team_id",
            self,
            self.env._(
                "Sales team %(owner)s owns %(count)s sales targets: archive it "
                "instead of deleting it."
            ),
        )
