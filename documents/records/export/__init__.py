"""The outputs of records management (Decree 30 Phụ lục VI III.4g, III.5e, V.5, V.6; Phụ lục V mục III, IV,
V): the table of contents of a file, the list of files, the whole file as one PDF and as a package of its
files with XML metadata, and the transfer's list and hand-over record. The functions live in ``printing``
(the PDFs) and ``package`` (the ZIP); views in ``views.py`` (routes in ``urls.py``); the XML format in
docs/records-xml.md."""
