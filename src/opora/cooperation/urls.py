from .views import (
    agreement_forms,
    agreements,
    aid,
    event_parts,
    events,
    exchanges,
    letters,
    partners,
    partnerships,
    series,
)

app_name = "cooperation"
urlpatterns = [
    *partners.urlpatterns,
    *partnerships.urlpatterns,
    *events.urlpatterns,
    *event_parts.urlpatterns,
    *series.urlpatterns,
    *exchanges.urlpatterns,
    *letters.urlpatterns,
    *agreement_forms.urlpatterns,
    *agreements.urlpatterns,
    *aid.urlpatterns,
]
