"""Thin views: parse, call one service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from eoffice.files import serve_field_file
from signing import engine, selectors, services
from signing.forms import BatchSignForm, VerifyUploadForm
from signing.models import PublicVerification, SignatureRequest
from signing.verification import verify_pdf


@login_required
def certificates(request):
    return render(
        request,
        "signing/certificates.html",
        {"credentials": selectors.credentials_of(request.user), "logs": selectors.recent_logs(request.user)},
    )


@login_required
def pending(request):
    queryset = selectors.pending_requests(request.user)
    form = BatchSignForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_start(
                signer=request.user,
                request_ids=[r.pk for r in form.cleaned_data["requests"]],
                pin=form.cleaned_data["pin"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("signing:batch", pk=batch.pk)
    locked = [c for c in selectors.credentials_of(request.user) if c.is_pin_locked]
    return render(request, "signing/pending.html", {"form": form, "items": queryset, "locked": locked})


def _batch_context(request, pk):
    batch = selectors.batch_access(user=request.user, pk=pk)
    items = list(selectors.batch_items(batch))
    statuses = [i.status for i in items]
    signed = statuses.count(SignatureRequest.Status.SIGNED)
    failed = statuses.count(SignatureRequest.Status.FAILED)
    done = signed + failed + statuses.count(SignatureRequest.Status.AWAITING_REMOTE)
    finished = done == len(items)
    return {
        "batch": batch,
        "items": items,
        "done": done,
        "signed": signed,
        "failed": failed,
        "total": len(items),
        "finished": finished,
        # the worker stopped (killed, restarted): the beat scan queues the rest again (services.batches)
        "stalled": not finished and batch.heartbeat_at < timezone.now() - services.batches.STALE_AFTER,
        "resumed": not finished and batch.runs > 1,
    }


@login_required
def batch_detail(request, pk: int):
    return render(request, "signing/batch.html", _batch_context(request, pk))


@login_required
@never_cache
def batch_progress(request, pk: int):
    context = _batch_context(request, pk)
    response = render(request, "signing/_batch_progress.html", context)
    if context["finished"]:
        response["HX-Trigger"] = "signing-batch-finished"
    return response


@login_required
def request_file(request, pk: int):
    item = selectors.signature_request_access(user=request.user, pk=pk)
    signed = request.GET.get("signed") == "1" and item.status == SignatureRequest.Status.SIGNED
    return serve_field_file(
        item.result if signed else item.pdf, filename=f"{item.pk}{'-signed' if signed else ''}.pdf"
    )


@login_required
def verify(request):
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    report = record = None
    if request.method == "POST" and form.is_valid():
        report = verify_pdf(form.cleaned_data["file"].read())
        record = selectors.public_record_for(report.sha256)
    return render(request, "signing/verify.html", {"form": form, "report": report, "record": record})


def public_verify(request, code: str):
    if "\x00" in code or len(code) > PublicVerification._meta.get_field("code").max_length:
        raise Http404  # no stored code has these (PostgreSQL text holds no NUL: a query would fail)
    record = get_object_or_404(PublicVerification, code=code)
    if request.GET.get("download") == "1":
        if not record.allow_download:
            raise Http404
        return serve_field_file(record.file, filename=f"{record.code}.pdf", inline=False)
    from signing.verification import VerificationReport

    return render(
        request,
        "signing/public_verify.html",
        {"record": record, "report": VerificationReport.from_dict(record.report)},
    )


@csrf_exempt
def tsa(request):
    """RFC 3161 over HTTP with the TEST TSA key (development and tests only: SIGNING_LOCAL_TSA)."""
    if not settings.SIGNING_LOCAL_TSA or engine.local_authority() is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.content_type != "application/timestamp-query":
        return HttpResponse(status=415)
    try:
        body = engine.answer_timestamp_request(request.body)
    except engine.SigningError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, content_type="application/timestamp-reply")


def test_ca(request):
    """The TEST CA certificate, for people who want to trust demo signatures in their PDF reader."""
    authority = engine.local_authority()
    if authority is None or not settings.SIGNING_TRUST_TEST_CA:
        raise Http404
    response = HttpResponse(authority.cert_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="eoffice-test-ca.pem"'
    return response
