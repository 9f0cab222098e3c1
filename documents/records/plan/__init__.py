"""The annual file plan (Danh mục hồ sơ, Decree 30 Phụ lục V mục I–II; Phụ lục VI III.4a).

The office (clerks, agency admins) drafts the plan of a year: large headings (Roman numerals, with the
abbreviation that goes into the file symbols), small headings inside them (Arabic numerals) and the planned
case files, numbered ``01.TCCB`` continuously in the plan or within each large heading. A draft is copied
forward from last year's plan. "Trình ban hành" drafts the decision (Quyết định ban hành Danh mục hồ sơ) as an
outgoing document signed by the head of the agency; when that decision is issued the plan is approved and
read-only but for the ad-hoc entries added when someone opens a file outside the plan; a decision cancelled
or recalled returns the plan to a draft. People then open their case files from the approved plan.

Modules: ``rules`` (predicates, numerals), ``selectors`` (reads), ``services`` (writes), ``receivers``
(the outgoing flow's issue, cancel and recall), ``pdf`` (the printed plan, Phụ lục V mục II), ``forms``,
``views``, ``urls``, ``menus``.
"""
