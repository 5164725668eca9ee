from . import sale_target_allocation_wizard
from . import sale_target_allocation_line
