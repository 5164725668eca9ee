"""The addon's SQL, as parameterised ``odoo.tools.SQL`` builders.

No model lives here: models and wizards import these builders, run them and turn
the rows into records (the computations on the rows are in ``tools``).

- ``orders``: what every figure on sale orders shares, the order's day in the
  company's time zone and its untaxed amount in company currency.
- ``actuals``: the documents each metric is measured against, and what each
  target's documents are matched on.
- ``lag_warnings``: each owner's last confirmed order, overdue key actions.
- ``forecast``: what the forecast starts from as known at the end of a day (open
  and closed opportunities, orders to invoice, receivables, delays).
"""
