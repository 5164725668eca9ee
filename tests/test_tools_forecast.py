from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import forecast
from odoo.addons.sale_regional_target.tools.actuals import USER, make_key
from odoo.addons.sale_regional_target.tools.periods import day_numbers
from odoo.tests import BaseCase, tagged

SETTINGS = settings(max_examples=120, deadline=None, database=None)
TODAY = date(2030, 3, 15)


def day(value):
    return int(day_numbers([value])[0])


def closed(rows):
    return pd.DataFrame(rows, columns=["company", "team", "sequence", "won"])


def opportunities(rows):
    return pd.DataFrame(rows, columns=["company", "team", "sequence", "probability"])


def keys(*users):
    """owner_keys of targets 1, 2... each owned by one salesperson of company 1."""
    return pd.DataFrame(
        {
            "target": list(range(1, len(users) + 1)),
            "key": [int(make_key(USER, 1, user)) for user in users],
        }
    )


def part(user=7, amount=100.0, p=1.0, point=None, early=None, late=None, **extra):
    point = day(TODAY + timedelta(days=5)) if point is None else point
    row = {
        "company": 1,
        "user": user,
        "team": 3,
        "component": forecast.PIPELINE,
        "year": 0,
        "amount": amount,
        "p": p,
        "p_low": p,
        "p_high": p,
        "point": point,
        "early": point if early is None else early,
        "late": point if late is None else late,
        "calibrated": True,
    }
    row.update(extra)
    return row


def owners(start, end, count=1):
    return pd.DataFrame(
        {"target": list(range(1, count + 1)), "start": start, "end": end}
    )


@tagged("post_install", "-at_install")
class TestCalibration(BaseCase):
    def test_three_won_of_five_closed_is_sixty_percent(self):
        history = closed(
            [
                (1, 3, 1, True),
                (1, 3, 2, True),
                (1, 3, 3, True),
                (1, 3, 2, False),
                (1, 3, 3, False),
            ]
        )
        rates = forecast.win_rates(opportunities([(1, 3, 2, 10.0)]), history)
        self.assertAlmostEqual(rates["rate"][0], 0.6)
        self.assertEqual(rates["closed"][0], 5)
        self.assertEqual(rates["source"][0], "team")

    def test_a_later_stage_only_counts_losses_from_that_stage_on(self):
        # 3 won, lost: 2 in stage 1, 2 in stage 3; min 5 closed everywhere
        history = closed(
            [(1, 3, 9, True)] * 3 + [(1, 3, 1, False)] * 2 + [(1, 3, 3, False)] * 2
        )
        rates = forecast.win_rates(
            opportunities([(1, 3, 1, 0.0), (1, 3, 3, 0.0)]), history
        )
        self.assertAlmostEqual(rates["rate"][0], 3 / 7)
        self.assertAlmostEqual(rates["rate"][1], 3 / 5)

    def test_thin_team_falls_back_to_company_then_nominal(self):
        history = closed(
            [(1, 3, 1, True), (1, 3, 1, False)]
            + [(1, 4, 1, True)] * 2
            + [(1, 4, 1, False)] * 2
        )
        rates = forecast.win_rates(
            opportunities([(1, 3, 1, 25.0), (2, 3, 1, 25.0)]), history
        )
        # team 3 has 2 closed: the company's 3 won of 6
        self.assertEqual(rates["source"][0], "company")
        self.assertAlmostEqual(rates["rate"][0], 0.5)
        # company 2 has no history: the opportunity's own 25 %
        self.assertEqual(rates["source"][1], "nominal")
        self.assertAlmostEqual(rates["rate"][1], 0.25)
        self.assertEqual(rates["closed"][1], 0)

    @SETTINGS
    @given(
        st.lists(
            st.tuples(st.integers(1, 3), st.integers(1, 5), st.booleans()), max_size=40
        ),
        st.lists(st.tuples(st.integers(1, 3), st.integers(1, 5)), max_size=8),
    )
    def test_counted_closings_are_the_same_as_one_row_each(self, history, wanted):
        raw = closed([(1, team, seq, won) for team, seq, won in history])
        counted = (
            raw.groupby(["company", "team", "sequence", "won"])
            .size()
            .rename("count")
            .reset_index()
        )
        opps = opportunities([(1, team, seq, 20.0) for team, seq in wanted])
        pd.testing.assert_frame_equal(
            forecast.win_rates(opps, raw), forecast.win_rates(opps, counted)
        )

    @SETTINGS
    @given(
        st.lists(st.tuples(st.integers(1, 5), st.booleans()), min_size=0, max_size=30),
        st.lists(st.integers(1, 5), min_size=1, max_size=6),
    )
    def test_rates_are_probabilities_growing_with_the_stage(self, history, stages):
        frame = closed([(1, 3, seq, won) for seq, won in history])
        opps = opportunities([(1, 3, seq, 40.0) for seq in sorted(stages)])
        rates = forecast.win_rates(opps, frame)
        self.assertTrue(((rates["rate"] >= 0) & (rates["rate"] <= 1)).all())
        team = rates[rates["source"] == "team"]["rate"].to_numpy()
        self.assertTrue((np.diff(team) >= -1e-12).all(), team)
        low, high = forecast.rate_spread(rates["rate"], rates["closed"])
        self.assertTrue((low <= rates["rate"] + 1e-12).all())
        self.assertTrue((high >= rates["rate"] - 1e-12).all())


@tagged("post_install", "-at_install")
class TestDelays(BaseCase):
    def test_receivable_due_on_the_tenth_lands_on_the_twenty_second(self):
        # the customer paid 10, 12 and 14 days late: 12 on average
        payments = pd.DataFrame(
            {
                "company": [1, 1, 1],
                "team": [3, 3, 3],
                "partner": [50, 50, 50],
                "late": [10, 12, 14],
                "after": [40, 42, 44],
                "weight": [100.0, 100.0, 100.0],
            }
        )
        empty = pd.DataFrame(columns=["company", "user", "team", "days", "weight"])
        delays = forecast.delay_tables(empty, payments)
        receivable = pd.DataFrame(
            {
                "company": [1],
                "user": [7],
                "team": [3],
                "partner": [50],
                "day": [date(2030, 4, 10)],
                "amount": [500.0],
            }
        )
        mean, sd = forecast.lookup_delays(
            receivable, [(["company", "partner"], delays["late_partner"])]
        )
        self.assertEqual(mean.tolist(), [12.0])
        parts = forecast.committed_parts(receivable, mean, sd, TODAY)
        self.assertEqual(parts["point"][0], day(date(2030, 4, 22)))
        # a spread of sqrt(8/3) = 1.6 days: one or two days either side
        self.assertEqual(parts["early"][0], day(date(2030, 4, 20)))
        self.assertEqual(parts["late"][0], day(date(2030, 4, 24)))

    def test_a_customer_without_history_takes_the_team_delay(self):
        payments = pd.DataFrame(
            {
                "company": [1] * 3,
                "team": [3] * 3,
                "partner": [50, 51, 52],
                "late": [20, 20, 20],
                "after": [50, 50, 50],
                "weight": [1.0, 1.0, 1.0],
            }
        )
        empty = pd.DataFrame(columns=["company", "user", "team", "days", "weight"])
        delays = forecast.delay_tables(empty, payments)
        frame = pd.DataFrame({"company": [1, 1], "team": [3, 9], "partner": [99, 99]})
        mean, _sd = forecast.lookup_delays(
            frame,
            [(columns, delays[name]) for columns, name in forecast.LATE_LEVELS],
        )
        # team 3's 20 days; team 9 unknown: the company's 20 days too
        self.assertEqual(mean.tolist(), [20.0, 20.0])
        mean, _sd = forecast.lookup_delays(
            pd.DataFrame({"company": [2], "team": [3], "partner": [99]}),
            [(columns, delays[name]) for columns, name in forecast.LATE_LEVELS],
        )
        self.assertEqual(mean.tolist(), [0.0])

    def test_two_hundred_days_overdue_is_doubtful_not_one_hundred_eighty(self):
        receivables = pd.DataFrame(
            {
                "due": [
                    day(TODAY - timedelta(days=200)),
                    day(TODAY - timedelta(days=180)),
                    day(TODAY + timedelta(days=3)),
                ]
            }
        )
        self.assertEqual(
            forecast.doubtful(receivables, TODAY).tolist(), [True, False, False]
        )

    def test_what_is_late_is_expected_tomorrow(self):
        point, early, late = forecast.shift(
            [day(TODAY - timedelta(days=30))], [5.0], [2.0], day(TODAY) + 1
        )
        self.assertEqual([point[0], early[0], late[0]], [day(TODAY) + 1] * 3)


@tagged("post_install", "-at_install")
class TestParts(BaseCase):
    def test_date_less_opportunity_is_placed_by_the_team_median_cycle(self):
        created = day(TODAY - timedelta(days=10))
        opps = pd.DataFrame(
            {
                "company": [1, 1],
                "user": [7, 7],
                "team": [3, 3],
                "sequence": [1, 1],
                "probability": [50.0, 50.0],
                "deadline": [np.nan, day(TODAY - timedelta(days=2))],
                "created": [created, created],
                "amount": [1000.0, 500.0],
            }
        )
        won = pd.DataFrame({"company": [1] * 3, "team": [3] * 3, "days": [20, 30, 90]})
        parts = forecast.pipeline_parts(
            opps, closed([]), forecast.median_cycles(won), TODAY
        )
        # created 10 days ago + a median of 30 days: in 20 days
        self.assertEqual(parts["point"][0], day(TODAY + timedelta(days=20)))
        # an expected closing already past: tomorrow
        self.assertEqual(parts["point"][1], day(TODAY) + 1)
        self.assertEqual(parts["p"].tolist(), [0.5, 0.5])
        self.assertFalse(parts["calibrated"].any())

    def test_a_prospect_signs_when_one_of_its_opportunities_is_won(self):
        opps = pd.DataFrame(
            {
                "company": [1, 1, 1],
                "user": [7, 7, 7],
                "team": [3, 3, 3],
                "sequence": [1, 1, 1],
                "probability": [50.0, 20.0, 40.0],
                "deadline": [day(TODAY) + 3] * 3,
                "created": [day(TODAY)] * 3,
                "amount": [1.0, 1.0, 1.0],
                "prospect": [60.0, 60.0, np.nan],
            }
        )
        parts = forecast.new_customer_parts(opps, closed([]), ({}, {}), TODAY)
        self.assertEqual(len(parts), 2)
        chances = sorted(parts["p"].round(6).tolist())
        # 1 - 0.5 * 0.8 = 0.6 for partner 60; the partner-less one its own 0.4
        self.assertEqual(chances, [0.4, 0.6])
        self.assertTrue((parts["amount"] == 1.0).all())

    def test_run_rate_is_the_same_days_of_past_years(self):
        history = pd.DataFrame(
            {
                "company": [1, 1, 1],
                "user": [7, 7, 7],
                "team": [3, 3, 3],
                "day": [
                    day(date(2029, 3, 20)),
                    day(date(2028, 3, 20)),
                    day(date(2029, 3, 10)),  # before today once moved: not to come
                ],
                "amount": [300.0, 100.0, 999.0],
                "year": [1, 2, 1],
                "years": [2, 2, 2],
            }
        )
        parts = forecast.run_rate_parts(history, TODAY)
        self.assertEqual(len(parts), 2)
        self.assertEqual(set(parts["point"]), {day(date(2030, 3, 20))})
        result = forecast.landings(
            [50.0], parts, owners(day(TODAY) + 1, day(date(2030, 3, 31))), keys(7), [2]
        )
        # (300 + 100) / 2 years; low and high: the lower and higher year
        self.assertAlmostEqual(result["forecast"][0], 250.0)
        self.assertAlmostEqual(result["run_rate"][0], 200.0)
        self.assertAlmostEqual(result["low"][0], 150.0)
        self.assertAlmostEqual(result["high"][0], 350.0)

    def test_revenue_through_the_invoice_delay(self):
        parts = pd.DataFrame([part(amount=100.0, p=0.5, point=day(TODAY) + 10)])
        moved = forecast.delayed(parts, np.array([7.0]), np.array([0.0]), TODAY)
        self.assertEqual(moved["point"][0], day(TODAY) + 17)
        self.assertEqual(moved["p"][0], 0.5)


@tagged("post_install", "-at_install")
class TestLandings(BaseCase):
    def test_no_history_is_achieved_plus_pipeline_at_low_confidence(self):
        opps = pd.DataFrame(
            {
                "company": [1],
                "user": [7],
                "team": [3],
                "sequence": [1],
                "probability": [30.0],
                "deadline": [day(TODAY) + 10],
                "created": [day(TODAY) - 5],
                "amount": [1000.0],
            }
        )
        data = {
            "opportunities": opps.assign(partner=np.nan, prospect=np.nan),
            "closed": closed([]),
            "cycles": ({}, {}),
            "run_rate": pd.DataFrame(),
            "uninvoiced": pd.DataFrame(
                columns=["company", "user", "team", "day", "amount"]
            ),
            "receivables": pd.DataFrame(
                columns=["company", "user", "team", "partner", "due", "amount"]
            ),
        }
        parts, _bad = forecast.metric_parts("revenue", data, TODAY)
        result = forecast.landings(
            [200.0], parts, owners(day(TODAY) + 1, day(date(2030, 6, 30))), keys(7), [0]
        )
        self.assertAlmostEqual(result["forecast"][0], 200.0 + 300.0)
        self.assertAlmostEqual(result["pipeline"][0], 300.0)
        self.assertEqual(forecast.confidence(result, [0], "revenue").tolist(), ["low"])

    def test_only_the_period_counts_and_only_the_owner(self):
        parts = pd.DataFrame(
            [
                part(user=7, amount=100.0, p=0.5, point=day(TODAY) + 3),
                part(user=7, amount=80.0, p=1.0, point=day(date(2030, 4, 2))),
                part(user=8, amount=1000.0, p=1.0, point=day(TODAY) + 3),
            ]
        )
        result = forecast.landings(
            [10.0, 0.0],
            parts,
            owners(day(TODAY) + 1, day(date(2030, 3, 31)), count=2),
            keys(7, 8),
            [1, 1],
        )
        self.assertEqual(result["forecast"].tolist(), [60.0, 1000.0])

    @SETTINGS
    @given(
        st.floats(0, 1e6),
        st.lists(
            st.tuples(
                st.floats(0, 1e5),
                st.floats(0, 1),
                st.integers(1, 40),
                st.integers(0, 10),
                st.integers(0, 10),
                st.sampled_from(forecast.COMPONENTS),
                st.integers(0, 2),
            ),
            max_size=25,
        ),
        st.integers(0, 2),
    )
    def test_achieved_low_forecast_high_in_order(self, achieved, rows, years):
        tomorrow = day(TODAY) + 1
        frame = pd.DataFrame(
            [
                part(
                    amount=amount,
                    p=p,
                    point=tomorrow + offset,
                    early=max(tomorrow, tomorrow + offset - before),
                    late=tomorrow + offset + after,
                    component=component,
                    year=year if component == forecast.RUN_RATE else 0,
                    p_low=max(0.0, p - 0.1),
                    p_high=min(1.0, p + 0.1),
                )
                for amount, p, offset, before, after, component, year in rows
            ],
            columns=forecast.PART_COLUMNS,
        )
        result = forecast.landings(
            [achieved], frame, owners(tomorrow, tomorrow + 20), keys(7), [years]
        )
        low, point, high = (result[c][0] for c in ("low", "forecast", "high"))
        tolerance = 1e-6 * max(1.0, high)
        self.assertLessEqual(achieved, low + tolerance)
        self.assertLessEqual(low, point + tolerance)
        self.assertLessEqual(point, high + tolerance)
        in_window = [amount * p for amount, p, offset, *_rest in rows if offset <= 20]
        self.assertAlmostEqual(point, achieved + sum(in_window), delta=tolerance)

    def test_weeks_from_tomorrow(self):
        parts = pd.DataFrame(
            [
                part(amount=70.0, p=1.0, point=day(TODAY) + 1),
                part(amount=30.0, p=0.5, point=day(TODAY) + 8),
                part(amount=5.0, p=1.0, point=day(TODAY) + 7 * 13 + 1),
            ]
        )
        weeks = forecast.weekly(parts, [1], keys(7), TODAY)
        self.assertEqual(weeks.shape, (1, 13))
        self.assertEqual(weeks[0][:2].tolist(), [70.0, 15.0])
        # the 92nd day is past the 13 weeks
        self.assertEqual(weeks.sum(), 85.0)


@tagged("post_install", "-at_install")
class TestAccuracy(BaseCase):
    def test_wape_and_bias_by_hand(self):
        frame = pd.DataFrame(
            {
                "metric": ["revenue"] * 3,
                "level": ["user"] * 3,
                "forecast": [110.0, 90.0, 50.0],
                "actual": [100.0, 100.0, 0.0],
            }
        )
        result = forecast.accuracy(frame, ["metric", "level"])
        # |10| + |-10| + |50| = 70 over 200; +10 - 10 + 50 = 50 over 200
        self.assertAlmostEqual(result["wape"][0], 35.0)
        self.assertAlmostEqual(result["bias"][0], 25.0)
        self.assertEqual(result["samples"][0], 3)

    def test_nothing_happened_has_no_error_figure(self):
        frame = pd.DataFrame(
            {
                "metric": ["revenue"],
                "level": ["user"],
                "forecast": [5.0],
                "actual": [0.0],
            }
        )
        result = forecast.accuracy(frame, ["metric", "level"])
        self.assertTrue(pd.isna(result["wape"][0]))
