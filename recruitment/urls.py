from django.urls import path

from recruitment import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
