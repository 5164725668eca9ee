"""One bad record never stops a scheduled action: the block that handles it
runs in a savepoint; should it fail, the database and the cache are put back
as they were, the failure is logged with the record's id, and the caller
carries on with the others (and flags the record where it has a flag).

Not for a block that commits (a batched run commits per batch): those isolate
each record inside the batch (``sale.target.guard.mixin._in_batches``)."""

import logging
from contextlib import contextmanager

_logger = logging.getLogger(__name__)


class Outcome:
    """What became of an isolated block: ``error`` is what it raised, if any."""

    error = None

    @property
    def message(self):
        """The first line of the error, short enough for a flag field."""
        if self.error is None:
            return False
        text = str(self.error).strip() or type(self.error).__name__
        return text.splitlines()[0][:200]


@contextmanager
def isolated(env, action, record=None):
    """Run the block in a savepoint of ``env``'s cursor; should it raise, roll
    it back, log ``action`` and ``record`` (its model and id, when the block
    is about one record) and go on. Yields an ``Outcome``."""
    outcome = Outcome()
    try:
        with env.cr.savepoint():
            yield outcome
    except Exception as error:  # whatever one record may raise
        env.invalidate_all()
        outcome.error = error
        if record is None:
            _logger.warning(
                "%s failed, tried again on the next run: %s", action, outcome.message
            )
        else:
            _logger.warning(
                "%s: %s %s left out of this run, tried again on the next one: %s",
                action,
                record._name,
                record.id,
                outcome.message,
            )
