from django.urls import include, path

from . import views

app_name = "registry"
urlpatterns = [
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_register, name="person_register"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/categories/add/", views.category_add, name="category_add"),
    path(
        "people/<int:pk>/categories/<int:holding_id>/end/", views.category_end, name="category_end"
    ),
    path("people/<int:pk>/incomes/add/", views.income_add, name="income_add"),
    path("people/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("people/<int:pk>/address/", views.address_set, name="address_set"),
    path("people/<int:pk>/institutions/add/", views.person_serve, name="person_serve"),
    path("people/<int:pk>/household/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path(
        "households/<int:pk>/members/<int:member_id>/leave/",
        views.household_member_leave,
        name="member_leave",
    ),
    path("categories/expiring/", views.expiring_categories, name="expiring"),
    path("import/", include("opora.registry.imports.urls")),
    path("duplicates/", include("opora.registry.dedup.urls")),
]
