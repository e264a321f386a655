from django.urls import path

from . import staff_views, views

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("new/", views.institution_create, name="create"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/edit/", views.institution_edit, name="edit"),
    path("<int:pk>/status/", views.institution_status, name="status"),
    path("districts/", views.district_list, name="districts"),
    path("districts/new/", views.district_create, name="district_create"),
    path("districts/<int:pk>/", views.district_detail, name="district"),
    path("districts/<int:pk>/edit/", views.district_edit, name="district_edit"),
    path("staff/", staff_views.employee_list, name="staff"),
    path("staff/new/", staff_views.employee_create, name="employee_create"),
    path("staff/<int:pk>/", staff_views.employee_detail, name="employee"),
    path("staff/<int:pk>/edit/", staff_views.employee_edit, name="employee_edit"),
    path("staff/<int:pk>/employments/add/", staff_views.employment_add, name="employment_add"),
    path(
        "staff/<int:pk>/employments/<int:employment_id>/edit/",
        staff_views.employment_edit,
        name="employment_edit",
    ),
    path(
        "staff/<int:pk>/employments/<int:employment_id>/leave/",
        staff_views.employment_end,
        name="employment_end",
    ),
    path("staff/<int:pk>/trainings/add/", staff_views.training_add, name="training_add"),
]
