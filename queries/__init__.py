"""The addon's SQL, as parameterised ``odoo.tools.SQL`` builders.

No model lives here: models and wizards import these builders, run them and turn
the rows into records (the computations on the rows are in ``tools``).

- ``orders``: what every figure on sale orders shares, the order's day in the
  company's time zone and its untaxed amount in company currency.
- ``actuals``: the documents each metric is measured against, and what each
  target's documents are matched on.
"""
