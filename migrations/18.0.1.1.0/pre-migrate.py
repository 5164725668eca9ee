"""Record rules were loaded as ``noupdate`` before 18.0.1.1.0: lift the flag so that
the update installs the new access policy (drafts hidden above their planners,
managers changing only the targets below them)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data SET noupdate = FALSE
         WHERE module = 'sale_regional_target' AND model = 'ir.rule'
        """
    )
