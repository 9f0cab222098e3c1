from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eoffice import selectors, services
from eoffice.dashboard import dashboard_parts, widgets_for
from eoffice.forms import DirectorySearchForm, SignatureForm
from eoffice.menu import menu_for
from eoffice.params import page_number


@login_required
def dashboard(request):
    # The menu once, for the sidebar and for the pending-work cards (the same counts, counted once).
    sections = menu_for(request.user, request.path)
    pending, widgets = dashboard_parts(request, sections, widgets=widgets_for)
    context = {"menu_sections": sections, "pending": pending, "widgets": widgets}
    return render(request, "eoffice/dashboard.html", context)


@login_required
def notifications(request):
    unread_only = request.GET.get("filter") == "unread"
    page = Paginator(selectors.notification_list(user=request.user, unread_only=unread_only), 30).get_page(
        page_number(request.GET.get("page"))
    )
    template = "eoffice/_notification_items.html" if request.htmx else "eoffice/notifications.html"
    return render(request, template, {"page": page, "unread_only": unread_only})


@login_required
def notification_bell(request):
    items = selectors.notification_list(user=request.user)[:8]
    return render(request, "eoffice/_bell.html", {"items": items})


@login_required
@require_POST
def notification_open(request, pk: int):
    note = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=note)
    safe = note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
    return redirect(note.url if safe else "notifications")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count})
    return redirect("notifications")


@login_required
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.staff_list(user=request.user, q=q), 50).get_page(
        page_number(request.GET.get("page"))
    )
    context = {"form": form, "page": page, "departments": selectors.department_list(user=request.user)}
    return render(request, "eoffice/directory.html", context)


@login_required
def department_detail(request, pk: int):
    department = selectors.department_get(user=request.user, pk=pk)
    staff = selectors.staff_list(user=request.user, department=department)
    return render(request, "eoffice/department_detail.html", {"department": department, "staff": staff})


@login_required
def staff_detail(request, pk: int):
    person = selectors.staff_get(user=request.user, pk=pk)
    return render(request, "eoffice/staff_detail.html", {"person": person})


@login_required
def profile(request):
    form = SignatureForm()
    if request.method == "POST":
        form = SignatureForm(request.POST, request.FILES)
        if form.is_valid():
            services.staff_set_signature(
                user=request.user, image=form.cleaned_data["signature_image"], by=request.user
            )
            messages.success(request, _("Đã cập nhật ảnh chữ ký."))
            return redirect("profile")
    return render(request, "eoffice/profile.html", {"form": form})


@login_required
def staff_signature(request, pk: int):
    """The signature image of a colleague of the same agency (404 for anyone else's)."""
    from eoffice.files import serve_field_file

    person = selectors.staff_get(user=request.user, pk=pk)
    return serve_field_file(person.signature_image, filename="signature.png")


@login_required
def agency_seal(request):
    from eoffice.files import serve_field_file

    if request.user.agency is None:
        from django.http import Http404

        raise Http404
    return serve_field_file(request.user.agency.seal_image, filename="seal.png")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages that carry no icon link (a PDF, a JSON answer, a download)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
