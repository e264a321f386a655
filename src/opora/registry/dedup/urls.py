from django.urls import path

from . import views

app_name = "registry_dedup"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("start/", views.run_start, name="start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("queue/", views.queue, name="queue"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/confirm/", views.pair_confirm, name="confirm"),
    path("pairs/<int:pk>/reject/", views.pair_reject, name="reject"),
    path("pairs/<int:pk>/merge/", views.pair_merge, name="merge"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:pk>/unmerge/", views.merge_undo, name="unmerge"),
]
