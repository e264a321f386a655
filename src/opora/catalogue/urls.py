from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.service_list, name="list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/tariffs/add/", views.tariff_add, name="tariff_add"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/new/", views.provider_add, name="provider_add"),
    path("providers/<int:pk>/end/", views.provider_end, name="provider_end"),
    path("public/", views.public_listing, name="public"),
]
