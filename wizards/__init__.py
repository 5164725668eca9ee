from . import sale_target_allocation_wizard
from . import sale_target_allocation_line
from . import sale_customer_lifecycle_review
from . import sale_action_done
from . import sale_customer_lifecycle_proposal
from . import sale_target_warning_acknowledge
from . import sale_target_review_prepare
