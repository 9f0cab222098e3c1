"""The output layer: what the apps write for people to read or print (see docs/ARCHITECTURE.md). Apps pass in
their data and templates; nothing here imports a business app.

- ``header``: the Decree-30 agency header block (``templates/eoffice/output/_agency_header.html``);
- ``pdf``: HTML → PDF with WeasyPrint, the shipped Liberation Serif and a fetcher that stays off the network
  (Decree-30 documents, one-stop forms);
- ``register``: the long-table register PDF, drawn with ReportLab (hundreds of rows in a fraction of a
  second);
- ``excel``: the one Excel writer; every workbook the system hands out is written through it;
- ``report``: the statistics report, as PDF (``templates/eoffice/output/report_pdf.html``) and Excel.
"""
