from django.urls import path

from . import user_views, views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("search/", views.search, name="search"),
    path("audit/", views.audit_search, name="audit"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set_language"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/abandon/", views.job_abandon, name="job_abandon"),
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user"),
    path("users/<int:pk>/edit/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/tokens/", user_views.token_issue, name="token_issue"),
    path(
        "users/<int:pk>/tokens/<int:token_id>/revoke/", user_views.token_revoke, name="token_revoke"
    ),
]
