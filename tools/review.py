"""The review's arithmetic and drawing: the period reviewed, the month rows with
their running totals and variances, compact amounts, and the chart of the PDF as
SVG (wkhtmltopdf draws it without JavaScript). No ORM here."""

from datetime import timedelta
from html import escape

from babel.dates import format_skeleton

from .periods import month_end, month_start

PERIODS = ("month", "quarter", "ytd")


def window(period, day):
    """The days [start, end] of the ``period`` reviewed that holds ``day``: its
    month, its quarter, or from 1 January to the end of its month."""
    if period == "month":
        return month_start(day), month_end(day)
    if period == "quarter":
        first = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
        return first, month_end(first.replace(month=first.month + 2))
    if period == "ytd":
        return day.replace(month=1, day=1), month_end(day)
    raise ValueError(f"unknown period {period!r}")


def last_month(day):
    """The first day of the month before ``day``'s."""
    return month_start(month_start(day) - timedelta(days=1))


def month_label(day, locale):
    """The month of ``day`` as its reader writes it, year included: 2026年1月 in
    Chinese, Jan 2026 in English (``locale``: a babel locale or its name)."""
    return format_skeleton("yMMM", day, locale=locale)


def month_rows(months):
    """Rows of the month-by-month table from ``months`` = [(first day, target,
    achieved)] in order: each month's figures, the running totals, the variance
    (achieved less target) of the month and of the running totals, and the
    achievement of each (None without a target)."""
    rows = []
    cum_amount = cum_achieved = 0.0
    for day, amount, achieved in months:
        cum_amount += amount
        cum_achieved += achieved
        rows.append(
            {
                "month": day,
                "amount": amount,
                "achieved": achieved,
                "variance": achieved - amount,
                "rate": 100.0 * achieved / amount if amount else None,
                "cum_amount": cum_amount,
                "cum_achieved": cum_achieved,
                "cum_variance": cum_achieved - cum_amount,
                "cum_rate": 100.0 * cum_achieved / cum_amount if cum_amount else None,
            }
        )
    return rows


def chunks(rows, size=30):
    """``rows`` in lists of at most ``size``: a long table printed as several,
    each with its header, so that every page starts with one (a wkhtmltopdf
    without patched Qt does not repeat a table's header on the next page)."""
    rows = list(rows)
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def short_amount(value, chinese=False):
    """An amount as a chart's axis reads it: 1.2M, 350k; in Chinese 1.2亿, 35万."""
    magnitude = abs(value)
    if chinese and magnitude >= 1e8:
        return f"{value / 1e8:.1f}亿"
    if chinese and magnitude >= 1e4:
        return f"{value / 1e4:.1f}万"
    if magnitude >= 1e9:
        return f"{value / 1e9:.2f}B"
    if magnitude >= 1e6:
        return f"{value / 1e6:.1f}M"
    if magnitude >= 1e3:
        return f"{value / 1e3:.1f}k"
    return f"{value:.0f}"


def text_width(text, size=9):
    """Roughly how wide ``text`` is drawn at ``size`` px: CJK characters are
    about as wide as they are high, Latin ones about 0.6 of it."""
    return sum(size if ord(char) >= 0x2E80 else 0.6 * size for char in text)


def nice_top(value):
    """The axis' top: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1.0
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def svg_chart(rows, labels, legend, chinese=False, width=680, height=230):
    """The month-by-month chart: a pair of bars a month (target, achieved) and
    the running totals as two lines on a second scale.

    :param rows: :func:`month_rows`.
    :param labels: the months' labels, in order.
    :param legend: (target, achieved, cumulative target, cumulative achieved)
        in the reader's language.
    :return: the SVG as text, its words escaped.
    """
    left, right, top, bottom = 56, 56, 28, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(rows), 1)
    bar_top = nice_top(
        max([r["amount"] for r in rows] + [r["achieved"] for r in rows] + [0])
    )
    cum_top = nice_top(
        max([r["cum_amount"] for r in rows] + [r["cum_achieved"] for r in rows] + [0])
    )
    slot = plot_w / count
    bar = min(slot * 0.32, 28)

    def y(value, top_value):
        return top + plot_h - plot_h * max(value, 0) / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="9">'
    ]
    for i in range(5):
        value = bar_top * i / 4
        cum = cum_top * i / 4
        ypos = y(value, bar_top)
        parts.append(
            f'<line x1="{left}" y1="{ypos:.1f}" x2="{left + plot_w}" y2="{ypos:.1f}" '
            'stroke="#dddddd" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{ypos + 3:.1f}" text-anchor="end" fill="#555555">'
            f"{escape(short_amount(value, chinese))}</text>"
        )
        parts.append(
            f'<text x="{left + plot_w + 4}" y="{ypos + 3:.1f}" fill="#555555">'
            f"{escape(short_amount(cum, chinese))}</text>"
        )
    points_target, points_done = [], []
    for i, row in enumerate(rows):
        middle = left + slot * (i + 0.5)
        for offset, value, colour in (
            (-bar, row["amount"], "#c9d3df"),
            (0, row["achieved"], "#4ea7f2"),
        ):
            ypos = y(value, bar_top)
            parts.append(
                f'<rect x="{middle + offset:.1f}" y="{ypos:.1f}" width="{bar:.1f}" '
                f'height="{top + plot_h - ypos:.1f}" fill="{colour}"/>'
            )
        points_target.append(f"{middle:.1f},{y(row['cum_amount'], cum_top):.1f}")
        points_done.append(f"{middle:.1f},{y(row['cum_achieved'], cum_top):.1f}")
        label = labels[i] if i < len(labels) else ""
        parts.append(
            f'<text x="{middle:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="#555555">{escape(label)}</text>'
        )
    for points, colour, dash in (
        (points_target, "#8f8f8f", ' stroke-dasharray="4,3"'),
        (points_done, "#1f6fb5", ""),
    ):
        if points:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" '
                f'stroke="{colour}" stroke-width="1.6"{dash}/>'
            )
    x = left
    for text, colour in zip(
        legend, ("#c9d3df", "#4ea7f2", "#8f8f8f", "#1f6fb5"), strict=True
    ):
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="14" fill="#333333">{escape(text)}</text>')
        x += 14 + text_width(text) + 18
    parts.append("</svg>")
    return "".join(parts)
