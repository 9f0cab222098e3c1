/* documents — no behaviour needed yet beyond app.js (data-confirm, dropdowns). The inline PDF viewer of the
 * detail page is static/js/pdfview.js (a module loaded by templates/_pdf_viewer.html). */
