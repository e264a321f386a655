from django.db import models
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, TimeStampedModel


class ServiceForm(models.TextChoices):
    """The forms in which social services are given (442-FZ art. 19): the capacity of an
    institution, the catalogue and the fee rules are all stated per form."""

    HOME = "home", _("at home")
    SEMI_RESIDENTIAL = "semi_residential", _("semi-residential")
    RESIDENTIAL = "residential", _("residential")


class District(BilingualName, TimeStampedModel):
    """A district of the city or region; residents, addresses and institutions belong to one."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]


class Institution(BilingualName, TimeStampedModel):
    """An institution of the department's network. Staff belong to one or more of them, and the
    scope of what a person sees is drawn from that membership."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
