from unittest.mock import patch

from odoo.tests import tagged

from .common import TargetCase


@tagged("post_install", "-at_install")
class TestExtensionHooks(TargetCase):
    """Other addons extend the records the addon builds through its
    ``_prepare_*_vals`` methods, as Odoo's own modules allow."""

    def test_child_targets_and_preview_lines(self):
        Wizard = type(self.env["sale.target.allocation.wizard"])
        prepare_child = Wizard._prepare_child_target_vals
        prepare_line = Wizard._prepare_preview_line_vals

        def child_vals(wizard, line, parent, amounts):
            return dict(
                prepare_child(wizard, line, parent, amounts), note="from a hook"
            )

        def line_vals(wizard, child, typed, figures):
            vals = prepare_line(wizard, child, typed, figures)
            vals["explanation"] += " (checked by a hook)"
            return vals

        plan = self._target(amount=1000.0)
        action = plan.action_allocate()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.method = "equal"
        with (
            patch.object(Wizard, "_prepare_child_target_vals", child_vals),
            patch.object(Wizard, "_prepare_preview_line_vals", line_vals),
        ):
            wizard.action_preview()
            self.assertTrue(wizard.line_ids)
            for line in wizard.line_ids:
                self.assertTrue(line.explanation.endswith("(checked by a hook)"))
            wizard.action_confirm()
        self.assertEqual(len(plan.child_ids), len(wizard.line_ids))
        self.assertEqual(set(plan.child_ids.mapped("note")), {"<p>from a hook</p>"})
        self.assertEqual(sum(plan.child_ids.mapped("amount")), 1000.0)

    def test_pack_activities(self):
        Lifecycle = type(self.env["sale.customer.lifecycle"])
        prepare = Lifecycle._prepare_pack_activity_vals

        def activity_vals(lifecycle, line, model_id, summary, note, deadline):
            vals = prepare(lifecycle, line, model_id, summary, note, deadline)
            vals["summary"] = f"{summary} [hook]"
            return vals

        lifecycle, line = self._planned_customer("Hooked Works")
        customer = lifecycle.partner_id
        with patch.object(Lifecycle, "_prepare_pack_activity_vals", activity_vals):
            lifecycle._schedule_action_packs()
        planned = self.env["mail.activity"].search(
            [
                ("res_id", "=", customer.id),
                ("action_pack_line_id", "=", line.id),
            ]
        )
        self.assertEqual(planned.summary, "Visit [hook]")
        self.assertEqual(planned.user_id, self.rep_a)
