from .views import applications, assignments, goods, measures, runs, social_contract

app_name = "assistance"
urlpatterns = [
    *measures.urlpatterns,
    *applications.urlpatterns,
    *assignments.urlpatterns,
    *social_contract.urlpatterns,
    *goods.urlpatterns,
    *runs.urlpatterns,
]
