"""Write the cases of an agency in the documented JSON exchange format (docs/complaints-export.md), for the
national database of complaints and denunciations. No identity is written (see complaints.export)."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from complaints.export import cases_for_export, export_json
from complaints.models import Case
from documents.stats.selectors import Period
from eoffice.models import Agency


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Export the cases of an agency received in a period as JSON (no identity is ever included)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, required=True, help="agency id")
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--output", "-o", default="-", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(pk=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with id {options['agency']}")
        date_from, date_to = _day(options["date_from"]), _day(options["date_to"])
        if date_from > date_to:
            raise CommandError("--from is after --to")
        period = Period(date_from, date_to)
        cases = cases_for_export(Case.objects.filter(agency=agency), period)
        data = export_json(cases, agency=agency, period=period)
        if options["output"] == "-":
            sys.stdout.buffer.write(data + b"\n")
        else:
            with open(options["output"], "wb") as out:
                out.write(data)
            self.stdout.write(f"{options['output']}: {len(cases)} cases")
