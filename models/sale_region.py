from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import allocation
from ..tools.region_coverage import CoverageRule, parse_zip_prefixes
from .sale_target_guard_mixin import field_labels

# What only HQ changes on a region: where it sits in the tree, its company, whether
# it is active. A regional manager edits the rest of the regions they manage.
HQ_FIELDS = {"parent_id", "company_id", "active"}


class SaleRegion(models.Model):
    _name = "sale.region"
    _description = "Sales Region"
    _inherit = ["sale.target.guard.mixin", "mail.thread"]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name", "code"]
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    code = fields.Char(tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    parent_id = fields.Many2one(
        "sale.region",
        string="Parent Region",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sale.region", "parent_id", string="Sub-regions")
    manager_id = fields.Many2one(
        "res.users",
        string="Regional Manager",
        check_company=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    region_type = fields.Selection(
        [
            ("core", "Core / Tier-1 City"),
            ("emerging", "Emerging Market"),
            ("special", "Special Region"),
        ],
        string="Region Type",
        default="core",
        required=True,
        tracking=True,
    )
    team_ids = fields.One2many("crm.team", "region_id", string="Sales Teams")
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    zip_prefixes = fields.Char(
        string="Zip Prefixes",
        help="Comma-separated postal code prefixes covered by this region, "
        "e.g. '200, 201'. The most specific rule wins: zip prefix, then state, "
        "then country.",
    )
    partner_ids = fields.One2many("res.partner", "region_id", string="Customers")
    partner_count = fields.Integer(compute="_compute_partner_count")
    team_count = fields.Integer(compute="_compute_team_count")
    description = fields.Html()
    # Users who manage this region or one of its ancestors: used by record rules.
    manager_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_manager_user_ids",
        search="_search_manager_user_ids",
        string="Managers (with ancestors)",
        recursive=True,
    )
    # Users who sell in a team of this region or of one of its sub-regions.
    member_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_member_user_ids",
        search="_search_member_user_ids",
        string="Salespeople (with sub-regions)",
    )

    user_is_hq = fields.Boolean(
        string="Edited by HQ",
        compute="_compute_user_is_hq",
        help="The current user moves and archives regions (HQ).",
    )
    opened_on = fields.Date(
        string="Opened On",
        help="When selling started in this region: a new region's allocation can "
        "ramp up by month of tenure.",
    )
    factor_value_ids = fields.One2many(
        "sale.region.factor.value", "region_id", string="Potential Factors"
    )
    potential_year = fields.Integer(
        compute="_compute_potential",
        help="The latest year, up to this one, with potential factor values.",
    )
    potential_score = fields.Float(
        compute="_compute_potential",
        digits=(16, 1),
        help="0-100: the region's potential against its sibling regions, from the "
        "weighted and normalised factor values of the potential year.",
    )
    potential_note = fields.Char(compute="_compute_potential")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A region code must be unique per company.",
        ),
    ]

    @api.depends_context("uid")
    def _compute_user_is_hq(self):
        self.user_is_hq = self._is_hq()

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = (
                    f"{region.parent_id.complete_name} / {region.name}"
                )
            else:
                region.complete_name = region.name

    @api.depends("complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The path from the top region in the reader's language ("中国 / 华东"):
        the stored complete name is in the language of whoever saved the region
        last, and serves ordering and searching only."""
        path_ids = {
            region.id: [int(i) for i in region.parent_path.split("/") if i]
            for region in self
            if region.id and region.parent_path
        }
        ancestors = self.sudo().browse({i for ids in path_ids.values() for i in ids})
        names = {region.id: region.name for region in ancestors}
        for region in self:
            ids = path_ids.get(region.id)
            if ids and all(i in names for i in ids):
                region.display_name = " / ".join(names[i] for i in ids)
            else:
                region.display_name = region.complete_name or region.name

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("region_id", "in", self.ids)], ["region_id"], ["__count"]
            )
        )
        for region in self:
            region.partner_count = counts.get(region, 0)

    @api.depends("team_ids")
    def _compute_team_count(self):
        for region in self:
            region.team_count = len(region.team_ids)

    @api.depends(
        "factor_value_ids.value", "factor_value_ids.year", "parent_id.child_ids"
    )
    def _compute_potential(self):
        this_year = fields.Date.context_today(self).year
        for region in self:
            region.potential_score = 0.0
            region.potential_note = False
            years = [v.year for v in region.factor_value_ids if v.year <= this_year]
            region.potential_year = max(years) if years else 0
            if not years or not region.id:
                continue
            siblings = region.parent_id.child_ids or self.search(
                [("parent_id", "=", False), ("company_id", "=", region.company_id.id)]
            )
            try:
                scores, _parts = siblings._potential_scores(region.potential_year)
            except UserError as error:
                region.potential_note = error.args[0]
                continue
            region.potential_score = scores.get(region.id, 0.0)

    def _potential_scores(self, year):
        """Scores (0-100) of these regions against each other for ``year``.

        Returns ({region id: score}, {region id: [(factor, points, region the
        value was borrowed from or nothing), ...]}) from the active factors of
        their company, a region without a value taking its nearest ancestor's;
        raises a UserError naming the factors and regions without a value even
        so, or when the factors' weights add up to zero.
        """
        factors = self.env["sale.region.factor"].search(
            [("company_id", "in", self.company_id.ids)]
        )
        if not factors:
            raise UserError(
                self.env._(
                    "No potential factor is defined: add some under Targets / "
                    "Configuration / Potential Factors."
                )
            )
        # a value missing is the nearest ancestor's, said so in the details
        values, borrowed = self.env["sale.region.factor.value"]._inherited_values(
            self, factors, year
        )
        try:
            parts = allocation.factor_contributions(
                values, factors.mapped("weight"), factors.mapped("normalisation")
            )
        except allocation.AllocationError as error:
            if error.code == "weights_zero":
                raise UserError(
                    self.env._(
                        "The weights of the potential factors add up to zero: give "
                        "at least one factor a positive weight."
                    )
                ) from error
            raise UserError(
                self.env._(
                    "Potential %(year)s: no value of %(factors)s for %(regions)s. "
                    "Enter them on the regions' Potential tab.",
                    year=year,
                    factors=", ".join(factors[j].name for j in error.factors),
                    regions=", ".join(self[i].display_name for i in error.children),
                )
            ) from error
        scores = {region.id: float(parts[i].sum()) for i, region in enumerate(self)}
        details = {
            region.id: [
                (factor, float(parts[i, j]), borrowed.get((i, j), self.browse()))
                for j, factor in enumerate(factors)
            ]
            for i, region in enumerate(self)
        }
        return scores, details

    def _ancestors(self):
        """Self and all parent regions (a recordset)."""
        ids = {int(i) for r in self for i in r.parent_path.split("/") if i}
        return self.browse(ids)

    @api.depends("manager_id", "parent_id.manager_user_ids")
    def _compute_manager_user_ids(self):
        # up the parents, not the parent path: the path of a region created in
        # this transaction is only written at the next flush, and a value read
        # before it would stay in the cache (access checks of records in
        # memory read this field)
        for region in self:
            region.manager_user_ids = (
                region.manager_id | region.parent_id.manager_user_ids
            )

    def _search_manager_user_ids(self, operator, value):
        def having(users):
            managed = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("manager_id", "!=", False)
                        if users is None
                        else ("manager_id", "in", users)
                    ]
                )
            )
            return [("id", "child_of", managed.ids)]

        return self._search_by_users(operator, value, having)

    def _compute_member_user_ids(self):
        for region in self:
            teams = self.env["crm.team"].search([("region_id", "child_of", region.id)])
            region.member_user_ids = teams.member_ids

    def _search_member_user_ids(self, operator, value):
        def having(users):
            domain = [("crm_team_id.region_id", "!=", False)]
            if users is not None:
                domain.append(("user_id", "in", users))
            members = self.env["crm.team.member"].sudo().search(domain)
            return [("id", "parent_of", members.crm_team_id.region_id.ids)]

        return self._search_by_users(operator, value, having)

    @api.model
    def _search_by_users(self, operator, value, having):
        """A domain on regions for a user many2many searched with any operator the
        filter editor offers. ``having(users)`` gives the regions with at least
        one of ``users`` (ids, or None for any user at all); the negative
        operators are its complement."""
        negative = operator in ("!=", "not in", "not ilike", "not like")
        if value is False or value is None or value == []:
            # "is set" / "is not set"
            positive = having(None)
            negative = operator in ("=", "in")
        elif operator in ("=", "!=", "in", "not in"):
            values = value if isinstance(value, list | tuple) else [value]
            ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            names = [v for v in values if isinstance(v, str)]
            if names:
                ids += list(
                    self.env["res.users"]
                    .with_context(active_test=False)
                    ._search([("name", "in", names)])
                )
            positive = having(ids)
        elif operator in ("ilike", "not ilike", "like", "not like", "=like", "=ilike"):
            pattern = operator.removeprefix("not ")
            users = (
                self.env["res.users"]
                .with_context(active_test=False)
                ._search([("name", pattern, value)])
            )
            positive = having(list(users))
        else:
            raise UserError(
                self.env._(
                    "Regions cannot be filtered on their users with “%(operator)s”.",
                    operator=operator,
                )
            )
        if not negative:
            return positive
        return [
            (
                "id",
                "not in",
                self.sudo().with_context(active_test=False)._search(positive),
            )
        ]

    @api.constrains("zip_prefixes")
    def _check_zip_prefixes(self):
        for region in self:
            for prefix in parse_zip_prefixes(region.zip_prefixes):
                if not prefix.isalnum():
                    raise ValidationError(
                        self.env._(
                            "Zip prefix “%(prefix)s” of region %(region)s may only "
                            "contain letters and digits.",
                            prefix=prefix,
                            region=region.display_name,
                        )
                    )

    # ------------------------------------------------------------------
    # Coverage of partners
    # ------------------------------------------------------------------
    _COVERAGE_FIELDS = (
        "country_ids",
        "state_ids",
        "zip_prefixes",
        "active",
        "parent_id",
    )

    @api.model
    def _coverage_rules(self):
        """Coverage rules of all active regions, grouped by company id."""
        regions = self.sudo().with_context(active_test=True).search([])
        rules = {}
        for region in regions:
            if not (region.country_ids or region.state_ids or region.zip_prefixes):
                continue
            rules.setdefault(region.company_id.id, []).append(
                CoverageRule(
                    region_id=region.id,
                    depth=region.parent_path.count("/"),
                    country_ids=frozenset(region.country_ids.ids),
                    state_ids=frozenset(region.state_ids.ids),
                    zip_prefixes=parse_zip_prefixes(region.zip_prefixes),
                )
            )
        return rules

    def _refresh_partner_regions(self, scope=None):
        """Re-assign the region of the partners these regions' companies cover.

        Partners of the company, and shared partners (no company), that were not
        assigned by hand follow the new rules. With ``scope`` (region ids, False
        for none), every partner that changes region must leave and join a region
        of the scope: a regional manager's rules cannot claim another region's
        customers (the refresh itself runs as superuser over the company).
        """
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for company in self.company_id:
            partners = Partner.search(
                [
                    ("region_manual", "=", False),
                    ("company_id", "in", [company.id, False]),
                ]
            ).with_company(company)
            changes = partners._planned_regions()
            if scope is not None:
                outside = [
                    (partner_id, old, new)
                    for partner_id, (old, new) in changes.items()
                    if old not in scope or new not in scope
                ]
                if outside:
                    self._raise_outside_scope(outside)
            partners._apply_regions(changes)

    def _raise_outside_scope(self, outside):
        Region = self.env["sale.region"].sudo()
        examples = [
            self.env._(
                "%(customer)s (%(old)s → %(new)s)",
                customer=self.env["res.partner"].sudo().browse(partner_id).display_name,
                old=Region.browse(old).display_name or self.env._("no region"),
                new=Region.browse(new).display_name or self.env._("no region"),
            )
            for partner_id, old, new in outside[:5]
        ]
        raise AccessError(
            self.env._(
                "These coverage rules would move %(count)s customers from or to "
                "regions you do not manage, e.g. %(examples)s. Only HQ changes "
                "coverage across regions; nothing was changed.",
                count=len(outside),
                examples="; ".join(examples),
            )
        )

    def _user_scope(self):
        """Ids of the regions the current user manages (with their sub-regions),
        and False (no region)."""
        managed = (
            self.sudo()
            .with_context(active_test=False)
            .search([("manager_user_ids", "in", self.env.uid)])
        )
        return set(managed.ids) | {False}

    def _is_hq(self):
        return self.env.su or self.env.user.has_group(
            "sale_regional_target.group_target_admin"
        )

    @api.model_create_multi
    def create(self, vals_list):
        regions = super().create(vals_list)
        if any(r.country_ids or r.state_ids or r.zip_prefixes for r in regions):
            regions._refresh_partner_regions()
        return regions

    def write(self, vals):
        hq = self._is_hq()
        if not hq and HQ_FIELDS & set(vals):
            raise AccessError(
                self.env._(
                    "Only HQ moves, archives or changes the company of a region "
                    "(%(fields)s).",
                    fields=field_labels(self, HQ_FIELDS & set(vals)),
                )
            )
        res = super().write(vals)
        if not self.env.su:
            # rules are checked before a write: the regions must still be the
            # user's after it (e.g. not handed to another manager's subtree)
            self.check_access("write")
        if any(f in vals for f in self._COVERAGE_FIELDS):
            self._refresh_partner_regions(scope=None if hq else self._user_scope())
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        """A region that owns targets or has teams is archived, not deleted: its
        targets would lose their owner and its teams' sales their region."""
        targets = self.env["sale.target"]._count_by_owner("region_id", self)
        teams = dict(
            self.env["crm.team"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("region_id", "in", self.ids)], ["region_id"], ["__count"])
        )
        for region in self:
            if targets.get(region.id) or teams.get(region):
                raise UserError(
                    self.env._(
                        "Region %(region)s has %(targets)s targets and %(teams)s "
                        "sales teams: archive it instead of deleting it, so that "
                        "its targets keep their owner and its teams their sales.",
                        region=region.display_name,
                        targets=targets.get(region.id, 0),
                        teams=teams.get(region, 0),
                    )
                )

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        # the customers of the deleted regions go back to the remaining rules
        self.env["sale.region"].sudo().search(
            [("company_id", "in", companies.ids)]
        )._refresh_partner_regions()
        return res

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "base.action_partner_form"
        )
        action["domain"] = [("region_id", "child_of", self.id)]
        action["context"] = {"default_region_id": self.id}
        return action
