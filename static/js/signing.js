/* signing app behaviour (no inline JS: CSP script-src 'self').
 *
 *   input[data-check-all="name"]   ticks / unticks every checkbox named "name" in its form, and follows them
 *   form[data-signing-batch]       disables its submit button once sent (no double batch)
 *   input[type=file][data-file-name="#id"]  shows the chosen file's name in #id (the native text is the
 *                                  browser's language, not the page's)
 */
(function () {
  "use strict";

  function boxes(master) {
    var form = master.form || document;
    return Array.prototype.slice.call(
      form.querySelectorAll('input[type="checkbox"][name="' + master.getAttribute("data-check-all") + '"]')
    );
  }

  function sync(master) {
    var all = boxes(master);
    var ticked = all.filter(function (b) { return b.checked; }).length;
    master.checked = all.length > 0 && ticked === all.length;
    master.indeterminate = ticked > 0 && ticked < all.length;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("input[data-check-all]")) {
      boxes(target).forEach(function (b) { b.checked = target.checked; });
      return;
    }
    if (target.matches("input[type=file][data-file-name]")) {
      var out = document.querySelector(target.getAttribute("data-file-name"));
      if (out && target.files && target.files.length) out.textContent = target.files[0].name;
      return;
    }
    if (target.matches('input[type="checkbox"][name]')) {
      document.querySelectorAll('input[data-check-all="' + target.name + '"]').forEach(sync);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-signing-batch]")) return;
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-check-all]").forEach(sync);
  });
})();
