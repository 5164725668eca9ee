"""The entry points that demo/*.xml call to generate the demo's history.

The generator (demo/generator.py) is imported here only when the demo data is
loaded, so databases without demo data never load it.
"""

from odoo import api, fields, models

from ..tools import review as review_tools


class SaleRegionalTargetDemo(models.AbstractModel):
    _name = "sale.regional.target.demo"
    _description = "Regional Sales Targets: demo data generator"

    @api.model
    def _generator(self):
        # imported on demand: the demo's code is not part of the running addon
        from ..demo.generator import DemoGenerator  # noqa: PLC0415

        return DemoGenerator(self.env)

    @api.model
    def _demo_languages(self):
        return self._generator()._demo_languages()

    @api.model
    def _load_chart(self):
        return self._generator()._load_chart()

    @api.model
    def _generate_history(self, seed=2026):
        return self._generator()._generate_history(seed=seed)

    @api.model
    def _refresh_actuals(self):
        return self._generator()._refresh_actuals()

    @api.model
    def _demo_potential(self):
        return self._generator()._demo_potential()

    @api.model
    def _demo_allocations(self):
        return self._generator()._demo_allocations()

    @api.model
    def _demo_lifecycle(self, weeks=4, done_rate=0.75, seed=18):
        return self._generator()._demo_lifecycle(
            weeks=weeks, done_rate=done_rate, seed=seed
        )

    @api.model
    def _demo_lag_warnings(self, weeks=4):
        return self._generator()._demo_lag_warnings(weeks=weeks)

    @api.model
    def _demo_crm(self, seed=2027):
        return self._generator()._demo_crm(seed=seed)

    @api.model
    def _demo_forecast_accuracy(self):
        """Measure the demo company's forecast at once (its monthly scheduled
        action would do it later): the targets show their accuracy."""
        company = self.env.ref("sale_regional_target.demo_company")
        self.env["sale.target.forecast.accuracy"]._backtest(company)
        return True

    @api.model
    def _demo_reviews(self):
        """Last month's review of East China and of its teams, prepared by its
        manager, the region's written up (by the manager, in Chinese: the seed
        company's content is): what a manager finds under Reviews."""
        manager = self.env.ref("sale_regional_target.user_east_manager")
        company = self.env.ref("sale_regional_target.demo_company")
        region = self.env.ref("sale_regional_target.region_east")
        Review = (
            self.env["sale.target.review"]
            .with_user(manager)
            .with_company(company)
            .with_context(allowed_company_ids=company.ids, lang=manager.lang or "en_US")
        )
        day = review_tools.last_month(fields.Date.context_today(self))
        owners = [("region", region)] + [
            ("team", team)
            for team in self.env["crm.team"].search(
                [("region_id", "child_of", region.id), ("company_id", "=", company.id)]
            )
        ]
        reviews = Review._prepare(owners, "month", day)
        east = reviews.filtered(lambda r: r.level == "region")
        if east and not east.conclusions:
            east.write(
                {
                    "conclusions": "<p>本月江浙团队贡献最大；上海重点客户团队仍"
                    "落后于进度，改进计划正在执行。回款滞后于秋季订单的开票。</p>",
                    "gap_causes": "<p>上海两家大客户将订单推迟到下季度；"
                    "下滑客户的拜访频次不够。</p>",
                }
            )
        return True
