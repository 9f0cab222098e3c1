"""The one pattern for a record's detail page: the actions this user may take now, each a form posting
to one service.

A record kind declares its actions once, as an :class:`ActionSet`::

    DOSSIER_ACTIONS = ActionSet(
        access=selectors.dossier_access,                  # fetch + check, the same 404 for missing/forbidden
        state=lambda d, user: transition_names(d, user),  # computed once per page, handed to every `when`
        url=lambda record, action, **kw: reverse("onestop:act", args=[record.pk, action.key]),
        actions=[
            Action(
                "assign",
                run=assign,  # calls services.dossier_assign, returns the message
                form=forms.AssignForm,
                form_kwargs=lambda d, user: {"dossier": d},
                when=lambda d, user, names: "assign_officer" in names,
                title=_("Phân công thụ lý"),
                button=_("Giao thụ lý"),
            ),
            ...
        ],
    )

The detail view asks ``DOSSIER_ACTIONS.page(record, user)`` for the bound actions (``main``, ``more``,
``by_key``) and renders them, generically with ``eoffice/_action.html`` or with its own markup. Every
action posts to ``DOSSIER_ACTIONS.view`` (wired in the app's ``urls.py`` with an ``action`` keyword):
it loads the record through the access helper, validates the same form with the same prefix, calls the
action's service and shows its message, or the service's refusal, on the record's page. The service is the
authority on who may do what: the page's ``when`` only decides what is offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

Record = Any
User = Any


def error_text(exc: Exception) -> str:
    """The message a refused action shows: a service's ValidationError text, or a plain refusal."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Bạn không có quyền thực hiện thao tác này.")


def form_error_text(form) -> str:
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return " ".join(errors) or _("Yêu cầu không hợp lệ.")


@dataclass(frozen=True)
class Action:
    """One thing a user may do to a record.

    ``run(record, user, form, **url_kwargs)`` calls one service and returns the success message (or an
    ``HttpResponse`` when the action leads elsewhere). ``form`` is the form class (``None`` for a plain
    button). ``form_kwargs(record, user, **url_kwargs)`` gives the form's extra arguments, the same on the
    page and on the post; ``initial(record, user)`` only what the page pre-fills. ``when(record, user,
    state)`` decides whether the page offers the action (``state`` is the set's ``state`` for this page).
    ``more`` puts it under "other actions". ``template`` renders its body instead of the generic fields.
    """

    key: str
    run: Callable[..., str | HttpResponse]
    form: type | None = None
    title: str = ""
    button: str = ""
    tone: str = "primary"
    hint: str = ""
    confirm: str = ""
    more: bool = False
    when: Callable[[Record, User, Any], bool] | None = None
    form_kwargs: Callable[..., dict] | None = None
    initial: Callable[[Record, User], dict] | None = None
    prefix: str | None = None
    template: str = ""
    multipart: bool = False

    def prefix_for(self, **url_kwargs) -> str:
        """The form's prefix: the action's own, plus the URL's extra keys for a form repeated on the page
        (one per assignment, say), so that no two elements of a page share an id. ``prefix=""``: no prefix
        at all (a form whose field names are fixed, with its own ``auto_id`` for unique ids)."""
        if self.prefix == "":
            return ""
        base = self.prefix if self.prefix is not None else self.key.replace("_", "-")
        return "-".join([base, *(str(v) for v in url_kwargs.values())])

    def make_form(self, record: Record, user: User, *, data=None, files=None, initial=None, **url_kwargs):
        if self.form is None:
            return None
        kwargs = self.form_kwargs(record, user, **url_kwargs) if self.form_kwargs else {}
        if data is None:
            if initial is None and self.initial is not None:
                initial = self.initial(record, user)
            if initial:
                kwargs["initial"] = initial
            return self.form(prefix=self.prefix_for(**url_kwargs), **kwargs)
        return self.form(data, files, prefix=self.prefix_for(**url_kwargs), **kwargs)


@dataclass
class BoundAction:
    """An action offered on one page: its form (unbound, prefixed) and the URL it posts to."""

    action: Action
    form: Any
    url: str
    url_kwargs: dict = field(default_factory=dict)

    def __getattr__(self, name: str):
        # title, button, tone, hint, confirm, key, template, multipart: read through to the action.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.__dict__["action"], name)


@dataclass
class Page:
    """The actions of one detail page, in declaration order."""

    main: list[BoundAction]
    more: list[BoundAction]

    @property
    def by_key(self) -> dict[str, BoundAction]:
        return {b.key: b for b in [*self.main, *self.more] if not b.url_kwargs}

    def __bool__(self) -> bool:
        return bool(self.main or self.more)

    def __contains__(self, key: str) -> bool:
        return key in self.by_key


class ActionSet:
    """The actions of one record kind, their page and their one POST view."""

    def __init__(
        self,
        *,
        access: Callable[..., Record],
        actions: Iterable[Action],
        url: Callable[..., str],
        state: Callable[[Record, User], Any] | None = None,
        redirect_to: Callable[[Record], str] | None = None,
    ):
        self.access = access
        self.actions = {a.key: a for a in actions}
        self.url = url
        self.state = state
        self.redirect_to = redirect_to
        self.view = login_required(require_POST(self._view))

    def __getitem__(self, key: str) -> Action:
        return self.actions[key]

    def offered(self, record: Record, user: User, state: Any = None) -> list[Action]:
        if state is None and self.state is not None:
            state = self.state(record, user)
        return [a for a in self.actions.values() if a.when is None or a.when(record, user, state)]

    def bind(
        self, action: Action | str, record: Record, user: User, *, initial=None, **url_kwargs
    ) -> BoundAction:
        """One action's form for the page; also for an action repeated per part (``url_kwargs``)."""
        action = self.actions[action] if isinstance(action, str) else action
        return BoundAction(
            action=action,
            form=action.make_form(record, user, initial=initial, **url_kwargs),
            url=self.url(record, action, **url_kwargs),
            url_kwargs=url_kwargs,
        )

    def page(self, record: Record, user: User, *, state: Any = None, exclude: Iterable[str] = ()) -> Page:
        skip = set(exclude)
        bound = [self.bind(a, record, user) for a in self.offered(record, user, state) if a.key not in skip]
        return Page(main=[b for b in bound if not b.more], more=[b for b in bound if b.more])

    def _view(self, request, pk: int, action: str, **url_kwargs) -> HttpResponse:
        spec = self.actions.get(action)
        if spec is None:
            raise Http404
        record = self.access(user=request.user, pk=pk)
        back = self.redirect_to(record) if self.redirect_to else record
        files = request.FILES or None
        form = spec.make_form(record, request.user, data=request.POST, files=files, **url_kwargs)
        if form is not None and not form.is_valid():
            messages.error(request, form_error_text(form))
            return redirect(back)
        try:
            result = spec.run(record, request.user, form, **url_kwargs)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect(back)
        if isinstance(result, HttpResponse):
            return result
        if result:
            messages.success(request, result)
        return redirect(back)


def service_action(
    key: str,
    service: Callable[..., Any],
    *,
    record: str,
    message: Any = "",
    fields: Iterable[str] = (),
    computed: Mapping[str, Callable[[dict], Any]] | None = None,
    values: Callable[[Any], dict] | None = None,
    by: str = "by",
    **options,
) -> Action:
    """An :class:`Action` whose ``run`` is one call of one service, the common case::

        service_action(
            "refuse",
            services.case_refuse,
            record="case",
            fields=("reason",),
            message=gettext_lazy("Đã ghi nhận không thụ lý."),
            form=ReasonForm,
            when=...,
        )

    posts ``services.case_refuse(case=<the record>, by=<the user>, reason=<the form's reason>)``.

    ``record`` and ``by`` are the service's keywords for the record and the user. ``fields`` names the
    service's keywords read as they are from the form's values; a named field the form does not have (a
    form that drops a field for some records) is not passed, so the service's own default applies.
    ``computed`` gives the keywords computed from the values (a field renamed, ``{"upload": lambda d:
    d.get("file")}``, or converted). ``values(form)`` reads the values (default: ``form.cleaned_data``;
    nothing for a plain button); the URL's extra keys of an action repeated per part are among them.
    ``message`` is the success message (a lazy text is rendered in the request's language), or
    ``message(result, values)`` makes it from the service's result (it may return an ``HttpResponse``).
    Every other keyword is the :class:`Action`'s own (``form``, ``when``, ``title``…).
    """
    read = values or (lambda form: form.cleaned_data)
    names = tuple(fields)
    derived = dict(computed or {})

    def run(obj: Record, user: User, form, **url_kwargs):
        data = {**(read(form) if form is not None else {}), **url_kwargs}
        kwargs = {name: data[name] for name in names if name in data}
        kwargs.update({name: compute(data) for name, compute in derived.items()})
        result = service(**{record: obj, by: user, **kwargs})
        return message(result, data) if callable(message) else str(message)

    return Action(key, run=run, **options)
