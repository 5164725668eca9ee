from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.sale_regional_target.tools import review
from odoo.tests import BaseCase, tagged


@tagged("post_install", "-at_install")
class TestReviewTools(BaseCase):
    def test_windows(self):
        day = date(2030, 5, 20)
        self.assertEqual(
            review.window("month", day), (date(2030, 5, 1), date(2030, 5, 31))
        )
        self.assertEqual(
            review.window("quarter", day), (date(2030, 4, 1), date(2030, 6, 30))
        )
        self.assertEqual(
            review.window("ytd", day), (date(2030, 1, 1), date(2030, 5, 31))
        )
        self.assertEqual(
            review.window("quarter", date(2030, 12, 31))[0], date(2030, 10, 1)
        )
        self.assertEqual(review.last_month(date(2030, 1, 15)), date(2029, 12, 1))
        self.assertEqual(review.last_month(date(2030, 3, 31)), date(2030, 2, 1))
        with self.assertRaises(ValueError):
            review.window("decade", day)

    def test_month_rows_by_hand(self):
        rows = review.month_rows(
            [
                (date(2030, 1, 1), 100.0, 80.0),
                (date(2030, 2, 1), 100.0, 130.0),
                (date(2030, 3, 1), 0.0, 5.0),
            ]
        )
        self.assertEqual([r["variance"] for r in rows], [-20.0, 30.0, 5.0])
        self.assertEqual([r["cum_amount"] for r in rows], [100.0, 200.0, 200.0])
        self.assertEqual([r["cum_achieved"] for r in rows], [80.0, 210.0, 215.0])
        self.assertEqual([r["cum_variance"] for r in rows], [-20.0, 10.0, 15.0])
        self.assertEqual(rows[1]["rate"], 130.0)
        self.assertIsNone(rows[2]["rate"])
        self.assertEqual(rows[2]["cum_rate"], 107.5)

    @given(
        st.lists(st.integers(), max_size=200), st.integers(min_value=1, max_value=50)
    )
    def test_chunks_keep_every_row_in_order(self, rows, size):
        parts = review.chunks(rows, size)
        self.assertEqual([row for part in parts for row in part], rows)
        self.assertTrue(all(0 < len(part) <= size for part in parts))

    def test_short_amounts(self):
        self.assertEqual(review.short_amount(1_350_000_000, chinese=True), "13.5亿")
        self.assertEqual(review.short_amount(350_000, chinese=True), "35.0万")
        self.assertEqual(review.short_amount(1_250_000), "1.2M")
        self.assertEqual(review.short_amount(2_500), "2.5k")
        self.assertEqual(review.short_amount(12), "12")

    @settings(max_examples=300, deadline=None)
    @given(st.floats(min_value=0, max_value=1e13, allow_nan=False))
    def test_axis_top_holds_the_value(self, value):
        top = review.nice_top(value)
        self.assertGreaterEqual(top, value)
        # never more than ten times too high, nor below 1
        self.assertLessEqual(top, max(10 * value, 1.0))

    def test_text_width(self):
        self.assertEqual(review.text_width("目标", 10), 20)
        self.assertEqual(review.text_width("ab", 10), 12)

    def test_chart_escapes_its_words(self):
        rows = review.month_rows([(date(2030, 1, 1), 100.0, 80.0)])
        svg = review.svg_chart(
            rows, ["<b>Jan</b>"], ("Target", "Achieved", "A & B", "<script>")
        )
        self.assertTrue(svg.startswith("<svg"))
        self.assertIn("&lt;b&gt;Jan&lt;/b&gt;", svg)
        self.assertIn("A &amp; B", svg)
        self.assertNotIn("<script>", svg)
        # two bars and two lines for one month
        self.assertEqual(svg.count('<rect x="'), 2 + 4)  # bars + legend keys
        self.assertEqual(svg.count("<polyline"), 2)
