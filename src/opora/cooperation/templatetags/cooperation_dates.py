"""Dates as much as the sources know them: ``{{ day|known_date:precision }}`` reads "April
2019", "spring 2019", "2019", or the short date when the day is known."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext

from ..models import DatePrecision

register = template.Library()


def _season(day: dt.date) -> str:
    """The season that begins on ``day``'s month (winter from December to February)."""
    if day.month == 12 or day.month < 3:
        first_year = day.year if day.month == 12 else day.year - 1
        return pgettext("season", "winter %(first)s/%(second)s") % {
            "first": first_year,
            "second": str(first_year + 1)[-2:],
        }
    names = {
        3: pgettext("season", "spring %(year)s"),
        6: pgettext("season", "summer %(year)s"),
        9: pgettext("season", "autumn %(year)s"),
    }
    return names[day.month - day.month % 3] % {"year": day.year}


@register.filter
def known_date(day: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.SEASON:
        return _season(day)
    if precision == DatePrecision.MONTH:
        # "YEAR_MONTH_FORMAT": "April 2019", «Апрель 2019».
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "SHORT_DATE_FORMAT")
