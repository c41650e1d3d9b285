"""Vacancies: their list, create and edit, and each one's pipeline as a board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from recruitment import services
from recruitment.forms import VacancyForm
from recruitment.models import Stage, Vacancy
from recruitment.roles import any_role, managers_only, manages, visible_vacancies
from recruitment.selectors import vacancy_board, vacancy_closed_applications, vacancy_list


@require_GET
@any_role
def vacancy_index(request):
    vacancies = vacancy_list(vacancies=visible_vacancies(request.user))
    context = {"vacancies": vacancies, "stages": list(Stage), "manages": manages(request.user)}
    return render(request, "recruitment/vacancy_list.html", context)


def _save(request, form: VacancyForm, vacancy: Vacancy | None):
    data = form.cleaned_data
    try:
        if vacancy is None:
            return services.vacancy_create(**data)
        return services.vacancy_update(vacancy=vacancy, **data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    return None


def _vacancy_form(request, vacancy: Vacancy | None):
    initial = None
    if vacancy is not None:
        initial = {
            "title": vacancy.title,
            "title_pl": vacancy.title_pl,
            "cities": list(vacancy.cities.all()),
            "description": vacancy.description,
            "description_pl": vacancy.description_pl,
            "is_open": vacancy.is_open,
            "recruiters": list(vacancy.recruiters.all()),
        }
    form = VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, vacancy)
        if saved is not None:
            messages.success(request, _("Vacancy saved."))
            return redirect("vacancy_board", pk=saved.pk)
    return render(request, "recruitment/vacancy_form.html", {"form": form, "vacancy": vacancy})


@require_http_methods(["GET", "POST"])
@managers_only
def vacancy_create(request):
    return _vacancy_form(request, None)


@require_http_methods(["GET", "POST"])
@managers_only
def vacancy_edit(request, pk: int):
    return _vacancy_form(request, get_object_or_404(Vacancy, pk=pk))


@require_GET
@any_role
def vacancy_board_page(request, pk: int):
    vacancy = get_object_or_404(visible_vacancies(request.user), pk=pk)
    columns = [
        (stage, Stage.after(stage), applications)
        for stage, applications in vacancy_board(vacancy=vacancy)
    ]
    # The column a phone shows: the one asked for, else the first with anybody in it.
    asked = request.GET.get("stage", "")
    filled = [stage.value for stage, _next, applications in columns if applications]
    current = asked if asked in Stage.values else (filled or [Stage.APPLICATION.value])[0]
    context = {
        "vacancy": vacancy,
        "columns": columns,
        "current_stage": current,
        "closed": vacancy_closed_applications(vacancy=vacancy),
        "manages": manages(request.user),
    }
    return render(request, "recruitment/vacancy_board.html", context)
