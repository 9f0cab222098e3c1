"""What goes with an outgoing document (Phụ lục I): appendices printed after the signature in the body's
own PDF, and attached files (văn bản / tài liệu kèm theo), each stamped with the number and the agency's
signing time and signed with the agency's certificate at issuance.

``services`` (every write: appendices and attachments while the draft is editable, the stamp and signature
at issuance), ``selectors`` (reads), ``forms``, ``views`` and ``urls`` (the page "Phụ lục và tệp kèm theo"
reached from the document, and the permission-checked download)."""
