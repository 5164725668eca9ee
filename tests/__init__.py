from . import test_sale_region
from . import test_sale_target
from . import test_access
from . import test_views
from . import test_demo
from . import test_tools_periods
from . import test_tools_rounding
from . import test_tools_coverage
