from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import region_coverage
from odoo.addons.sale_regional_target.tools.region_coverage import (
    CoverageRule,
    match_region,
)
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=200, deadline=None, database=None)
FR, DE = 1, 2
IDF, PACA = 10, 11

# each field is drawn in one go from a few shapes: cheap to generate, rich in ties
RULES = st.builds(
    CoverageRule,
    region_id=st.integers(1, 8),
    depth=st.integers(0, 3),
    country_ids=st.sampled_from([frozenset(), {FR}, {DE}, {FR, DE}, {3}]).map(
        frozenset
    ),
    state_ids=st.sampled_from([frozenset(), {IDF}, {PACA}, {IDF, PACA}, {12}]).map(
        frozenset
    ),
    zip_prefixes=st.sampled_from(
        [(), ("7",), ("75",), ("750", "13"), ("7501",), ("1", "75"), ("13",)]
    ),
)
ADDRESSES = st.tuples(
    st.sampled_from([False, FR, DE, 3, 4]),
    st.sampled_from([False, IDF, PACA, 12, 13]),
    st.sampled_from([False, "", "75001", "7 5 0 1 2", "13000", "1", "99999"]),
)


@tagged("at_install", "sale_regional_target_tools")
class TestCoverageExamples(BaseCase):
    def test_parse_zip_prefixes(self):
        self.assertEqual(
            region_coverage.parse_zip_prefixes("200, 201;2100 "), ("200", "201", "2100")
        )
        self.assertEqual(
            region_coverage.parse_zip_prefixes("sw1a\nab ab;AB"), ("SW1A", "AB")
        )
        self.assertEqual(region_coverage.parse_zip_prefixes(" ,; "), ())
        self.assertEqual(region_coverage.parse_zip_prefixes(""), ())
        self.assertEqual(region_coverage.parse_zip_prefixes(False), ())

    def test_normalise_zip(self):
        self.assertEqual(region_coverage.normalise_zip(" 75 001 "), "75001")
        self.assertEqual(region_coverage.normalise_zip("sw1a 1aa"), "SW1A1AA")
        self.assertEqual(region_coverage.normalise_zip(False), "")
        self.assertEqual(region_coverage.normalise_zip(None), "")

    def test_zip_prefix_beats_state_rule(self):
        state = CoverageRule(1, depth=3, state_ids=frozenset({IDF}))
        zip_rule = CoverageRule(
            2, depth=0, country_ids=frozenset({FR}), zip_prefixes=("75",)
        )
        for rules in ([state, zip_rule], [zip_rule, state]):
            self.assertEqual(match_region(rules, FR, IDF, "75001"), 2)
            # outside the prefix, the state rule applies
            self.assertEqual(match_region(rules, FR, IDF, "78000"), 1)

    def test_state_beats_country(self):
        country = CoverageRule(1, depth=2, country_ids=frozenset({FR}))
        state = CoverageRule(2, depth=0, state_ids=frozenset({PACA}))
        self.assertEqual(match_region([country, state], FR, PACA, "13000"), 2)
        self.assertEqual(match_region([country, state], FR, IDF, "75001"), 1)

    def test_longer_prefix_beats_deeper_region(self):
        short = CoverageRule(6, depth=3, zip_prefixes=("75",))
        long_ = CoverageRule(5, depth=0, zip_prefixes=("7500",))
        self.assertEqual(match_region([short, long_], FR, False, "75001"), 5)
        self.assertEqual(match_region([short, long_], FR, False, "75101"), 6)
        self.assertEqual(
            long_.score(FR, False, "75001"), (region_coverage.ZIP, 4, 0, -5)
        )

    def test_deeper_region_wins_a_tie(self):
        parent = CoverageRule(3, depth=1, state_ids=frozenset({IDF}))
        child = CoverageRule(7, depth=2, state_ids=frozenset({IDF}))
        self.assertEqual(match_region([parent, child], FR, IDF, False), 7)
        self.assertEqual(match_region([child, parent], FR, IDF, False), 7)

    def test_smaller_id_wins_a_full_tie(self):
        a = CoverageRule(9, depth=1, country_ids=frozenset({FR}))
        b = CoverageRule(4, depth=1, country_ids=frozenset({FR}))
        self.assertEqual(match_region([a, b], FR, False, False), 4)
        self.assertEqual(match_region([b, a], FR, False, False), 4)

    def test_no_match_returns_false(self):
        rule = CoverageRule(1, country_ids=frozenset({FR}), zip_prefixes=("75",))
        self.assertIs(match_region([rule], DE, IDF, "75001"), False)
        self.assertIs(match_region([rule], False, False, False), False)
        self.assertIs(match_region([], FR, IDF, "75001"), False)
        self.assertIsNone(rule.score(DE, IDF, "75001"))

    def test_zip_rule_restricted_to_its_countries(self):
        rule = CoverageRule(
            1, depth=2, country_ids=frozenset({FR}), zip_prefixes=("75",)
        )
        # right zip, other country: no match at all
        self.assertIsNone(rule.score(DE, False, "75001"))
        # same country, other zip: falls back to a country match
        self.assertEqual(
            rule.score(FR, False, "13000"), (region_coverage.COUNTRY, 0, 2, -1)
        )
        # a zip rule without countries matches the zip in any country
        anywhere = CoverageRule(2, zip_prefixes=("75",))
        self.assertEqual(match_region([anywhere], DE, False, "75001"), 2)

    def test_address_zip_is_normalised(self):
        rule = CoverageRule(8, zip_prefixes=region_coverage.parse_zip_prefixes("sw1a"))
        self.assertEqual(match_region([rule], False, False, " sw1a 1aa"), 8)
        self.assertIs(match_region([rule], False, False, "SW2"), False)
        self.assertIs(match_region([rule], False, False, False), False)


@tagged("at_install", "sale_regional_target_tools")
class TestCoverageProperties(BaseCase):
    @SETTINGS
    @given(st.lists(RULES, max_size=6), ADDRESSES, st.randoms(use_true_random=False))
    def test_order_of_rules_does_not_matter(self, rules, address, rnd):
        expected = match_region(rules, *address)
        for _i in range(3):
            shuffled = list(rules)
            rnd.shuffle(shuffled)
            self.assertEqual(match_region(shuffled, *address), expected)
        self.assertEqual(match_region(list(reversed(rules)), *address), expected)

    @SETTINGS
    @given(st.lists(RULES, max_size=6), ADDRESSES)
    def test_winner_is_a_best_matching_rule(self, rules, address):
        country_id, state_id, zip_code = address
        zip_code = region_coverage.normalise_zip(zip_code)
        scores = [(r.score(country_id, state_id, zip_code), r.region_id) for r in rules]
        scores = [(s, region) for s, region in scores if s is not None]
        result = match_region(rules, *address)
        if not scores:
            self.assertIs(result, False)
        else:
            self.assertEqual(result, max(scores)[1])
            self.assertIn(result, {r.region_id for r in rules})

    @SETTINGS
    @given(st.lists(RULES, max_size=6), ADDRESSES, RULES)
    def test_adding_a_rule_that_does_not_match_changes_nothing(
        self, rules, address, extra
    ):
        country_id, state_id, zip_code = address
        if (
            extra.score(country_id, state_id, region_coverage.normalise_zip(zip_code))
            is None
        ):
            self.assertEqual(
                match_region([*rules, extra], *address), match_region(rules, *address)
            )
        else:
            self.assertIsNot(match_region([*rules, extra], *address), False)

    @SETTINGS
    @given(
        st.lists(RULES, max_size=6),
        ADDRESSES,
        st.sampled_from(["75001", "1", " 13 000"]),
    )
    def test_full_zip_prefix_beats_everything(self, rules, address, zip_code):
        exact = CoverageRule(
            99, depth=10, zip_prefixes=(region_coverage.normalise_zip(zip_code),)
        )
        self.assertEqual(
            match_region([*rules, exact], address[0], address[1], zip_code), 99
        )

    @SETTINGS
    @given(st.text(alphabet="ab12 ,;\t", max_size=30))
    def test_parse_zip_prefixes_is_clean_and_idempotent(self, text):
        prefixes = region_coverage.parse_zip_prefixes(text)
        self.assertEqual(len(set(prefixes)), len(prefixes))
        for prefix in prefixes:
            self.assertTrue(prefix and prefix == prefix.upper())
            self.assertFalse(set(prefix) & set(" ,;\t"))
        self.assertEqual(
            region_coverage.parse_zip_prefixes(" ".join(prefixes)), prefixes
        )
        words = text.replace(",", " ").replace(";", " ").split()
        self.assertEqual(set(prefixes), {word.upper() for word in words})
