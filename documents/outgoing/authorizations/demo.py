"""Demo data: Sở Kế hoạch và Đầu tư's signing authorisations, made through the service. The head of the
Đăng ký kinh doanh unit signs letters and invitations TUQ. the director this quarter; the deputy director's
earlier Q. (acting director during the director's leave) ended and is kept in the history. Idempotent."""

from __future__ import annotations

from datetime import timedelta


def seed_authorizations(stdout) -> None:
    from django.utils import timezone

    from documents.models import DocumentType
    from documents.outgoing.authorizations import services
    from documents.outgoing.models import SigningAuthorization
    from eoffice.demo import SKHDT
    from eoffice.models import Agency, User

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None or SigningAuthorization.objects.filter(agency=agency).exists():
        return
    people = {u.username: u for u in User.objects.filter(agency=agency)}
    try:
        admin, director = people["quantri.skhdt"], people["giamdoc.skhdt"]
        deputy, unit_head = people["phogiamdoc.skhdt"], people["truongphong.skhdt"]
    except KeyError:
        return
    today = timezone.localdate()
    types = list(DocumentType.objects.filter(name__in=["Công văn", "Giấy mời"]))
    services.authorization_create(
        by=admin,
        fields=services.AuthorizationFields(
            authority=SigningAuthorization.Authority.TUQ,
            grantee=unit_head,
            grantor=director,
            authority_title="GIÁM ĐỐC",
            doc_types=types,
            scope="Công văn, giấy mời về đăng ký doanh nghiệp, hộ kinh doanh.",
            valid_from=today - timedelta(days=20),
            valid_to=today + timedelta(days=70),
            decision_number="118/QĐ-SKHĐT",
            decision_date=today - timedelta(days=21),
        ),
    )
    acting = services.authorization_create(
        by=admin,
        fields=services.AuthorizationFields(
            authority=SigningAuthorization.Authority.Q,
            grantee=deputy,
            grantor=director,
            authority_title="GIÁM ĐỐC",
            scope="Điều hành hoạt động của Sở trong thời gian Giám đốc đi học tập trung.",
            valid_from=today - timedelta(days=120),
            valid_to=today - timedelta(days=60),
            decision_number="74/QĐ-SKHĐT",
            decision_date=today - timedelta(days=122),
        ),
    )
    services.authorization_revoke(by=admin, pk=acting.pk, reason="Giám đốc trở lại làm việc trước thời hạn.")
    stdout.write("  signing authorisations: 2 (TUQ. current, Q. ended)\n")
