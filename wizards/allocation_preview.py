"""The allocation preview: level by level, the children, the bases of each
method, the split and the values of the preview lines.

A plain helper of the wizard (not a model), like ``allocation_data`` for the
figures: the wizard's settings say how to split, ``tools.allocation.split``
splits, ``allocation_messages`` words it, and the wizard's
``_prepare_preview_line_vals`` hook builds each line's values.
"""

import math

import numpy as np
import pandas as pd

from odoo.exceptions import UserError

from ..tools import allocation, lifecycle
from . import allocation_messages as messages


def fairness(amounts, potential):
    """The split's fairness (0 when it cannot be measured)."""
    value = allocation.fairness(np.array(amounts, dtype=float), potential)
    return 0.0 if math.isnan(value) else float(value)


class Preview:
    """The values of every preview line of ``wizard``, from the gathered
    ``data``, keeping what was typed on the lines before (``kept``, by path)."""

    def __init__(self, wizard, data, kept):
        self.wizard = wizard
        self.data = data
        self.kept = kept
        self.values = []

    def build(self):
        target = self.wizard.target_id
        self._level(
            target.level,
            target._allocation_owner(),
            target.amount,
            target.floor_amount,
            target.stretch_amount,
            parent_path=False,
            depth=0,
            parent_target=target,
        )
        return self.values

    def own_targets(self, children, parent_target):
        """Per child, whether it is the user's own (see ``owner_users``) and its
        target under ``parent_target`` if it has one yet."""
        existing = {
            child._allocation_key(): child for child in parent_target.sudo().child_ids
        }
        user = self.wizard.env.user
        own = [
            not self.wizard.env.su and user in child.owner_users() for child in children
        ]
        targets = [
            existing.get(child.key, parent_target.browse()) for child in children
        ]
        return own, targets

    def _level(
        self, level, owner, total, floor, stretch, parent_path, depth, parent_target
    ):
        """The lines of ``owner``'s children, splitting ``total`` (and its floor
        and stretch), then, in a cascade, the levels below each child.

        A child that is the user's own target is the level above's to decide:
        an existing one keeps its amounts (locked), a new one is proposed as a
        draft (``sale.target`` never lets its owner set it)."""
        wizard, data = self.wizard, self.data
        children = data.children(level, owner)
        if not children:
            if depth == 0:
                raise UserError(messages.no_children(wizard, level, owner))
            return
        method = wizard._level_method(children[0].level, depth)
        paths = [f"{parent_path or ''}/{child.key}" for child in children]
        typed = [self.kept.get(path, {}) for path in paths]
        own, targets = self.own_targets(children, parent_target)
        for i, child_target in enumerate(targets):
            if own[i] and child_target:
                typed[i] = {
                    "locked": True,
                    "amount": child_target.amount,
                    "override_bounds": True,
                    "floor_amount": child_target.floor_amount,
                    "stretch_amount": child_target.stretch_amount,
                }
        yearly, monthly, recent = data.history(children)
        inputs = self.inputs(children, method, yearly, recent)
        result = self.split(method, total, children, inputs, typed, depth)
        compare = None
        if wizard.compare_method and depth == 0:
            compare = self.split(
                wizard.compare_method, total, children, inputs, typed, depth
            )
        amounts = result.amounts
        # floor and stretch in the same unit as the amounts they follow
        unit = float(wizard.rounding_unit) if method != "manual" else 0.01
        floors = allocation.follow_ratios(total, floor, amounts, unit)
        stretches = allocation.follow_ratios(total, stretch, amounts, unit)
        for i, child in enumerate(children):
            vals = wizard._prepare_preview_line_vals(
                child,
                typed[i],
                {
                    "_path": paths[i],
                    "_parent_path": parent_path,
                    "depth": depth,
                    "sequence": len(self.values),
                    "method": method,
                    "last_year_amount": float(yearly[i, 0]),
                    "history_basis": float(inputs["history"][i]),
                    "potential_score": float(inputs["potential"][i]),
                    "ramp_rate": 100.0 * float(inputs["ramp"][i]),
                    "share": 100.0 * float(result.shares[i]),
                    "amount": float(amounts[i]),
                    "floor_amount": float(floors[i]),
                    "stretch_amount": float(stretches[i]),
                    "own_target": own[i],
                    "basis_this_year": bool(inputs["from_recent"][i]),
                    "explanation": messages.explain(
                        wizard, method, i, result, inputs, children
                    )
                    if not own[i]
                    else messages.own_target(
                        wizard, method, i, result, inputs, children, targets[i]
                    ),
                    "phasing_weights": {
                        month.isoformat(): float(weight)
                        for month, weight in zip(data.months, monthly[i], strict=True)
                    },
                },
            )
            if compare is not None:
                vals["compare_amount"] = float(compare.amounts[i])
                vals["compare_share"] = 100.0 * float(compare.shares[i])
            self.values.append(vals)
            if wizard.cascade and child.level in ("region", "team"):
                self._level(
                    child.level,
                    child.record,
                    float(amounts[i]),
                    vals["floor_amount"],
                    vals["stretch_amount"],
                    paths[i],
                    depth + 1,
                    targets[i],
                )

    def inputs(self, children, method, yearly, recent):
        """Bases of every method for these children (potential only if used)."""
        wizard, data = self.wizard, self.data
        n = len(children)
        history = np.zeros(n)
        if yearly.any():
            try:
                history = allocation.history_basis(yearly, wizard._history_weights())
            except allocation.AllocationError as error:
                # only returns or only years weighted zero: no usable history;
                # the history method says so in words if it is chosen
                if error.code != "no_history":
                    raise UserError(
                        messages.error_message(wizard, error, children, 0)
                    ) from error
        # without history but selling since: this year's pace is their history
        history, from_recent = allocation.newcomer_basis(
            history, recent, data.recent_share
        )
        potential = np.zeros(n)
        details, borrowed = {}, {}
        methods = {method, wizard.compare_method}
        if methods & {"potential", "blend"} or (
            len(children) and children[0].level == "region"
        ):
            try:
                potential, details, borrowed = data.potential(
                    children, wizard.potential_year
                )
            except UserError:
                if methods & {"potential", "blend"}:
                    raise
        ramp = np.ones(n)
        uses_history = method in ("history", "blend")
        if wizard.ramp_up:
            schedule = wizard._ramp_schedule()
            period_months = len(data.months)
            for i, child in enumerate(children):
                tenure = data.tenure_months(child)
                # this year's actuals show the ramp-up already
                if tenure is not None and not (uses_history and from_recent[i]):
                    ramp[i] = allocation.ramp_factor(tenure, period_months, schedule)
        by_stage = np.zeros((n, len(lifecycle.STAGES)))
        basis = np.zeros(n)
        if "lifecycle" in methods:
            by_stage = data.lifecycle_revenue(children)
            weights = wizard.env["sale.customer.lifecycle"]._stage_weights()
            try:
                basis = lifecycle.lifecycle_basis(
                    pd.DataFrame(by_stage, columns=list(lifecycle.STAGES)), weights
                )
            except lifecycle.LifecycleError as error:
                raise UserError(messages.no_stage_weight(wizard)) from error
        return {
            "lifecycle": basis,
            "lifecycle_by_stage": by_stage,
            "history": history,
            "from_recent": from_recent,
            "recent": recent,
            "recent_share": data.recent_share,
            "year_shares": data.year_shares,
            "yearly": yearly,
            "potential": potential,
            "potential_details": details,
            "potential_borrowed": borrowed,
            "ramp": ramp,
        }

    def split(self, method, total, children, inputs, typed, depth):
        """The split of one group of children (``tools.allocation.split``)."""
        wizard = self.wizard
        try:
            return allocation.split(
                method,
                total,
                inputs,
                typed,
                unit=float(wizard.rounding_unit),
                ramp=inputs["ramp"],
                last_year=inputs["yearly"][:, 0],
                growth_cap=wizard.growth_cap,
                manual_mode=wizard.manual_mode,
                blend_history_weight=wizard.blend_history_weight / 100,
                nested=bool(depth),
            )
        except allocation.AllocationError as error:
            raise UserError(
                messages.error_message(wizard, error, children, total)
            ) from error
