"""Every write of the complaints module: keyword-only, one transaction, the row locked through the access
helpers of ``selectors`` (``lock=True``), the actor's right checked here, history written, tasks queued on
commit. By sub-domain: ``common`` (register numbers, tracking codes, the clock and its assignment, history),
``identity`` (the people behind a letter, encrypted; reading a protected identity), ``reception``
(reception sessions, visits), ``letters`` (registering a letter, its scans, classification, splitting,
duplicates), ``intake`` (the outcomes: accept, refuse, forward, guide, keep), ``resolution`` (verification,
dialogue, suspension, complexity, extension, withdrawal, result, delivery, publication, second instance),
``drafting`` (documents drafted from a case through the outgoing flow), ``redaction`` (the redacted copy),
``online`` (the public filing), ``answers`` (published answers).
Callers: ``from complaints import services; services.letter_register(...)``.
"""

from complaints.services.answers import *  # noqa: F403
from complaints.services.clock import *  # noqa: F403
from complaints.services.common import *  # noqa: F403
from complaints.services.drafting import *  # noqa: F403
from complaints.services.identity import *  # noqa: F403
from complaints.services.intake import *  # noqa: F403
from complaints.services.letters import *  # noqa: F403
from complaints.services.online import *  # noqa: F403
from complaints.services.reception import *  # noqa: F403
from complaints.services.redaction import *  # noqa: F403
from complaints.services.resolution import *  # noqa: F403
