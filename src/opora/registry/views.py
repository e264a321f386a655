from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error, form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows
from opora.institutions.models import Institution
from opora.institutions.selectors import institution_choices

from . import selectors, services
from .access import PERSON_EDIT, PERSON_VIEW
from .forms import (
    AddressForm,
    CategoryForm,
    DocumentForm,
    EditForm,
    IncomeForm,
    MemberForm,
    PeopleFilterForm,
    RegistrationForm,
    ServeForm,
)
from .models import HouseholdMember, PersonCategory

PERSON_TABS = [
    OVERVIEW,
    Tab("household", gettext_lazy("Household")),
    Tab("categories", gettext_lazy("Categories")),
    Tab("incomes", gettext_lazy("Incomes")),
    HISTORY,
]

COLUMNS = [
    Column("name", gettext_lazy("Full name"), "last_name"),
    Column("birth_date", gettext_lazy("Date of birth"), "birth_date"),
    Column("snils", gettext_lazy("SNILS")),
    Column("phone", gettext_lazy("Phone")),
]


def _filters(request) -> tuple[PeopleFilterForm, dict[str, Any]]:
    form = PeopleFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@require(PERSON_VIEW)
def person_list(request):
    form, filters = _filters(request)
    query = (filters.get("q") or "").strip()
    context: dict[str, Any] = {"form": form, "query": query}
    if query:
        from .search import search_people

        hits = search_people(actor=request.user, query=query, limit=50)
        context["hits"] = [
            {"hit": hit, "snils": selectors.snils_for(request.user, hit.person)} for hit in hits
        ]
    else:
        kind = filters.get("category")
        qs = selectors.person_list(
            actor=request.user,
            category=kind.code if kind else "",
            on=filters.get("on"),
            district=filters["district"].pk if filters.get("district") else None,
        )
        table = sorted_page(request, qs, COLUMNS, default_sort="name")
        context["table"] = table
        context["rows"] = [
            {"person": p, "snils": selectors.snils_for(request.user, p)} for p in table.rows
        ]
    return render_page(request, "registry/people/list.html", context, partial="results")


def _person_or_redirect(request, pk: int):
    person = selectors.person_get(actor=request.user, pk=pk)
    if person.merged_into_id:
        survivor = selectors.resolve_redirect(person)
        messages.info(
            request,
            _("This record was merged into %(name)s; you see that record now.")
            % {"name": survivor},
        )
        return None, redirect("registry:person", pk=survivor.pk)
    return person, None


@require(PERSON_VIEW)
def person_detail(request, pk: int):
    person, redirect_response = _person_or_redirect(request, pk)
    if redirect_response:
        return redirect_response
    tab = chosen_tab(request, PERSON_TABS)
    context: dict[str, Any] = {
        "person": person,
        "tab": tab,
        "tabs": PERSON_TABS,
        "snils": selectors.snils_for(request.user, person),
        "can_edit": has_permission(request.user, PERSON_EDIT),
    }
    if tab == OVERVIEW.key:
        context["documents"] = selectors.documents_for(request.user, person)
    elif tab == "household":
        memberships = list(selectors.households_of(person))
        for membership in memberships:
            membership.visible_members = selectors.mark_visible_members(
                actor=request.user, members=membership.household.members.all()
            )
        context["memberships"] = memberships
    elif tab == "categories":
        context["categories"] = selectors.categories_of(person)
        context["category_form"] = CategoryForm()
    elif tab == "incomes":
        context["incomes"] = selectors.incomes_of(person)
        context["income_form"] = IncomeForm()
    elif tab == HISTORY.key:
        context["history"] = history_rows(person)
    return render_page(request, "registry/people/detail.html", context, partial="tab-body")


def _tab_url(person, tab: str) -> str:
    return f"{reverse('registry:person', args=[person.pk])}?tab={tab}"


def _serving_institution(request) -> Institution | None:
    """The institution a new record is attached to: the registering worker's own."""
    return request.user.institutions.order_by("pk").first()


@require(PERSON_EDIT)
def person_register(request):
    from .intake import likely_matches, visible_matches

    form = RegistrationForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("override_reason", "")
        district = data.pop("district", None)
        address = data.pop("registration_address", "")
        try:
            snils = services.normalised_snils(data.get("snils"))
            matches = likely_matches(
                last_name=data["last_name"],
                first_name=data["first_name"],
                patronymic=data["patronymic"],
                birth_date=data["birth_date"],
                snils=snils,
            )
            if matches and not reason.strip():
                context["matches"], context["hidden_matches"] = visible_matches(
                    request.user, matches
                )
                return render_page(request, "registry/people/register.html", context)
            person = services.person_register(
                actor=request.user,
                institution=_serving_institution(request),
                likely_matches=matches,
                override_reason=reason,
                **data,
            )
            if address:
                services.address_set(
                    actor=request.user,
                    person=person,
                    kind="registration",
                    text=address,
                    district=district,
                )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person})
            return redirect("registry:person", pk=person.pk)
    return render_page(request, "registry/people/register.html", context)


@require(PERSON_EDIT)
def person_edit(request, pk: int):
    person, redirect_response = _person_or_redirect(request, pk)
    if redirect_response:
        return redirect_response
    initial = {f: getattr(person, f) for f in EditForm.base_fields if hasattr(person, f)}
    initial["snils"] = selectors.snils_for(request.user, person)
    form = EditForm(request.POST or None, initial=initial)

    def save(cleaned):
        data = {k: v for k, v in cleaned.items() if k in form.changed_data}
        data.pop("reason", None)
        if "snils" in data and "•" in (data["snils"] or ""):
            data.pop("snils")  # a masked number shown back is not a change
        services.person_update(
            actor=request.user, person=person, reason=cleaned.get("reason", ""), **data
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the record"),
        crumbs=_person_crumbs(person),
        done=reverse("registry:person", args=[person.pk]),
        saved=_("The changes were saved."),
    )


def _person_crumbs(person) -> list[tuple[str, str]]:
    return [
        (_("Residents"), reverse("registry:people")),
        (person.full_name, reverse("registry:person", args=[person.pk])),
    ]


def _add_to_person(request, pk: int, form_class, save, tab: str, title: str):
    """The one shape of every "add something to a person" page: a form, a service, a tab."""
    person, redirect_response = _person_or_redirect(request, pk)
    if redirect_response:
        return redirect_response
    return form_page(
        request,
        form_class(request.POST or None),
        lambda data: save(person, data),
        title=title,
        crumbs=_person_crumbs(person),
        done=_tab_url(person, tab),
    )


def _person_form_view(form_class, service, tab: str, title):
    """A page that adds one thing to a person through one service, then shows its tab."""

    @require(PERSON_EDIT)
    def view(request, pk: int):
        def save(person, data):
            service(actor=request.user, person=person, **data)

        return _add_to_person(request, pk, form_class, save, tab, str(title))

    return view


category_add = _person_form_view(
    CategoryForm, services.category_assign, "categories", gettext_lazy("Record a category")
)
income_add = _person_form_view(
    IncomeForm, services.income_record, "incomes", gettext_lazy("Record an income")
)
document_add = _person_form_view(
    DocumentForm, services.document_add, "overview", gettext_lazy("Add a document")
)
address_set = _person_form_view(
    AddressForm, services.address_set, "overview", gettext_lazy("Set an address")
)


@require(PERSON_EDIT)
def person_serve(request, pk: int):
    """Attach the person to another of the actor's institutions (whose staff then see her)."""
    institutions = institution_choices(actor=request.user).exclude(people__pk=pk)

    def form_class(data):
        return ServeForm(data, institutions=institutions)

    def save(person, data):
        services.person_serve(actor=request.user, person=person, institution=data["institution"])

    return _add_to_person(
        request, pk, form_class, save, "overview", str(_("Attach to an institution"))
    )


@require(PERSON_EDIT)
def category_end(request, pk: int, holding_id: int):
    person, redirect_response = _person_or_redirect(request, pk)
    if redirect_response:
        return redirect_response
    holding = get_object_or_404(PersonCategory, pk=holding_id, person=person)
    if request.method == "POST":
        try:
            services.category_end(
                actor=request.user,
                holding=holding,
                valid_to=timezone.localdate(),
                reason=request.POST.get("reason", "")[:300],
            )
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(_tab_url(person, "categories"))


@require(PERSON_EDIT)
def household_create(request, pk: int):
    person, redirect_response = _person_or_redirect(request, pk)
    if redirect_response:
        return redirect_response
    if request.method == "POST":
        address = person.addresses.filter(kind="registration").first()
        household = services.household_create(
            actor=request.user,
            applicant=person,
            address=address.text if address else "",
            district=address.district if address else None,
        )
        return redirect("registry:household", pk=household.pk)
    return redirect(_tab_url(person, "household"))


@require(PERSON_VIEW)
def household_detail(request, pk: int):
    household = get_object_or_404(selectors.households(actor=request.user), pk=pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not has_permission(request.user, PERSON_EDIT):
            return render_page(request, "403.html", {}, status=403)
        if form.is_valid():
            person = (
                selectors.people(actor=request.user).filter(pk=form.cleaned_data["person"]).first()
            )
            if person is None:
                form.add_error("person", _("No such person in your scope."))
            else:
                try:
                    services.household_add_member(
                        actor=request.user,
                        household=household,
                        person=person,
                        relation=form.cleaned_data["relation"],
                        joined_on=form.cleaned_data["joined_on"],
                    )
                except DomainError as error:
                    apply_domain_error(form, error)
                else:
                    messages.success(
                        request, _("%(name)s joined the household.") % {"name": person}
                    )
                    return redirect("registry:household", pk=household.pk)
    members = selectors.mark_visible_members(
        actor=request.user,
        members=household.members.select_related("person").order_by("left_on", "-is_applicant"),
    )
    return render_page(
        request,
        "registry/households/detail.html",
        {
            "household": household,
            "members": members,
            "form": form,
            "can_edit": has_permission(request.user, PERSON_EDIT),
            "history": history_rows(household),
        },
    )


@require(PERSON_EDIT)
def household_member_leave(request, pk: int, member_id: int):
    household = get_object_or_404(selectors.households(actor=request.user), pk=pk)
    member = get_object_or_404(HouseholdMember, pk=member_id, household=household)
    if request.method == "POST":
        try:
            services.household_member_leave(
                actor=request.user,
                member=member,
                left_on=timezone.localdate(),
                reason=request.POST.get("reason", "")[:300],
            )
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("registry:household", pk=household.pk)


EXPIRING_COLUMNS = [
    Column("valid_to", gettext_lazy("Ends on"), "valid_to"),
    Column("person", gettext_lazy("Person"), "person__last_name"),
    Column("category", gettext_lazy("Category"), "kind__name"),
    Column("basis", gettext_lazy("Basis document")),
]


@require(PERSON_VIEW)
def expiring_categories(request):
    table = sorted_page(
        request,
        selectors.expiring_categories(actor=request.user),
        EXPIRING_COLUMNS,
        default_sort="valid_to",
    )
    return render_page(
        request, "registry/categories/expiring.html", {"table": table}, partial="results"
    )
