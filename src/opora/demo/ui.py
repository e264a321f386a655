from django.utils.translation import gettext_lazy as _

from opora.core.registry import Widget, add_widget

from .access import DEMO_LOAD

add_widget(
    Widget("demo", _("Demo data"), "demo/widget.html", DEMO_LOAD, lambda request: {}, order=95)
)
