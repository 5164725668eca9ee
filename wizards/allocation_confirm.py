"""Confirming an allocation: checks, the parent's lock, the child targets
written level by level in batch, the chatter record and the owners told.

A plain helper of the wizard (not a model); each child target's values come
from the wizard's ``_prepare_child_target_vals`` hook, the words from
``allocation_messages``.
"""

from datetime import date

import psycopg2.errors

from odoo.exceptions import UserError
from odoo.tools import float_compare, mute_logger

from ..tools.rounding import same_amount
from . import allocation_messages as messages
from .allocation_data import Child


class Confirmation:
    """The confirmation of ``wizard``'s previewed allocation."""

    def __init__(self, wizard):
        self.wizard = wizard

    def run(self):
        """Check, lock the parent, write the children level by level, record the
        allocation and tell the owners. Returns the parent target."""
        wizard = self.wizard
        self.check_lines()
        existing = self.existing_by_line()
        self.check_existing(existing)
        before = {line_id: target.amount for line_id, target in existing.items()}
        self.lock_parent()
        parent = wizard.target_id
        targets_by_line = dict(existing)
        lines_by_depth = {}
        for line in wizard.line_ids:
            lines_by_depth.setdefault(line.depth, []).append(line)
        for depth in sorted(lines_by_depth):
            self.write_children(lines_by_depth[depth], targets_by_line)
        # system fields of the parent: written once the children were (as the user)
        parent.sudo().write(
            {
                "allocation_version": wizard.version + 1,
                "allocation_method": wizard.method,
            }
        )
        parent.message_post(body=messages.summary_html(wizard, before))
        self.tell_owners(existing, before)
        # the new and changed targets show their figures at once, not 0% and
        # behind until the hourly refresh
        wizard.env["sale.target"].concat(
            *targets_by_line.values()
        ).sudo()._refresh_actuals_isolated()
        return parent

    def lock_parent(self):
        """Take the parent's row so that two managers cannot confirm at once."""
        target = self.wizard.target_id
        target.flush_recordset(["allocation_version"])
        try:
            with mute_logger("odoo.sql_db"), self.wizard.env.cr.savepoint(flush=False):
                self.wizard.env.cr.execute(
                    "SELECT allocation_version FROM sale_target WHERE id = %s "
                    "FOR UPDATE NOWAIT",
                    [target.id],
                )
                version = self.wizard.env.cr.fetchone()[0]
        except psycopg2.errors.LockNotAvailable as error:
            raise UserError(messages.parent_busy(self.wizard, target)) from error
        if (version or 0) != self.wizard.version:
            raise UserError(messages.allocated_meanwhile(self.wizard, target))

    def check_lines(self):
        """Siblings add up to their parent and no amount is negative."""
        groups = {}
        for line in self.wizard.line_ids:
            if line.amount < 0:
                raise UserError(messages.negative_amount(self.wizard, line.name))
            groups.setdefault(line.parent_line_id, []).append(line)
        for parent_line, lines in groups.items():
            total = parent_line.amount if parent_line else self.wizard.target_id.amount
            entered = sum(line.amount for line in lines)
            if not same_amount([line.amount for line in lines], total, 0.01):
                raise UserError(
                    messages.siblings_mismatch(
                        self.wizard,
                        parent_line.name or self.wizard.target_id.display_name,
                        entered,
                        total,
                    )
                )

    def existing_by_line(self):
        """{line id: target} for the lines whose child target already exists."""
        found = {}
        children_by_parent = {}
        for line in self.wizard.line_ids.sorted(lambda ln: (ln.depth, ln.sequence)):
            if line.parent_line_id:
                parent = found.get(line.parent_line_id.id)
            else:
                parent = self.wizard.target_id
            if not parent:
                continue
            if parent.id not in children_by_parent:
                children_by_parent[parent.id] = {
                    child._allocation_key(): child for child in parent.child_ids
                }
            child = children_by_parent[parent.id].get(line.child_key)
            if child:
                found[line.id] = child
        return found

    def is_own(self, target):
        """Whether ``target`` is the user's own: the level above decides it, the
        allocation leaves it as it is."""
        env = self.wizard.env
        return not env.su and env.user in target._owner_users()

    def check_existing(self, existing):
        """Closed children stay as they are; confirmed ones change with a reason;
        the user's own targets keep the amount the level above set."""
        lines = self.wizard.env["sale.target.allocation.line"].browse(list(existing))
        for line in lines:
            target = existing[line.id]
            if self.is_own(target):
                if float_compare(
                    line.amount,
                    target.amount,
                    precision_rounding=target.currency_id.rounding,
                ):
                    raise UserError(messages.own_target_changed(self.wizard, target))
                continue
            if target.state == "closed":
                raise UserError(messages.target_closed(self.wizard, target))
            changes = any(
                float_compare(
                    line[name],
                    target[name],
                    precision_rounding=target.currency_id.rounding,
                )
                for name in ("amount", "floor_amount", "stretch_amount")
            )
            if (
                target.state == "confirmed"
                and changes
                and not (self.wizard.reason or "").strip()
            ):
                raise UserError(messages.reason_needed(self.wizard, target))

    def write_children(self, lines, targets_by_line):
        """Create or update the targets of these lines (one level), in batch."""
        Target = self.wizard.env["sale.target"]
        to_create, phasings, created_lines = [], [], []
        for line in lines:
            if line.parent_line_id:
                parent = targets_by_line[line.parent_line_id.id]
            else:
                parent = self.wizard.target_id
            weights = None
            if self.wizard.phasing == "own":
                weights = {
                    date.fromisoformat(month): value
                    for month, value in (line.phasing_weights or {}).items()
                }
            if not weights or not any(weights.values()):
                weights = {
                    pl.date: pl.amount for pl in parent.line_ids if pl.amount > 0
                }
            vals = {
                "amount": line.amount,
                "floor_amount": line.floor_amount,
                "stretch_amount": line.stretch_amount,
            }
            target = targets_by_line.get(line.id)
            if target and self.is_own(target):
                continue  # the level above's to set (see ``check_existing``)
            if target:
                if target.state == "confirmed":
                    vals["change_reason"] = self.wizard.reason
                vals["line_ids"] = target._phasing_commands(
                    line.amount, weights=weights
                )
                target.write(vals)
                continue
            to_create.append(self.wizard._prepare_child_target_vals(line, parent, vals))
            phasings.append(
                Target._phasing_amounts(
                    line.amount,
                    parent.date_from,
                    parent.date_to,
                    weights,
                    parent.currency_id,
                )
            )
            created_lines.append(line)
        # No "created" note nor "assigned to you" mail per target: the parent's
        # chatter has the summary, and owners follow their targets.
        # The user's own new target is a draft proposed to the level above,
        # which alone may set and confirm it: created by the system, since its
        # owner may not create it (the record rules).
        own = [
            not Target.env.su
            and Target.env.user in Child(line.level, line._owner_record()).owner_users()
            for line in created_lines
        ]
        created = Target
        for batch_own in (False, True):
            picked = [i for i, is_own in enumerate(own) if is_own == batch_own]
            if not picked:
                continue
            targets = (
                (Target.sudo() if batch_own else Target)
                ._create_in_bulk(
                    [to_create[i] for i in picked], [phasings[i] for i in picked]
                )
                .with_env(Target.env)
            )
            for i, target in zip(picked, targets, strict=True):
                targets_by_line[created_lines[i].id] = target
            created |= targets
        return created

    def tell_owners(self, existing, before):
        """One message on each existing child whose amount changed, to its owner:
        the old and new amounts and why."""
        currency = self.wizard.currency_id
        for line_id, target in existing.items():
            old, new = before[line_id], target.amount
            if not float_compare(old, new, precision_rounding=currency.rounding):
                continue
            # written in the owner's language: the message is for them
            owners = target._owner_users()
            env = self.wizard.with_context(
                lang=owners[:1].lang or self.wizard.env.lang
            ).env
            body = messages.owner_change(env, self.wizard, old, new)
            target.message_post(
                body=body,
                partner_ids=target._owner_users().partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
