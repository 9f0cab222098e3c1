/* onestop — the counter screen's small helpers. No inline JS (CSP); the page works without it.
 *
 *   [data-paper] checkboxes    the decision follows the checklist (valid when every mandatory paper is
 *                              ticked, otherwise "incomplete") until the officer picks one; the list of
 *                              missing papers is pre-filled from the unticked mandatory ones until edited
 *   [data-tick-all]            ticks every paper of the checklist
 *   input[data-scan]           shows the chosen file's name on its label
 *   [data-add-extra]           adds a line to "Giấy tờ khác" from <template id="os-extra-template">
 *   Enter in a one-line field  moves to the next field instead of submitting the counter form (the
 *                              decision is taken with its own button, never by accident)
 *   htmx swaps of #os-papers   (the procedure changed) run the same again
 */
(function () {
  "use strict";

  function decisionOf(form) {
    return {
      radios: form.querySelectorAll('input[name="outcome"]'),
      missing: form.querySelector('textarea[name="missing"]'),
      warning: form.querySelector("[data-missing-warning]"),
      warningText: form.querySelector("[data-missing-warning-text]"),
    };
  }

  function refresh(form) {
    var boxes = form.querySelectorAll("input[data-paper]");
    if (!boxes.length) return;
    var lacking = [];
    boxes.forEach(function (box) {
      var row = box.closest(".os-paper");
      var scan = row && row.querySelector("input[data-scan]");
      var hasFile = scan && scan.files && scan.files.length > 0;
      if (box.dataset.mandatory === "1" && !box.checked && !hasFile) lacking.push(box.dataset.name);
    });
    var d = decisionOf(form);
    if (d.missing && !d.missing.dataset.touched) d.missing.value = lacking.join("\n");
    if (!form.dataset.outcomeChosen) {
      var want = lacking.length ? "incomplete" : "valid";
      d.radios.forEach(function (r) {
        r.checked = r.value === want;
      });
    }
    if (d.warning) {
      d.warning.hidden = lacking.length === 0;
      if (d.warningText) {
        d.warningText.textContent =
          (form.dataset.lackingText || "Còn thiếu giấy tờ bắt buộc: ") + lacking.join("; ");
      }
    }
  }

  function showFileName(input) {
    var label = input.closest(".os-scan");
    if (!label) return;
    var text = label.querySelector("[data-file-label]");
    var has = input.files && input.files.length > 0;
    if (text) {
      if (!text.dataset.empty) text.dataset.empty = text.textContent;
      text.textContent = has ? input.files[0].name : text.dataset.empty;
    }
    label.classList.toggle("has-file", has);
    label.title = has ? input.files[0].name : label.title;
  }

  function addExtra(form) {
    var list = form.querySelector("#os-extra-list");
    var tpl = form.querySelector("#os-extra-template");
    if (!list || !tpl) return;
    var index = parseInt(list.dataset.next || "1", 10);
    if (index >= 20) return;
    var html = tpl.innerHTML.replace(/__i__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    list.dataset.next = String(index + 1);
    var input = list.lastElementChild && list.lastElementChild.querySelector("input[type=text]");
    if (input) input.focus();
  }

  function init(form) {
    if (form.dataset.osReady) return;
    form.dataset.osReady = "1";
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (t.matches("input[data-paper]")) refresh(form);
      else if (t.matches("input[data-scan]")) {
        showFileName(t);
        refresh(form);
      } else if (t.matches('input[name="outcome"]') && e.isTrusted) form.dataset.outcomeChosen = "1";
    });
    form.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "Enter" || e.isComposing || !t.matches("input") || t.closest(".picker")) return;
      if (/^(checkbox|radio|file|submit|button)$/.test(t.type)) return;
      e.preventDefault();
      var fields = Array.prototype.filter.call(
        form.querySelectorAll("input:not([type=hidden]), select, textarea, button"),
        function (el) {
          return !el.disabled && el.offsetParent !== null && el.tabIndex >= 0;
        }
      );
      var next = fields[fields.indexOf(t) + 1];
      if (next) next.focus();
    });
    form.addEventListener("input", function (e) {
      if (e.target.matches('textarea[name="missing"]')) e.target.dataset.touched = "1";
    });
    form.addEventListener("click", function (e) {
      var tick = e.target.closest("[data-tick-all]");
      if (tick) {
        form.querySelectorAll("input[data-paper]").forEach(function (b) {
          b.checked = true;
        });
        refresh(form);
      }
      if (e.target.closest("[data-add-extra]")) addExtra(form);
    });
    // A re-shown form (errors) keeps what the officer chose and wrote.
    var d = decisionOf(form);
    if (form.querySelector(".errorlist, .alert-error")) {
      form.dataset.outcomeChosen = "1";
      if (d.missing && d.missing.value) d.missing.dataset.touched = "1";
    }
    form.querySelectorAll("input[data-scan]").forEach(showFileName);
    refresh(form);
  }

  function boot() {
    var form = document.getElementById("os-receive");
    if (form) init(form);
  }

  document.addEventListener("DOMContentLoaded", boot);
  document.addEventListener("htmx:afterSwap", function (e) {
    var form = document.getElementById("os-receive");
    if (form && e.target && e.target.id === "os-papers") refresh(form);
  });
})();
