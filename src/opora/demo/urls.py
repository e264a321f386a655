from django.urls import path

from . import views

app_name = "demo"
urlpatterns = [path("load/", views.start_demo_load, name="load")]
