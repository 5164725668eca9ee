"""What the allocation wizard says, in one place: why a target cannot be split,
each allocation error in words, and the one-line reason of every child's amount.

Plain functions of the wizard (its settings, currency and language); the
figures come from ``tools.allocation``.
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo.tools import format_amount, format_date

from ..models.sale_target import ALLOCATION_UNITS
from ..tools import allocation, lifecycle


def _names(children, limit=5):
    names = ", ".join(c.name for c in children[:limit])
    return names + ("…" if len(children) > limit else "")


def no_basis(wizard, method, children):
    """The first level of a split by ``method`` has nothing to go on."""
    if method == "lifecycle":
        return wizard.env._(
            "None of %(children)s sold anything last year to customers "
            "in a stage weighted above 0: run the lifecycle "
            "classification (Lifecycle Review, Classify Now), check the "
            "stage weights in Settings, or use another method.",
            children=_names(children),
        )
    if method == "potential":
        return wizard.env._(
            "None of %(children)s has any potential for %(year)s: enter "
            "factor values for the regions, or assign customers.",
            children=", ".join(c.name for c in children[:5]),
            year=wizard.potential_year,
        )
    target = wizard.target_id
    return wizard.env._(
        "None of %(children)s has any %(metric)s in the history "
        "years: use another method (potential or equal), or check "
        "the period.",
        children=_names(children),
        metric=dict(target._fields["metric"]._description_selection(wizard.env))[
            target.metric
        ],
    )


def no_children(wizard, level, owner):
    """Why a target of ``level`` owned by ``owner`` cannot be split."""
    if level == "user":
        return wizard.env._(
            "A salesperson's target is the bottom of the tree: there is "
            "nothing below it to allocate to."
        )
    if level == "team":
        return wizard.env._(
            "Team %(team)s has no members to allocate to: add salespeople to "
            "the team first.",
            team=owner.display_name,
        )
    if level == "region":
        return wizard.env._(
            "Region %(region)s has neither sub-regions nor teams to allocate to.",
            region=owner.display_name,
        )
    return wizard.env._(
        "The company has no regions to allocate to: create regions first."
    )


def error_message(wizard, error, children, total):
    """An allocation error (``tools.allocation.AllocationError``) in words."""
    names = ", ".join(children[i].name for i in error.children[:8]) or "-"
    currency = wizard.currency_id

    def money(value):
        return format_amount(wizard.env, value or 0.0, currency)

    messages = {
        "total_not_positive": wizard.env._("The amount to allocate must be positive."),
        "no_children": wizard.env._("There is nothing to allocate to."),
        "negative_basis": wizard.env._(
            "Negative figures for %(children)s: amounts and percentages must "
            "not be negative.",
            children=names,
        ),
        "weights_zero": wizard.env._(
            "The weights add up to zero: give at least one a positive weight."
        ),
        "no_history": wizard.env._(
            "None of the children has any history: use another method."
        ),
        "locked_exceed": wizard.env._(
            "The locked amounts of %(children)s add up to more than the "
            "%(total)s to allocate: unlock some or lower them.",
            children=names,
            total=money(total),
        ),
        "minimums_exceed": wizard.env._(
            "The minimums of %(children)s need %(needed)s but only "
            "%(available)s is left to allocate: lower them.",
            children=names,
            needed=money(error.values.get("needed")),
            available=money(error.values.get("available")),
        ),
        "maximums_short": wizard.env._(
            "Every child is held at its maximum or growth cap (%(children)s) "
            "and together they take only %(available)s of the %(needed)s to "
            "allocate: raise a maximum or the growth cap.",
            children=names,
            needed=money(error.values.get("needed")),
            available=money(error.values.get("available")),
        ),
        "bounds_crossed": wizard.env._(
            "The minimum of %(children)s is above its maximum (or growth cap).",
            children=names,
        ),
        "no_basis": no_basis(wizard, error.values.get("method"), children),
        "manual_total_mismatch": wizard.env._(
            "The typed figures add up to %(entered)s, not %(total)s: "
            "correct them so that they match the parent.",
            entered=(
                f"{error.values.get('entered', 0):g}%"
                if wizard.manual_mode == "percent"
                else money(error.values.get("entered"))
            ),
            total=("100%" if wizard.manual_mode == "percent" else money(total)),
        ),
    }
    return messages.get(error.code, error.code)


def borrowed_values(wizard, borrowed):
    """The factor values a child's potential took from an ancestor region,
    ``borrowed`` as [(region, factor, ancestor), ...]: which from where."""
    factors = {}
    for region, factor, ancestor in borrowed:
        factors.setdefault((region, ancestor), []).append(factor.name)
    return "; ".join(
        wizard.env._(
            "%(factors)s of %(region)s borrowed from %(ancestor)s",
            factors=", ".join(names),
            region=region.name,
            ancestor=ancestor.name,
        )
        for (region, ancestor), names in factors.items()
    )


def explain(wizard, method, i, result, inputs, children):
    """One line, in words, on why child ``i`` gets its amount."""
    share = 100.0 * float(result.shares[i])
    if method == "history":
        words = wizard.env._(
            "%(share).1f%% of the children's history (%(years)s)",
            share=share,
            years=" / ".join(
                f"{w:g}%"
                for w in [
                    wizard.weight_year1,
                    wizard.weight_year2,
                    wizard.weight_year3,
                ][: int(wizard.history_years)]
            ),
        )
    elif method == "potential":
        words = wizard.env._(
            "potential score %(score).1f, %(share).1f%% of the whole",
            score=float(inputs["potential"][i]),
            share=share,
        )
        details = inputs["potential_details"].get(children[i].record.id)
        if details:
            top = max(details, key=lambda item: item[1])
            words += wizard.env._(" (strongest factor: %(factor)s)", factor=top[0].name)
    elif method == "blend":
        words = wizard.env._(
            "%(history)g%% history and %(potential)g%% potential: %(share).1f%%",
            history=wizard.blend_history_weight,
            potential=100 - wizard.blend_history_weight,
            share=share,
        )
    elif method == "manual":
        words = wizard.env._("typed by hand: %(share).1f%%", share=share)
    elif method == "lifecycle":
        labels = dict(
            wizard.env["sale.customer.lifecycle"]
            ._fields["stage"]
            ._description_selection(wizard.env)
        )
        mix = ", ".join(
            f"{labels[stage]} {format_amount(wizard.env, amount, wizard.currency_id)}"
            for stage, amount in zip(
                lifecycle.STAGES, inputs["lifecycle_by_stage"][i], strict=True
            )
            if amount
        )
        words = wizard.env._(
            "last year's customers by stage (%(mix)s), weighted: %(share).1f%%",
            mix=mix or wizard.env._("none"),
            share=share,
        )
    else:
        words = wizard.env._(
            "an equal share of %(count)s children", count=len(children)
        )
    notes = []
    if method in ("history", "blend"):
        notes.extend(history_notes(wizard, i, inputs))
    if method in ("potential", "blend") and inputs["potential_borrowed"].get(i):
        notes.append(borrowed_values(wizard, inputs["potential_borrowed"][i]))
    flags = result.flags[i]
    if "zero_parent" in flags:
        return wizard.env._("Nothing to share: the level above got no target")
    if "locked" in flags:
        notes.append(wizard.env._("locked"))
    if "minimum" in flags:
        notes.append(wizard.env._("raised to its minimum"))
    if "maximum" in flags:
        notes.append(wizard.env._("held at its maximum or growth cap"))
    if "ramp" in flags:
        notes.append(
            wizard.env._(
                "ramp-up: %(rate).0f%% of a full target",
                rate=100.0 * float(inputs["ramp"][i]),
            )
        )
    if "even" in flags:
        words = wizard.env._("no basis for this method: an equal share of what is left")
    if "residual" in flags:
        notes.append(wizard.env._("takes the rounding remainder"))
    return "; ".join([words[:1].upper() + words[1:], *notes])


def history_notes(wizard, i, inputs):
    """What child ``i``'s history is made of when it is not a full last year:
    this year's actuals of a newcomer, or a last year still running."""
    if inputs["from_recent"][i]:
        return [
            wizard.env._(
                "no history: %(amount)s since, at that pace over the period "
                "(%(share).0f%% of it elapsed), without ramp-up",
                amount=format_amount(
                    wizard.env, float(inputs["recent"][i]), wizard.currency_id
                ),
                share=100.0 * inputs["recent_share"],
            )
        ]
    share = inputs["year_shares"][0] if inputs["year_shares"] else 1.0
    if 0 < share < 1 and inputs["yearly"][i, 0]:
        return [
            wizard.env._(
                "last year is not over: %(share).0f%% of it, scaled to a full year",
                share=100.0 * share,
            )
        ]
    return []


def own_target(wizard, method, i, result, inputs, children, target):
    """The reason of the line of the user's own target, decided by the level
    above: kept as ``target`` is, or (no target yet) proposed as a draft."""
    if target:
        return wizard.env._(
            "Your own target: set by the level above, kept at %(amount)s",
            amount=format_amount(wizard.env, target.amount, wizard.currency_id),
        )
    return "; ".join(
        [
            explain(wizard, method, i, result, inputs, children),
            wizard.env._(
                "your own target: proposed as a draft, for the level above to "
                "set and confirm"
            ),
        ]
    )


def own_target_changed(wizard, target):
    """The amount of the user's own target was changed on its line."""
    return wizard.env._(
        "“%(name)s” is your own target: its amount is set by the level above "
        "(%(amount)s) and stays as it is. Recompute the preview. Nothing was "
        "written.",
        name=target.display_name,
        amount=format_amount(wizard.env, target.amount, wizard.currency_id),
    )


def incomplete_year(wizard, data):
    """The note on history years still running, scaled to a full year."""
    methods = {wizard.method, wizard.compare_method}
    if wizard.cascade:
        methods |= {wizard.region_children_method, wizard.team_children_method}
    if not methods & {"history", "blend"}:
        return ""
    running = [k for k, share in enumerate(data.year_shares, start=1) if 0 < share < 1]
    if not running:
        return ""
    k = running[0]
    start = wizard.target_id.date_from - relativedelta(years=k)
    end = wizard.target_id.date_to - relativedelta(years=k)
    return wizard.env._(
        "%(start)s to %(end)s is not over: its actuals up to %(today)s "
        "(%(share).0f%% of it) are scaled to the whole period for the history, "
        "the growth cap and the changes against last year.",
        start=format_date(wizard.env, start),
        end=format_date(wizard.env, end),
        today=format_date(wizard.env, data.today),
        share=100.0 * data.year_shares[k - 1],
    )


def warnings(wizard, data=None):
    """Lines of text on what deserves a second look before confirming."""
    currency = wizard.currency_id
    warnings = []
    if data is not None:
        note = incomplete_year(wizard, data)
        if note:
            warnings.append(note)
    # targets already under the parent that the split leaves alone: a
    # second layer (sub-regions beside teams) would over-allocate it
    keys = set(
        wizard.line_ids.filtered(lambda ln: not ln.parent_line_id).mapped("child_key")
    )
    others = wizard.target_id.sudo().child_ids.filtered(
        lambda child: child._allocation_key() not in keys
    )
    if others:
        kept = sum(others.mapped("amount"))
        rate = (
            f"{100.0 * (kept + wizard.target_id.amount) / wizard.target_id.amount:.0f}%"
        )
        names = ", ".join(others.mapped("display_name")[:5])
        warnings.append(
            wizard.env._(
                "%(targets)s already hold %(kept)s under this target and are "
                "left as they are: with this split, its sub-targets would add "
                "up to %(rate)s of it. Allocate to them instead, or remove "
                "them first.",
                targets=names,
                kept=format_amount(wizard.env, kept, currency),
                rate=rate,
            )
        )
    big = wizard.line_ids.filtered("big_change")
    if big:
        changes = ", ".join(f"{line.name} {line.change_rate:+.0f}%" for line in big[:8])
        warnings.append(
            wizard.env._(
                "Changes of more than 50%% against last year: %(children)s.",
                children=changes,
            )
        )
    if not wizard.ramp_up and {wizard.method, wizard.team_children_method} & {
        "history",
        "blend",
        "lifecycle",
    }:
        newcomers = wizard.line_ids.filtered(
            lambda ln: (
                ln.level == "user"
                and not ln.last_year_amount
                and not ln.basis_this_year
            )
        )
        if newcomers:
            warnings.append(
                wizard.env._(
                    "%(people)s sold nothing last year: newcomers? Their "
                    "targets can ramp up by month of tenure (Ramp-up for "
                    "Newcomers, and Selling Since on the user).",
                    people=", ".join(newcomers.mapped("name")[:8]),
                )
            )
    return "\n".join(warnings)


def growth_cap_text(wizard):
    """The growth cap in words: its percentage, or none."""
    if wizard.growth_cap:
        return wizard.env._("growth cap %(cap)g%%", cap=wizard.growth_cap)
    return wizard.env._("growth cap: none")


def fairness_label(env, value):
    """The fairness figure with its meaning and scale."""
    if value < 0.1:
        meaning = env._("even")
    elif value < 0.3:
        meaning = env._("somewhat uneven")
    else:
        meaning = env._("uneven")
    # formatted apart: the term extractor cannot read an f-string argument
    shown = f"{value:.2f}"
    return env._(
        "%(value)s: %(meaning)s (0 = every child gets the same target per "
        "point of potential; above 0.3, uneven)",
        value=shown,
        meaning=meaning,
    )


def fairness_advice(wizard):
    """What to do about an uneven split: the children far above or below the
    average target per point of potential, and how to even it out."""
    if wizard.state != "preview" or wizard.fairness < 0.1:
        return ""
    top = wizard.line_ids.filtered(lambda line: not line.parent_line_id)
    above, below, relative = allocation.fairness_outliers(
        top.mapped("amount"), top.mapped("potential_score")
    )

    def names(positions):
        return ", ".join(
            f"{top[int(i)].name} (×{relative[int(i)]:.1f})" for i in positions[:5]
        )

    parts = []
    if above.size:
        parts.append(
            wizard.env._(
                "Far above their potential: %(children)s.", children=names(above)
            )
        )
    if below.size:
        parts.append(
            wizard.env._(
                "Far below their potential: %(children)s.", children=names(below)
            )
        )
    if not parts:
        parts.append(
            wizard.env._(
                "No child is far from the average target per point of potential "
                "(within ×1.5 either way)."
            )
        )
    if wizard.compare_method and wizard.compare_fairness < wizard.fairness:
        methods = dict(wizard._fields["method"]._description_selection(wizard.env))
        # outside the call: the term extractor evaluates string tokens in it
        fairness = f"{wizard.compare_fairness:.2f}"
        parts.append(
            wizard.env._(
                "The compared method (%(method)s) is more even: %(value)s.",
                method=methods[wizard.compare_method],
                value=fairness,
            )
        )
    elif wizard.method not in ("potential", "blend"):
        parts.append(
            wizard.env._(
                "To even it out, compare with the potential or blend method "
                "(Compare With), or give those far above a maximum and those far "
                "below a minimum, then recompute."
            )
        )
    else:
        parts.append(
            wizard.env._(
                "To even it out, give those far above a maximum and those far "
                "below a minimum, then recompute."
            )
        )
    return " ".join(parts)


def owner_change(env, wizard, old, new):
    """What an owner is told when the allocation changes their target, in
    ``env``'s language (theirs)."""
    currency = wizard.currency_id
    body = env._(
        "The allocation of “%(parent)s” changes this target from %(old)s to %(new)s.",
        parent=wizard.target_id.with_env(env).display_name,
        old=format_amount(env, old, currency),
        new=format_amount(env, new, currency),
    )
    if wizard.reason:
        body += " " + env._("Reason: %(reason)s", reason=wizard.reason)
    return body


def summary_html(wizard, before=None):
    """The allocation's record in the parent's chatter: method, settings and
    each child's amount before and after, with its reason."""
    before = before or {}
    methods = dict(wizard._fields["method"]._description_selection(wizard.env))

    def was(line):
        if line.id not in before:
            return wizard.env._("new")
        return format_amount(wizard.env, before[line.id], wizard.currency_id)

    rows = Markup("").join(
        Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
        % (
            line.name,
            was(line),
            format_amount(wizard.env, line.amount, wizard.currency_id),
            f"{line.share:.1f}%",
            line.explanation,
        )
        for line in wizard.top_line_ids
    )
    header = wizard.env._(
        "Allocated by %(method)s, rounded to %(unit)s",
        method=methods[wizard.method],
        unit=dict(ALLOCATION_UNITS)[wizard.rounding_unit],
    )
    extras = []
    if wizard.method != "manual":
        extras.append(growth_cap_text(wizard))
    if wizard.cascade:
        extras.append(wizard.env._("cascaded down to salespeople"))
    if wizard.reason:
        extras.append(wizard.env._("reason: %(reason)s", reason=wizard.reason))
    head = Markup(
        "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
    ) % (
        wizard.env._("Child"),
        wizard.env._("Before"),
        wizard.env._("Amount"),
        wizard.env._("Share"),
        wizard.env._("Why"),
    )
    return Markup("<p>%s</p><table class='table table-sm'>%s%s</table>") % (
        "; ".join([header, *extras]),
        head,
        rows,
    )


def no_stage_weight(wizard):
    return wizard.env._(
        "Every stage weight is 0 in Settings: give at least one "
        "stage a weight to use the lifecycle method."
    )


def parent_busy(wizard, target):
    return wizard.env._(
        "Someone else is confirming an allocation of “%(name)s” right "
        "now. Nothing was written: reopen the wizard in a moment.",
        name=target.display_name,
    )


def allocated_meanwhile(wizard, target):
    return wizard.env._(
        "“%(name)s” was allocated by someone else after you opened this "
        "wizard. Nothing was written: reopen the wizard to start from "
        "the current children.",
        name=target.display_name,
    )


def negative_amount(wizard, child):
    return wizard.env._("%(child)s: the amount must not be negative.", child=child)


def siblings_mismatch(wizard, parent, entered, total):
    currency = wizard.currency_id
    return wizard.env._(
        "The amounts under %(parent)s add up to %(sum)s instead of %(total)s.",
        parent=parent,
        sum=format_amount(wizard.env, entered, currency),
        total=format_amount(wizard.env, total, currency),
    )


def target_closed(wizard, target):
    return wizard.env._(
        "Target “%(name)s” is closed: it cannot be allocated again. "
        "Nothing was written.",
        name=target.display_name,
    )


def reason_needed(wizard, target):
    return wizard.env._(
        "Target “%(name)s” is confirmed and its amounts would change: "
        "give a reason. Nothing was written.",
        name=target.display_name,
    )


def nothing_to_allocate(wizard, target):
    return wizard.env._(
        "Target “%(name)s” has no positive amount to allocate: set its target first.",
        name=target.display_name,
    )


def parent_closed(wizard, target):
    return wizard.env._(
        "Target “%(name)s” is closed and cannot be allocated again.",
        name=target.display_name,
    )


def bad_ramp_schedule(wizard, error):
    if error.code == "ramp_schedule_range":
        return wizard.env._(
            "Ramp-up schedule “%(schedule)s”: each percent must be above 0 "
            "and at most 100.",
            schedule=wizard.ramp_schedule,
        )
    return wizard.env._(
        "Ramp-up schedule “%(schedule)s”: give percents separated by "
        "commas, e.g. 25, 50, 75.",
        schedule=wizard.ramp_schedule,
    )


def bad_history_weights(wizard):
    return wizard.env._(
        "The weights of the history years add up to zero (or one is "
        "negative): give last year, at least, a positive weight."
    )
