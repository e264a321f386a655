from .views import cases, printing, work

app_name = "casework"
urlpatterns = [*cases.urlpatterns, *work.urlpatterns, *printing.urlpatterns]
