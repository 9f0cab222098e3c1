"""Writes of incoming documents: keyword-only, one transaction, the record locked through its access helper,
the right checked, history written. The package re-exports every service, so that callers keep
``from documents.incoming import services; services.incoming_direct(...)``.

Flow of an incoming document (NĐ 30 Điều 20–24):
receive (clerk; NEW) → register: incoming number (RECEIVED, "chờ chỉ đạo") → direct: instruction, lead,
coordinators, informed, deadline (ASSIGNED) → the head hands the unit's part to an officer → progress
(PROCESSING) → finish (ARCHIVED); side exits: return to sender (RETURNED); the leader can reopen.

A document delivered electronically by an outgoing document of this installation arrives NEW with no
receiving person (``documents.outgoing.delivery``); each step above is reported back to the sender in the
same transaction (``common.sync_sender``). A document recalled by its sender (``recalled_at``) accepts no
further step except the clerk's confirmation of the recall.

- ``receive``: receive, register, return to sender, attachments, the recall's confirmation;
- ``direct``: the leader's direction, its delegation, the head's forward to an officer;
- ``process``: start, progress, input of coordinators, proposal, reply, finish, reopen, the close by an
  issued reply, and the page's plain buttons (``incoming_action``);
- ``grants``: explicit view rights on secret documents, the log of their views;
- ``common``: the lock through the access helper, the report to the sender, the grant of view rights.
"""

from documents.incoming.services.common import view_permission
from documents.incoming.services.direct import (
    incoming_delegate,
    incoming_direct,
    incoming_forward,
)
from documents.incoming.services.grants import (
    incoming_grant,
    incoming_view_logged,
)
from documents.incoming.services.process import (
    incoming_action,
    incoming_close_by_reply,
    incoming_coordinate_reply,
    incoming_finish,
    incoming_link_reply,
    incoming_progress,
    incoming_propose,
    incoming_reopen,
    incoming_request_input,
    incoming_start,
)
from documents.incoming.services.receive import (
    DuplicateWarning,
    incoming_add_attachments,
    incoming_confirm_recall,
    incoming_receive,
    incoming_register,
    incoming_return,
    verify_signatures,
)

__all__ = [
    "DuplicateWarning",
    "incoming_action",
    "incoming_add_attachments",
    "incoming_close_by_reply",
    "incoming_confirm_recall",
    "incoming_coordinate_reply",
    "incoming_delegate",
    "incoming_direct",
    "incoming_finish",
    "incoming_forward",
    "incoming_grant",
    "incoming_link_reply",
    "incoming_progress",
    "incoming_propose",
    "incoming_receive",
    "incoming_register",
    "incoming_reopen",
    "incoming_request_input",
    "incoming_return",
    "incoming_start",
    "incoming_view_logged",
    "verify_signatures",
    "view_permission",
]
