"""Give every demo leader and every agency a TEST credential signed by a local TEST CA. Idempotent.

These are test certificates: trusted only by this installation (SIGNING_TRUST_TEST_CA), worthless elsewhere.
PIN of every demo credential: settings.SIGNING_DEMO_PIN ("123456").
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from eoffice.models import Agency, AgencyRole, Role, User
from signing import pki
from signing.models import Credential, CredentialKind
from signing.services import demo_credential_create


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm và chứng thư số thử nghiệm cho lãnh đạo và cơ quan (PIN: SIGNING_DEMO_PIN)."

    def handle(self, *args, **options):
        authority = pki.ensure_test_authority(settings.SIGNING_PKI_DIR)
        pin = settings.SIGNING_DEMO_PIN
        made = 0
        with transaction.atomic():
            for agency in Agency.objects.filter(is_active=True):
                if not Credential.objects.filter(
                    agency=agency, kind=CredentialKind.SEAL, is_active=True
                ).exists():
                    demo_credential_create(
                        authority=authority,
                        agency=agency,
                        owner=None,
                        common_name=agency.name,
                        organisation=agency.name,
                        pin=pin,
                    )
                    made += 1
            groups = AgencyRole.objects.filter(role=Role.LEADER).values_list("group_id", flat=True)
            leaders = User.objects.filter(groups__in=groups, is_active=True, agency__isnull=False).distinct()
            for user in leaders.select_related("agency"):
                if not Credential.objects.filter(owner=user, is_active=True).exists():
                    demo_credential_create(
                        authority=authority,
                        agency=user.agency,
                        owner=user,
                        common_name=user.full_name or user.username,
                        organisation=user.agency.name,
                        pin=pin,
                    )
                    made += 1
        self.stdout.write(
            f"signing: {made} test credential(s) created; test CA in {settings.SIGNING_PKI_DIR}"
        )
