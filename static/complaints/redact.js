// The redaction tool: draw rectangles on the page images; the boxes go to the server as fractions of the
// page (page, x, y, w, h), where they are burned into the pixels. Click a box to remove it.
(function () {
  "use strict";
  var form = document.getElementById("redact-form");
  if (!form) return;
  var field = document.getElementById("redact-boxes");
  var counter = document.getElementById("redact-count");
  var boxes = [];

  function sync() {
    field.value = JSON.stringify(boxes.map(function (b) { return { page: b.page, x: b.x, y: b.y, w: b.w, h: b.h }; }));
    counter.textContent = boxes.length ? counter.dataset.some + " " + boxes.length : counter.dataset.empty;
  }

  function place(el, b) {
    el.style.left = (b.x * 100) + "%";
    el.style.top = (b.y * 100) + "%";
    el.style.width = (b.w * 100) + "%";
    el.style.height = (b.h * 100) + "%";
  }

  form.querySelectorAll(".redact-page").forEach(function (figure) {
    var page = parseInt(figure.dataset.page, 10);
    var canvas = figure.querySelector(".redact-canvas");
    var start = null;
    var current = null;

    function point(event) {
      var r = canvas.getBoundingClientRect();
      return {
        x: Math.min(1, Math.max(0, (event.clientX - r.left) / r.width)),
        y: Math.min(1, Math.max(0, (event.clientY - r.top) / r.height)),
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.target.classList.contains("redact-box")) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      start = point(event);
      current = { page: page, x: start.x, y: start.y, w: 0, h: 0, el: document.createElement("div") };
      current.el.className = "redact-box drawing";
      canvas.appendChild(current.el);
      place(current.el, current);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) return;
      var p = point(event);
      current.x = Math.min(start.x, p.x);
      current.y = Math.min(start.y, p.y);
      current.w = Math.abs(p.x - start.x);
      current.h = Math.abs(p.y - start.y);
      place(current.el, current);
    });
    function finish() {
      if (!current) return;
      var b = current;
      current = null;
      if (b.w < 0.005 || b.h < 0.005) { b.el.remove(); return; }
      b.el.classList.remove("drawing");
      b.el.setAttribute("role", "button");
      b.el.setAttribute("title", "×");
      b.el.addEventListener("click", function () {
        boxes = boxes.filter(function (o) { return o !== b; });
        b.el.remove();
        sync();
      });
      boxes.push(b);
      sync();
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
  });

  form.addEventListener("submit", function (event) {
    if (!boxes.length) { event.preventDefault(); counter.focus(); }
  });
})();
