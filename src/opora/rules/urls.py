from django.urls import path

from . import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("rule/<slug:code>/", views.rule_detail, name="rule"),
    path("rule/<slug:code>/add/", views.version_add, name="version_add"),
    path("minimums/", views.minimum_list, name="minimums"),
    path("minimums/add/", views.minimum_add, name="minimum_add"),
    path("regions/add/", views.region_add, name="region_add"),
    path("grounds/", views.free_ground_list, name="grounds"),
    path("grounds/add/", views.free_ground_add, name="ground_add"),
    path("grounds/<int:pk>/edit/", views.free_ground_edit, name="ground_edit"),
    path("calendar/", views.calendar_today, name="calendar_today"),
    path("calendar/add/", views.calendar_year_add, name="calendar_year_add"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar"),
    path("calendar/<int:year>/days/add/", views.calendar_day_add, name="calendar_day_add"),
    path("calendar/days/<int:pk>/remove/", views.calendar_day_remove, name="calendar_day_remove"),
    path("fees/", views.fee_calculator, name="fees"),
]
