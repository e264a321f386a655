from django.urls import path

from . import views

app_name = "registry_import"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/columns/", views.import_mapping, name="mapping"),
    path("<int:pk>/problems.csv", views.import_errors_csv, name="errors_csv"),
    path("export/", views.export, name="export"),
    path("template/<str:entity>.csv", views.import_template, name="template"),
]
