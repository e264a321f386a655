from .views import agreements, aid, events, letters, partners

app_name = "cooperation"
urlpatterns = [
    *partners.urlpatterns,
    *events.urlpatterns,
    *letters.urlpatterns,
    *agreements.urlpatterns,
    *aid.urlpatterns,
]
