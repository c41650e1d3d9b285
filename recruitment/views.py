from django.shortcuts import render
from django.utils.translation import gettext as _

from recruitment.models import Stage
from recruitment.selectors import application_stage_counts


def dashboard(request):
    counts = application_stage_counts()
    tabs = [("all", _("All"), counts["all"])]
    tabs += [(stage.value, stage.label, counts[stage.value]) for stage in Stage]
    context = {"tabs": tabs, "closed_count": counts["closed"]}
    return render(request, "recruitment/dashboard.html", context)
