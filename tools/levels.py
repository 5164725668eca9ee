"""The levels of the target tree and where each level's owner is held.

A target is owned by the company, a region, a team or a salesperson; its level is
the lowest of them that is set (a team target also names its team's region).
Every model, wizard and query asks here instead of spelling the mapping again.
"""

COMPANY, REGION, TEAM, USER = "company", "region", "team", "user"
# from the top of the tree down
ORDER = (COMPANY, REGION, TEAM, USER)
# The field holding the owner of a target of each level (the company's owner is
# the company itself).
OWNER_FIELD = {USER: "user_id", TEAM: "team_id", REGION: "region_id"}
# Which owner levels may sit directly under a target of a given level.
ALLOWED_CHILD_LEVELS = {
    COMPANY: (REGION,),
    REGION: (REGION, TEAM),
    TEAM: (TEAM, USER),
    USER: (),
}


def level_of(owners):
    """The level of a target whose owner fields are ``owners`` (a mapping from
    ``user_id``, ``team_id`` and ``region_id`` to an id or a record): the lowest
    level that is set, the company when none is."""
    for level in (USER, TEAM, REGION):
        if owners.get(OWNER_FIELD[level]):
            return level
    return COMPANY


def owner_values(level, owner_id):
    """The owner fields of a record owned by ``owner_id`` at ``level``: that
    level's field set, the others empty."""
    return {
        field: owner_id if lvl == level else False for lvl, field in OWNER_FIELD.items()
    }


def owner_key(level, owner_id):
    """How an allocation names a child owner across levels: ``"team,7"``."""
    return f"{level},{owner_id}"


def owner_sql(alias=""):
    """The owner's id of a target of each level as an SQL expression (the
    exclusion constraints compare it); ``alias`` qualifies the columns."""
    prefix = f"{alias}." if alias else ""
    cases = " ".join(
        f"WHEN '{level}' THEN {prefix}{OWNER_FIELD[level]}"
        for level in (USER, TEAM, REGION)
    )
    return f"(CASE {prefix}level {cases} ELSE 0 END)"
