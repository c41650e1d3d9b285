from django.urls import path

from console.views import actions, history, instances, pr_instances

app_name = "console"
urlpatterns = [
    path("", instances.instance_list, name="instances"),
    path("instances/<str:name>/status/", instances.instance_status, name="instance_status"),
    path("instances/<str:name>/changes/", history.changes, name="changes"),
    path("instances/<str:name>/<str:kind>/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_page, name="action"),
    path("actions/<int:pk>/progress/", actions.action_progress, name="action_progress"),
    path("history/", history.history, name="history"),
    path("pr-instances/", pr_instances.pr_instance_list, name="pr_instances"),
]
