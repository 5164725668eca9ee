import math
import threading

from psycopg2 import errors as pg_errors

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

# Postgres ``integer`` columns
_INT_MAX = 2**31 - 1
# No float of the addon (rates, weights, scores, amounts) is meaningful beyond this;
# amounts have a tighter bound per currency (``tools.rounding.MAX_UNITS``).
_FLOAT_MAX = 1e15
# Errors of the transaction as a whole, never of the records being processed: two
# transactions changed the same rows (Odoo retries the request or the scheduled
# action), or the transaction is broken already.
_TRANSACTION_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.LockNotAvailable,
    pg_errors.DeadlockDetected,
    pg_errors.InFailedSqlTransaction,
)


def field_labels(records, names):
    """The labels of fields ``names`` of ``records``' model, in the user's
    language, joined for a message."""
    return ", ".join(
        records._fields[name]._description_string(records.env)
        for name in sorted(names)
        if name in records._fields
    )


def _same(value, default):
    """A value equal to a default (False, None, 0 and empty count as one)."""
    return value == default or (not value and not default)


def check_number(env, field, value):
    """A number a user writes in ``field``: finite, and within what its column
    (and a currency) can hold; else a ValidationError that says so."""
    if value is None or value is False:
        return
    label = field._description_string(env)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise ValidationError(
            env._(
                "%(field)s must be a number (got “%(value)s”).",
                field=label,
                value=str(value)[:40],
            )
        )
    limit = _INT_MAX if field.type == "integer" else _FLOAT_MAX
    if abs(number) > limit:
        shown, most = f"{number:,.0f}"[:40], f"{limit:,.0f}"
        raise ValidationError(
            env._(
                "%(field)s is out of range: %(value)s (at most %(limit)s).",
                field=label,
                value=shown,
                limit=most,
            )
        )


class SaleTargetGuardMixin(models.AbstractModel):
    """Checks every model of the addon applies on create and write, whatever the
    client (form, import, JSON-RPC):

    - fields the system computes or stores (actuals, refresh dates, versions,
      review results) are written only by the system, i.e. in superuser mode
      after the code has checked what the user may do; a user gets a clear
      refusal instead of a figure that looks real;
    - numbers are finite (no NaN or infinity) and within what their column and
      a currency can hold;
    - required texts are not blank.

    It also runs a scheduled action's work so that one bad record never stops
    a batch (``_process_isolated``).
    """

    _name = "sale.target.guard.mixin"
    _description = "Sales Targets: checks on what users write"

    # Names of stored fields the system writes, beyond the computed read-only ones.
    _system_fields = ()

    @api.model
    def _guarded_fields(self):
        """Fields users never write: computed read-only ones and ``_system_fields``."""
        names = set(self._system_fields)
        for name, field in self._fields.items():
            if field.compute and field.readonly and not field.inverse:
                names.add(name)
        return names - set(models.MAGIC_COLUMNS) - {"display_name"}

    def _check_user_values(self, vals, creating=False):
        """Refuse what a user may not write in ``vals`` (see the class).

        On creation, a system field given its default value is no change (a
        form sends the defaults it shows, such as a draft state)."""
        if not self.env.su:
            refused = sorted(set(vals) & self._guarded_fields())
            if refused and creating:
                defaults = self._without_guarded_defaults().default_get(refused)
                refused = [
                    name
                    for name in refused
                    if not _same(vals[name], defaults.get(name, False))
                ]
            if refused:
                raise AccessError(
                    self.env._(
                        "%(fields)s of %(model)s are kept by the system and cannot "
                        "be written.",
                        fields=field_labels(self, refused),
                        model=self._description,
                    )
                )
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                continue
            if field.type in ("float", "monetary", "integer"):
                self._check_number(field, value)
            elif field.type == "char" and field.required and isinstance(value, str):
                if not value.strip():
                    raise ValidationError(
                        self.env._(
                            "%(field)s must not be empty.",
                            field=field._description_string(self.env),
                        )
                    )

    def _check_number(self, field, value):
        check_number(self.env, field, value)

    @api.model
    def _without_guarded_defaults(self):
        """This model without ``default_<guarded field>`` keys in the context: a
        client could otherwise slip system values in as defaults."""
        guarded = self._guarded_fields()
        context = self.env.context
        if not any(
            key.startswith("default_") and key[8:] in guarded for key in context
        ):
            return self
        # the context is replaced on purpose: keys are removed, not overridden
        return self.with_context(  # pylint: disable=context-overridden
            {
                key: value
                for key, value in context.items()
                if not (key.startswith("default_") and key[8:] in guarded)
            }
        )

    @api.model
    def _in_batches(
        self, todo, batch_size, process, on_failure, order="id", until_done=True
    ):
        """The one way the addon's scheduled actions work through many records.

        Runs ``process`` on the records of domain ``todo`` (or of the domain a
        callable ``todo`` returns, asked again after each batch), ``batch_size`` at a
        time in ``order``, and reports progress with ``ir.cron._notify_progress``.
        In a scheduled run, one batch is done per call and committed; the rest is
        reported as remaining, so the job is run again at once, by this or another
        cron worker. Called directly it goes on until all are done, or stops
        after one batch when not ``until_done``. ``process`` must take its records
        out of ``todo``. Records it fails on do not stop the others
        (``_process_isolated``): ``on_failure`` gets them as [(record, error)],
        reports them and takes them out of ``todo`` until the next run.
        Returns (done, remaining).
        """
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = remaining = 0

        def domain():
            return todo() if callable(todo) else todo

        while batch := self.search(domain(), limit=batch_size, order=order):
            failed = batch._process_isolated(process)
            if failed:
                on_failure(failed)
            done += len(batch)
            remaining = self.search_count(domain())
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            # a batched cron keeps each finished batch, except in tests (Odoo's
            # runner and pytest-odoo mark the thread, as mail's queue checks)
            if in_cron and not getattr(threading.current_thread(), "testing", False):
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if remaining and (in_cron or not until_done):
                break
        return done, remaining

    @api.model
    def _subscribe_in_bulk(self, res_model, pairs, subtypes=None):
        """Make each partner of ``pairs`` [(record id, partner)] a follower of
        the record of ``res_model`` with ``subtypes`` (the model's default ones
        when not given): one query for who follows already, one create for the
        others (Odoo's subscription goes record by record)."""
        wanted = {(res_id, partner.id): partner for res_id, partner in pairs if partner}
        if not wanted:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT res_id, partner_id FROM mail_followers
                 WHERE res_model = %s AND res_id IN %s AND partner_id IN %s
                """,
                res_model,
                tuple({r for r, _p in wanted}),
                tuple({p for _r, p in wanted}),
            )
        )
        missing = set(wanted) - set(self.env.cr.fetchall())
        if not missing:
            return
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(res_model)
        if subtypes is not None:
            default = external = subtypes
        self.env["mail.followers"].sudo().create(
            [
                {
                    "res_model": res_model,
                    "res_id": res_id,
                    "partner_id": partner_id,
                    "subtype_ids": [
                        Command.set(
                            (
                                external
                                if wanted[(res_id, partner_id)].partner_share
                                else default
                            ).ids
                        )
                    ],
                }
                for res_id, partner_id in sorted(missing)
            ]
        )

    def _process_isolated(self, process):
        """Run ``process(self)`` in a savepoint. Should it fail, the records are
        split in halves, again and again, until those at fault are alone: the
        others are processed, and [(record, error)] of the faulty ones is
        returned. A scheduled action uses it so that one bad record never stops
        a batch.

        What the transaction had pending is written first, outside the
        savepoint: failing to write it is no fault of these records. Nor is a
        conflict with another transaction (``_TRANSACTION_ERRORS``): it is
        raised, for Odoo to retry the whole request or job, instead of leaving
        an aborted transaction to the caller."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                process(self)
        except _TRANSACTION_ERRORS:
            raise
        except Exception as error:  # whatever one record may raise
            self.env.invalidate_all()
            if len(self) == 1:
                return [(self, error)]
            half = len(self) // 2
            return self[:half]._process_isolated(process) + self[
                half:
            ]._process_isolated(process)
        return []

    def _lock_for_update(self, busy_message):
        """Lock these records' rows until the transaction ends, so that two
        users never act on one record at the same time, and read them again
        once locked. If another transaction holds one of them, raise a
        UserError with ``busy_message`` at once rather than wait for it.

        The lock is the one an update takes (``FOR NO KEY UPDATE``): records
        that merely refer to these (a dialog, a message) are still created.

        A row another transaction changed and committed since this one began
        raises a serialization failure instead: Odoo then retries the request,
        which sees the change."""
        if not self.ids:
            return self
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                        SQL.identifier(self._table),
                        tuple(self.ids),
                    )
                )
        except pg_errors.LockNotAvailable:
            raise UserError(busy_message) from None
        self.invalidate_recordset()
        return self

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_user_values(vals, creating=True)
        if self.env.su:
            return super().create(vals_list)
        return super(SaleTargetGuardMixin, self._without_guarded_defaults()).create(
            vals_list
        )

    def write(self, vals):
        self._check_user_values(vals)
        return super().write(vals)
