"""The monthly report as PDF (reportlab): a title, a chart and the table of units."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wadul.core import formats


def _share(value: float | None) -> str:
    return formats.percent(value)


def _minutes(value: float | None) -> str:
    return formats.duration(value)


def _rating(value: float | None) -> str:
    return formats.number(value, 1)


def table_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    header = [
        _("Unit"),
        _("Received"),
        _("First response (median, working)"),
        _("Within target"),
        _("Resolved"),
        _("Resolution (median, working)"),
        _("Rating"),
    ]
    body = [
        [
            r["unit_name"],
            str(r["received"]),
            _minutes(r["first_response_median_working_minutes"]),
            _share(r["first_response_within_target_share"]),
            _share(r["resolved_share"]),
            _minutes(r["resolution_median_working_minutes"]),
            _rating(r["rating_average"]),
        ]
        for r in rows
    ]
    return [header, *body]


def monthly_report_pdf(context: dict[str, Any]) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{context['title']} — {context['period'].label}",
        author="Wadul",
        # Uncompressed: small enough, and the text stays searchable by simple tools.
        pageCompression=0,
    )
    styles = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(f"{context['title']} — {context['period'].label}", styles["Title"]),
        Paragraph(
            _("Monthly report of complaint handling. Working time: office hours, Asia/Jakarta."),
            styles["Normal"],
        ),
        Paragraph(
            _("Computed at %(time)s WIB")
            % {"time": date_format(localtime(context["computed_at"]), "j F Y H:i")},
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    trend = context["trend"]
    drawing = Drawing(240 * mm, 45 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 8 * mm, 220 * mm, 32 * mm
    chart.data = [trend["received"] or [0]]
    chart.categoryAxis.categoryNames = trend["labels"]
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#0b6e4f")
    drawing.add(chart)
    story += [Paragraph(_("Cases received per month"), styles["Heading3"]), drawing]
    rows = ([context["total"]] if context["total"] else []) + context["rows"]
    table = Table(table_rows(rows), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecef")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
            + ([("FONT", (0, 1), (-1, 1), "Helvetica-Bold", 8)] if context["total"] else [])
        )
    )
    story += [Spacer(1, 4 * mm), table]
    doc.build(story)
    return buffer.getvalue()
