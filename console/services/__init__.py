from console.services.actions import (
    ActionRefused,
    action_create,
    action_fail,
    action_request,
    action_run,
)
from console.services.deploy_log import deploy_log_import, deploy_logs_import_all
from console.services.pr_instances import (
    pr_instance_request,
    pr_instances_idle,
    pr_instances_reap,
    pr_registry,
)

__all__ = [
    "ActionRefused",
    "action_create",
    "action_fail",
    "action_request",
    "action_run",
    "deploy_log_import",
    "deploy_logs_import_all",
    "pr_instance_request",
    "pr_instances_idle",
    "pr_instances_reap",
    "pr_registry",
]
