"""The forms of the payments pages: payout details, the month of a payroll, a return file, the
filters of the payroll's lines and of the worklist."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WORKLIST, LineStatus, PayoutChannel, Problem


class DateInput(forms.DateInput):
    input_type = "date"


class PayoutDetailsForm(forms.Form):
    channel = forms.ChoiceField(label=_("Paid through"), choices=PayoutChannel.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    bik = forms.CharField(
        label=_("BIK"), max_length=9, required=False, help_text=_("Bank: 9 digits.")
    )
    account = forms.CharField(
        label=_("Account"),
        max_length=20,
        required=False,
        help_text=_("Bank: 20 digits; the check digit is checked against the BIK."),
    )
    postal_index = forms.CharField(
        label=_("Postal index"), max_length=6, required=False, help_text=_("Post office: 6 digits.")
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("The payroll pays what is due for this month."),
    )


class ReturnFileForm(forms.Form):
    file = forms.FileField(
        label=_("Return file of the bank"),
        help_text=_("CSV in UTF-8: reference;status;reason;amount, then T;count;total."),
    )


class LineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *LineStatus.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Paid through"), choices=[("", _("any")), *PayoutChannel.choices], required=False
    )
    problem = forms.ChoiceField(
        label=_("Problem"), choices=[("", _("any")), *Problem.choices], required=False
    )
    q = forms.CharField(label=_("Number or surname"), max_length=100, required=False)


class WorklistFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("any"))] + [(s.value, s.label) for s in WORKLIST],
        required=False,
    )
    q = forms.CharField(label=_("Surname"), max_length=100, required=False)
