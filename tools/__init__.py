"""Pure computations of the addon: no ORM import here.

Model methods gather plain values (ids, dates, amounts), call these functions and
write the results back, so that the logic can be tested without a database.
"""

from . import action_plan
from . import actuals
from . import forecast
from . import levels
from . import pace
from . import periods
from . import region_coverage
from . import rounding
from . import war_room
