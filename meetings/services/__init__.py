"""Every write of the meetings module: keyword-only, one transaction, the row locked through
``selectors.meeting_access(lock=True)``, the actor's right checked here, history written, tasks queued on
commit. By sub-domain: ``fields`` (the input of a booking), ``conflicts`` (its checks: the room locked,
overlaps, the warnings shown before saving), ``booking`` (register, approve, reject, cancel), ``changes``
(changes after approval, with a reason and whom to tell; postponement), ``schedule`` (publishing a week,
duty roster, reception days, unlocking a unit, what a person last saw), ``invitations`` (calendar e-mails,
feeds, the Giấy mời through the outgoing flow), ``reminders``, ``paperless`` (files, comments, roll call,
substitutes, votes), ``minutes`` (biên bản and its signatures, the conclusion notice and its tasks).
Callers: ``from meetings import services; services.meeting_register(...)``.
"""

from meetings.services.booking import *  # noqa: F403
from meetings.services.changes import *  # noqa: F403
from meetings.services.conflicts import *  # noqa: F403
from meetings.services.fields import *  # noqa: F403
from meetings.services.invitations import *  # noqa: F403
from meetings.services.minutes import *  # noqa: F403
from meetings.services.paperless import *  # noqa: F403
from meetings.services.reminders import *  # noqa: F403
from meetings.services.schedule import *  # noqa: F403
