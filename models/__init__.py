from . import sale_region
from . import sale_target
from . import sale_target_line
from . import crm_team
from . import res_partner
from . import sale_regional_target_demo
from . import res_config_settings
