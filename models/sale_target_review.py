from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import levels, xlsx
from ..tools import review as review_tools
from .sale_target_guard_mixin import field_labels

PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("ytd", "Year to Date")]
OWNER_LEVELS = [("region", "Region"), ("team", "Team"), ("user", "Salesperson")]
# what the reviewer writes; frozen once the review is signed
CONTENT_FIELDS = {
    "conclusions",
    "gap_causes",
    "action_ids",
    "reviewer_id",
    "review_date",
    "with_children",
}
# what a review is of: set when it is prepared, never moved to another owner
IDENTITY_FIELDS = {
    "company_id",
    "level",
    "region_id",
    "team_id",
    "user_id",
    "period",
    "date_from",
    "date_to",
}


def check_no_nul(records, vals):
    """Refuse a text of ``vals`` holding a NUL character, which PostgreSQL
    cannot store, with a message instead of the database's error."""
    bad = [
        name
        for name, value in vals.items()
        if isinstance(value, str) and "\x00" in value
    ]
    if bad:
        raise ValidationError(
            records.env._(
                "%(fields)s: the text holds a NUL character, which cannot be "
                "stored. Remove it and save again.",
                fields=field_labels(records, bad) or ", ".join(bad),
            )
        )


class SaleTargetReview(models.Model):
    """A review (复盘) of one owner's targets over a month, a quarter or the
    year to date: the figures are read from the targets when it is printed,
    the conclusions, causes and next actions are the reviewer's, and a
    signature closes it."""

    _name = "sale.target.review"
    _description = "Sales Target Review"
    _inherit = ["mail.thread", "sale.target.guard.mixin"]
    _order = "date_to desc, level, id"
    _rec_names_search = ["region_id", "team_id", "user_id"]
    # the signature is the signer's action (``action_sign``), recorded by the
    # system, and the monthly e-mail's state is the scheduled action's
    _system_fields = (
        "state",
        "signed_by_id",
        "signed_date",
        "mail_state",
        "mail_error",
        "mail_tried_on",
    )

    # in the reader's language (a region's name is translated): not stored
    name = fields.Char(compute="_compute_name", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level = fields.Selection(OWNER_LEVELS, required=True, readonly=True)
    region_id = fields.Many2one(
        "sale.region", string="Region", readonly=True, index=True
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, index=True
    )
    owner_name = fields.Char(string="Owner", compute="_compute_name")
    period = fields.Selection(PERIODS, required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True, index=True)
    with_children = fields.Boolean(
        string="With Children",
        default=True,
        help="Also rank the sub-targets (teams, salespeople) of this owner's targets.",
    )
    target_ids = fields.Many2many(
        "sale.target",
        string="Targets",
        compute="_compute_target_ids",
        help="This owner's confirmed targets that run in the period, one per metric.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        default=lambda self: self.env.user,
        tracking=True,
    )
    review_date = fields.Date(
        string="Review Date", default=fields.Date.context_today, tracking=True
    )
    conclusions = fields.Html(string="Conclusions")
    gap_causes = fields.Html(string="Causes of the Gap")
    action_ids = fields.One2many(
        "sale.target.review.action", "review_id", string="Next Actions"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    signed_by_id = fields.Many2one(
        "res.users", string="Signed By", readonly=True, copy=False
    )
    signed_date = fields.Datetime(string="Signed On", readonly=True, copy=False)

    def _creation_message(self):
        # written once for all who follow it: in its company's language
        lang = self.company_id.partner_id.lang
        record = self.with_context(lang=lang) if lang else self
        return super(SaleTargetReview, record)._creation_message()

    def init(self):
        # one review per owner and period reviewed (the monthly scheduled action
        # and the wizard find it rather than add another)
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS sale_target_review_owner_period
                   ON sale_target_review (company_id, level, %s, period, date_from)""",
                SQL(levels.owner_sql()),
            )
        )

    @api.depends(
        "level", "region_id", "team_id", "user_id", "period", "date_from", "date_to"
    )
    def _compute_name(self):
        periods = dict(self._fields["period"]._description_selection(self.env))
        for review in self:
            owner = review[levels.OWNER_FIELD[review.level]] if review.level else False
            review.owner_name = owner.display_name if owner else False
            if not (owner and review.date_from):
                review.name = False
                continue
            if review.period == "month":
                when = review.date_from.strftime("%Y-%m")
            elif review.period == "quarter":
                when = (
                    f"{review.date_from.year} Q{(review.date_from.month - 1) // 3 + 1}"
                )
            else:
                when = f"{review.date_to.strftime('%Y-%m')} ({periods[review.period]})"
            review.name = f"{when} · {review.owner_name}"

    @api.constrains("level", "region_id", "team_id", "user_id", "date_from", "date_to")
    def _check_owner(self):
        for review in self:
            if not review[levels.OWNER_FIELD[review.level]]:
                raise ValidationError(self.env._("A review needs its owner."))
            if review.date_from > review.date_to:
                raise ValidationError(self.env._("A review ends after it starts."))

    def _owner_domain(self):
        """The targets of this review's owner (any metric, any period)."""
        self.ensure_one()
        field = levels.OWNER_FIELD[self.level]
        return [
            ("company_id", "=", self.company_id.id),
            ("level", "=", self.level),
            (field, "=", self[field].id),
        ]

    @api.depends("level", "region_id", "team_id", "user_id", "date_from", "date_to")
    def _compute_target_ids(self):
        Target = self.env["sale.target"]
        for review in self:
            if not (review.level and review.date_from and review.date_to):
                review.target_ids = Target
                continue
            review.target_ids = Target.search(
                [
                    *review._owner_domain(),
                    ("state", "=", "confirmed"),
                    ("date_from", "<=", review.date_to),
                    ("date_to", ">=", review.date_from),
                ],
                order="metric, date_from",
            )

    # ------------------------------------------------------------------
    # Preparing
    # ------------------------------------------------------------------
    @api.model
    def _prepare(self, owners, period, day, with_children=True):
        """The reviews of ``owners`` (a list of (level, record)) for the
        ``period`` holding ``day``: found, or created in draft, with the
        improvement plans of their lag warnings as next actions (a draft found
        again takes in those acknowledged since; a signed one is left as
        signed)."""
        if period not in review_tools.PERIODS:
            raise UserError(self.env._("Unknown review period: %(p)s", p=period))
        date_from, date_to = review_tools.window(period, day)
        reviews = self.browse()
        to_create = []
        for level, owner in owners:
            values = self._owner_values(level, owner)
            found = self.search(
                [
                    *[(name, "=", value) for name, value in values.items()],
                    ("period", "=", period),
                    ("date_from", "=", date_from),
                ],
                limit=1,
            )
            if found:
                found.filtered(lambda r: r.state == "draft")._pull_plans()
                reviews |= found
            else:
                to_create.append(
                    {
                        **values,
                        "period": period,
                        "date_from": date_from,
                        "date_to": date_to,
                        "with_children": with_children,
                    }
                )
        if to_create:
            created = self.create(to_create)
            created._pull_plans()
            reviews |= created
        return reviews

    @api.model
    def _owner_values(self, level, owner):
        """The owner fields of a review of ``owner`` at ``level``, and its
        company: the owner's. As on a target, a team's review names its region
        and a salesperson's their team, so that the managers above find it."""
        if level not in dict(OWNER_LEVELS) or not owner:
            raise UserError(
                self.env._("A review is of a region, a team or a salesperson.")
            )
        values = {"level": level, **levels.owner_values(level, owner.id)}
        owner = owner.sudo()  # where the owner sits, whoever asks
        if level == "region":
            company = owner.company_id
        elif level == "team":
            values["region_id"] = owner.region_id.id
            company = owner.company_id or owner.region_id.company_id
        else:
            team = owner.sale_team_id
            values["team_id"] = team.id
            values["region_id"] = team.region_id.id
            company = team.company_id or team.region_id.company_id or owner.company_id
        values["company_id"] = (company or self.env.company).id
        return values

    @api.model
    def _owner_of(self, vals):
        """The owner named in the values ``vals`` of a review (or nothing)."""
        field = levels.OWNER_FIELD.get(vals.get("level"))
        owner_id = vals.get(field) if field else False
        if not isinstance(owner_id, int) or isinstance(owner_id, bool):
            return None
        return self.env[self._fields[field].comodel_name].browse(owner_id).exists()

    def _pull_plans(self):
        """The improvement plans of the acknowledged lag warnings on these
        reviews' owners' targets and below as next actions (once each)."""
        Warning = self.env["sale.target.warning"]
        for review in self:
            warnings = Warning.search(
                [
                    ("target_id", "child_of", review.target_ids.ids),
                    ("state", "=", "acknowledged"),
                    ("plan_date", ">=", review.date_from),
                ]
            )
            known = review.action_ids.warning_id
            review.action_ids = [
                fields.Command.create(
                    {
                        "name": warning.plan_action,
                        # an action's owner is a colleague of the review's company
                        "user_id": warning.plan_user_id.sudo()
                        .filtered(lambda u, r=review: r.company_id in u.company_ids)
                        .id,
                        "date_deadline": warning.plan_date,
                        "warning_id": warning.id,
                    }
                )
                for warning in warnings - known
            ]

    @api.model_create_multi
    def create(self, vals_list):
        # the owner decides the scope: its company, team and region replace
        # whatever was sent, and the record rules then check, as the user, that
        # the owner is theirs (ORM ``create``)
        vals_list = [
            {**vals, **self._owner_values(vals.get("level"), self._owner_of(vals))}
            for vals in vals_list
        ]
        return super().create(vals_list)

    def _check_user_values(self, vals, creating=False):
        result = super()._check_user_values(vals, creating=creating)
        check_no_nul(self, vals)
        return result

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------
    def write(self, vals):
        if IDENTITY_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "A review stays the review of its owner and period: prepare "
                    "another one instead."
                )
            )
        if CONTENT_FIELDS & set(vals) and "signed" in self.mapped("state"):
            raise UserError(
                self.env._(
                    "A signed review is not changed: set it back to draft first."
                )
            )
        return super().write(vals)

    def _check_reviewer(self):
        if not self.env.user.has_group("sale_regional_target.group_target_manager"):
            raise AccessError(self.env._("Only a sales manager signs a review."))
        self.check_access("write")

    def action_sign(self):
        self._check_reviewer()
        for review in self:
            if review.state == "signed":
                raise UserError(
                    self.env._("%(name)s is already signed.", name=review.name)
                )
            if not review.conclusions or not review.conclusions.striptags().strip():
                raise UserError(
                    self.env._(
                        "Write the conclusions of %(name)s before signing it.",
                        name=review.name,
                    )
                )
        # who and when are the system's record of the signer's action
        self.sudo().write(
            {
                "state": "signed",
                "signed_by_id": self.env.uid,
                "signed_date": fields.Datetime.now(),
            }
        )
        return True

    def action_draft(self):
        """Reopen a signed review: its signer may, and HQ; not a manager below
        or beside the signer, whose signature it would undo."""
        self._check_reviewer()
        if not self.env.user.has_group("sale_regional_target.group_target_admin"):
            for review in self.filtered(lambda r: r.state == "signed"):
                if review.signed_by_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "%(name)s was signed by %(signer)s: only they or HQ set "
                            "it back to draft.",
                            name=review.name,
                            signer=review.signed_by_id.sudo().name,
                        )
                    )
        self.sudo().write(
            {"state": "draft", "signed_by_id": False, "signed_date": False}
        )
        return True

    def _report_file_name(self):
        """The name of this review's PDF, without its extension: no path
        separator of the owner's path ("China / East China"), and no dot at the
        end that would double the extension's ("… Ltd..pdf")."""
        self.ensure_one()
        return xlsx.file_stem(f"{self.env._('Target Review')} - {self.name}", "review")

    def action_print(self):
        return self.env.ref(
            "sale_regional_target.action_report_sale_target_review"
        ).report_action(self)
