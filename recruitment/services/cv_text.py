"""The CV's text, extracted after the CV is stored, for the search.

Run after the commit that stored the CV (transaction.on_commit), outside the request's
time. It writes no Activity: reading the file is no one's action, and the upload itself
is on the timeline already; nor does it touch the latest activity date the list sorts by.
"""

from django.db import transaction

from recruitment.cv_text import cv_text
from recruitment.models import Applicant


@transaction.atomic
def applicant_cv_text_extract(*, applicant_id: int) -> str:
    applicant = Applicant.objects.select_for_update().only("id", "cv").get(pk=applicant_id)
    if not applicant.cv:
        text = ""
    else:
        kind = applicant.cv.name.rsplit(".", 1)[-1].lower()
        with applicant.cv.open("rb") as file:
            text = cv_text(file, kind)
    Applicant.objects.filter(pk=applicant_id).update(cv_text=text)
    return text
