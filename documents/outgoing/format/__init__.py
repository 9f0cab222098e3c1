"""Văn phòng's check of format and presentation before signing (NĐ 30 Điều 12.2, Phụ lục VI III.5.a).

``reviewers`` (who checks which type in an agency), ``checks`` (the checklist of Phụ lục I with its automatic
rows), ``services`` (approve, return, the agency's assignments), ``selectors``, ``forms`` and ``views`` (the
agency's assignment page; the check itself is made on the document's page)."""
