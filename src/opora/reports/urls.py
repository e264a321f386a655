from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("figures/", views.figure_list, name="figures"),
    path("figures/add/", views.figure_add, name="figure_add"),
    path("figures/<int:pk>/", views.figure_detail, name="figure"),
    path("figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/retire/", views.figure_retire, name="figure_retire"),
]
