from datetime import date, timedelta

from odoo.api import call_kw
from odoo.tests import TransactionCase, new_test_user


class TargetCase(TransactionCase):
    """A small company tree shared by the tests.

    Country ─┬─ East (manager: east_manager) ── Shanghai ── team SH (leader, rep_a)
             └─ West ── team W (rep_b)
    Targets of the current test year hang on it: company > regions > teams > reps.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own, so that demo regions and targets never interfere.
        cls.env.ref("base.CNY").active = True
        cls.company = cls.env["res.company"].create(
            {"name": "Target Test Co", "currency_id": cls.env.ref("base.CNY").id}
        )
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                allowed_company_ids=[cls.company.id],
            )
        )
        cls.year_from, cls.year_to = date(2030, 1, 1), date(2030, 12, 31)
        cls.hq = cls._user("srt_hq", "sales_team.group_sale_manager", "HQ Director")
        cls.east_manager = cls._user(
            "srt_east_manager",
            "sales_team.group_sale_salesman_all_leads",
            "East Manager",
        )
        cls.leader = cls._user(
            "srt_leader",
            "sales_team.group_sale_salesman_all_leads",
            "SH Leader",
        )
        cls.rep_a = cls._user("srt_rep_a", "sales_team.group_sale_salesman", "Rep A")
        cls.rep_b = cls._user("srt_rep_b", "sales_team.group_sale_salesman", "Rep B")
        Region = cls.env["sale.region"]
        cls.country = Region.create({"name": "Testland", "code": "T"})
        cls.east = Region.create(
            {
                "name": "East",
                "code": "T-E",
                "parent_id": cls.country.id,
                "manager_id": cls.east_manager.id,
            }
        )
        cls.shanghai = Region.create(
            {"name": "Shanghai", "code": "T-E-SH", "parent_id": cls.east.id}
        )
        cls.west = Region.create(
            {"name": "West", "code": "T-W", "parent_id": cls.country.id}
        )
        Team = cls.env["crm.team"]
        cls.team_sh = Team.create(
            {
                "name": "Team SH",
                "company_id": cls.company.id,
                "region_id": cls.shanghai.id,
                "user_id": cls.leader.id,
                "member_ids": [(6, 0, [cls.leader.id, cls.rep_a.id])],
            }
        )
        cls.team_w = Team.create(
            {
                "name": "Team W",
                "company_id": cls.company.id,
                "region_id": cls.west.id,
                "member_ids": [(6, 0, [cls.rep_b.id])],
            }
        )
        cls.t_company = cls._target(amount=1000.0)
        cls.t_east = cls._target(cls.t_company, region_id=cls.east.id, amount=600.0)
        cls.t_west = cls._target(cls.t_company, region_id=cls.west.id, amount=400.0)
        cls.t_team_sh = cls._target(cls.t_east, team_id=cls.team_sh.id, amount=600.0)
        cls.t_rep_a = cls._target(
            cls.t_team_sh, team_id=cls.team_sh.id, user_id=cls.rep_a.id, amount=300.0
        )
        cls.t_team_w = cls._target(cls.t_west, team_id=cls.team_w.id, amount=400.0)
        cls.t_rep_b = cls._target(
            cls.t_team_w, team_id=cls.team_w.id, user_id=cls.rep_b.id, amount=400.0
        )

    def rpc(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` called as ``user`` the way a JSON-RPC
        request calls it (``call_kw``, the ORM cache cleared first, the user's
        own companies), so that what the client may send is what is tested."""
        self.env.flush_all()
        self.env.invalidate_all()
        env = self.env(
            user=user,
            su=False,
            context={
                "lang": user.lang or "en_US",
                "tz": user.tz,
                "uid": user.id,
                "allowed_company_ids": user.company_ids.ids,
            },
        )
        return call_kw(env[model], method, list(args), kwargs)

    @classmethod
    def _other_company_hq(cls):
        """A second company and its HQ director, who must see nothing of the
        first."""
        other = cls.env["res.company"].create(
            {"name": "Other Target Co", "currency_id": cls.env.ref("base.CNY").id}
        )
        hq = new_test_user(
            cls.env,
            "srt_other_hq",
            groups="sales_team.group_sale_manager",
            name="Other HQ",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
            tz=cls.env.user.tz or "UTC",
        )
        return other, hq

    @classmethod
    def _user(cls, login, group, name):
        # in the time zone of the user the scheduled actions run as, so that
        # "today" is the same day for both whatever the hour of the run
        return new_test_user(
            cls.env,
            login,
            groups=group,
            name=name,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz=cls.env.user.tz or "UTC",
        )

    @classmethod
    def _target(cls, parent=None, **vals):
        values = {
            "metric": "revenue",
            "date_from": cls.year_from,
            "date_to": cls.year_to,
            "parent_id": parent.id if parent else False,
        }
        values.update(vals)
        return cls.env["sale.target"].create(values)

    @classmethod
    def _pay(cls, invoice, amount, day):
        """Register a payment of ``amount`` on ``invoice`` on ``day``."""
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "payment_date": day,
                "amount": amount,
                "payment_difference_handling": "open",
            }
        )._create_payments()

    def _planned_customer(self, name, action="Visit", activity_type="Tour Visit"):
        """A growing customer of rep A, confirmed a month ago, whose pack has one
        weekly ``action``, due today once planned (``_schedule_action_packs``).
        Returns the customer's lifecycle and the pack's line."""
        atype = self.env["mail.activity.type"].create({"name": activity_type})
        pack = self.env["sale.action.pack"].create(
            {
                "name": "Growing",
                "stage": "growing",
                "company_id": self.company.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "activity_type_id": atype.id,
                            "name": action,
                            "frequency_number": 1,
                            "frequency_unit": "weeks",
                        },
                    )
                ],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": name, "is_company": True, "user_id": self.rep_a.id}
        )
        lifecycle = self.env["sale.customer.lifecycle"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "suggested_stage": "growing",
                "stage": "growing",
                "review_state": "confirmed",
                "review_date": date.today() - timedelta(days=30),
            }
        )
        return lifecycle, pack.line_ids
