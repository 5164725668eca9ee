"""Which region covers an address: the most specific coverage rule wins.

A rule belongs to a region and lists countries, states and zip prefixes. An address
matches a region on its zip (longest prefix), its state or its country. Ranking,
most specific first: a zip-prefix match (longer prefixes beat shorter ones), then a
state match, then a country match; between equals the deeper region in the
hierarchy wins, then the smaller id, so the answer never depends on order.
"""

import re
from dataclasses import dataclass, field

_SEPARATORS = re.compile(r"[\s,;]+")

ZIP, STATE, COUNTRY = 3, 2, 1


def parse_zip_prefixes(text):
    """'200, 201;2100 ' -> ('200', '201', '2100'), upper-cased, without blanks."""
    if not text:
        return ()
    seen = []
    for part in _SEPARATORS.split(text.strip()):
        part = part.upper()
        if part and part not in seen:
            seen.append(part)
    return tuple(seen)


def normalise_zip(zip_code):
    return re.sub(r"\s+", "", zip_code or "").upper()


@dataclass(frozen=True)
class CoverageRule:
    region_id: int
    depth: int = 0
    country_ids: frozenset = field(default_factory=frozenset)
    state_ids: frozenset = field(default_factory=frozenset)
    zip_prefixes: tuple = ()

    def score(self, country_id, state_id, zip_code):
        """A sortable specificity for the address, or None when it does not match."""
        if (
            self.zip_prefixes
            and zip_code
            and (not self.country_ids or country_id in self.country_ids)
        ):
            best = max(
                (len(p) for p in self.zip_prefixes if zip_code.startswith(p)),
                default=0,
            )
            if best:
                return (ZIP, best, self.depth, -self.region_id)
        if state_id and state_id in self.state_ids:
            return (STATE, 0, self.depth, -self.region_id)
        if country_id and country_id in self.country_ids:
            return (COUNTRY, 0, self.depth, -self.region_id)
        return None


def match_region(rules, country_id, state_id, zip_code):
    """The id of the region whose rule matches the address best, or False."""
    zip_code = normalise_zip(zip_code)
    best_score, best_region = None, False
    for rule in rules:
        score = rule.score(country_id, state_id, zip_code)
        if score is not None and (best_score is None or score > best_score):
            best_score, best_region = score, rule.region_id
    return best_region
