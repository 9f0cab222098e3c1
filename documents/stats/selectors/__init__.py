"""Processing statistics: what was received or given in a period and where it stands now.

Three levels, one classification (the five *buckets*):

- agency (cơ quan): the incoming documents of the agency received in the period — registered, not
  returned to the sender, not recalled — and, when the kind includes them, its work items (giao việc)
  given in the period (not cancelled); each by the record's own state and deadline;
- unit (đơn vị): the lead parts given to the unit in the period: the top-level lead assignment whose unit
  is that unit. A leader who gives the lead to a person directly gives it to the person's unit too (the
  engine stores the person's unit on the assignment), so such a part counts for that unit; a part given
  to a person of no unit (a leader, usually) counts under "không thuộc đơn vị";
- person (cá nhân): the lead parts the person holds (assignee), given directly or handed on by the head.

Buckets, by the record's (or the part's) **current** state: finished early (completed on a day before
the day of the deadline), on time (completed by the deadline, or no deadline), late (completed after
it); in progress on time (open, not past its deadline now; a paused part counts here, its clock is
stopped) and overdue (open, deadline passed). Received = the five buckets.

Every count is one SQL aggregate with conditional ``Count(filter=…)``, grouped per unit or person;
every count includes only what the viewer may see (a secret document not granted to them is not
counted), and the list behind each number (``records``) is the same queryset filtered by the bucket.

The package by sub-domain: ``buckets`` (the classification and its counts), ``periods``, ``scopes``
(who may see which), ``querysets`` (the rows counted at each level), ``breakdown`` (the numbers of a
page, per unit or person), ``lists`` (the list behind a number) and ``series`` (the dashboard widget).
"""

from __future__ import annotations

from documents.stats.selectors.breakdown import (
    Report,
    Row,
    agency_counts,
    report,
)
from documents.stats.selectors.buckets import (
    BUCKET_LABELS,
    BUCKET_PILLS,
    BUCKET_SHORT,
    BUCKET_TONES,
    BUCKETS,
    GROUPS,
    INCOMING,
    KIND_CHOICES,
    KINDS,
    LIST_BUCKETS,
    PARTS,
    WORK,
    Counts,
    Source,
    bucket_case,
    bucket_q,
    grouped,
    kinds_of,
    local_midnight,
    tally,
)
from documents.stats.selectors.lists import (
    ListItem,
    list_items,
    records,
)
from documents.stats.selectors.periods import (
    Period,
    in_period,
    month_bounds,
    preset_period,
)
from documents.stats.selectors.querysets import (
    content_types,
    incoming_qs,
    parts_qs,
    work_qs,
)
from documents.stats.selectors.scopes import (
    Scope,
    default_scope_key,
    headed_unit,
    parent_scopes,
    resolve_scope,
    scope_choices,
    sees_agency,
    units_in_order,
)
from documents.stats.selectors.series import (
    OPEN_STATUSES,
    STATUS_KEYS,
    Dashboard,
    dashboard,
    dashboard_scope,
)

__all__ = [
    "BUCKETS",
    "GROUPS",
    "LIST_BUCKETS",
    "BUCKET_LABELS",
    "BUCKET_SHORT",
    "BUCKET_TONES",
    "BUCKET_PILLS",
    "KINDS",
    "KIND_CHOICES",
    "kinds_of",
    "Source",
    "INCOMING",
    "WORK",
    "PARTS",
    "local_midnight",
    "bucket_q",
    "bucket_case",
    "grouped",
    "tally",
    "Counts",
    "Period",
    "month_bounds",
    "preset_period",
    "in_period",
    "Scope",
    "sees_agency",
    "headed_unit",
    "default_scope_key",
    "resolve_scope",
    "parent_scopes",
    "scope_choices",
    "units_in_order",
    "content_types",
    "incoming_qs",
    "work_qs",
    "parts_qs",
    "Row",
    "Report",
    "report",
    "agency_counts",
    "ListItem",
    "records",
    "list_items",
    "OPEN_STATUSES",
    "STATUS_KEYS",
    "Dashboard",
    "dashboard_scope",
    "dashboard",
]
