/* documents — no behaviour needed yet beyond app.js (data-confirm, dropdowns). */
