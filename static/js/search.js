/* eoffice — the top-bar search box (templates/base.html, form[data-topbar-search]).
 *
 * On a wide screen the box is always there. On a phone only its button shows: the first press opens the
 * field as a full-width row under the top bar (and focuses it), a press with words in it searches;
 * Escape or a click elsewhere closes an empty field. Without JavaScript the button opens the search page.
 */
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 720px)");

  function parts() {
    var form = document.querySelector("form[data-topbar-search]");
    if (!form) return null;
    return {
      form: form,
      input: form.querySelector("input[name=q]"),
      button: form.querySelector("[data-topbar-search-toggle]"),
    };
  }

  function setOpen(p, open) {
    p.form.classList.toggle("is-open", open);
    p.button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) p.input.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var p = parts();
    if (!p) return;
    if (narrow.matches) p.button.setAttribute("aria-expanded", "false");

    p.button.addEventListener("click", function (event) {
      if (!narrow.matches) return;
      var open = p.form.classList.contains("is-open");
      if (!open || !p.input.value.trim()) {
        event.preventDefault();
        setOpen(p, !open);
      }
    });

    p.form.addEventListener("submit", function (event) {
      if (!p.input.value.trim() && narrow.matches && !p.form.classList.contains("is-open")) {
        event.preventDefault();
        setOpen(p, true);
      }
    });

    p.input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && p.form.classList.contains("is-open")) {
        setOpen(p, false);
        p.button.focus();
      }
    });

    document.addEventListener("click", function (event) {
      if (!p.form.classList.contains("is-open")) return;
      if (event.target instanceof Element && event.target.closest("form[data-topbar-search]")) return;
      if (!p.input.value.trim()) setOpen(p, false);
    });

    narrow.addEventListener("change", function () {
      if (!narrow.matches) {
        p.form.classList.remove("is-open");
        p.button.removeAttribute("aria-expanded");
      } else {
        p.button.setAttribute("aria-expanded", "false");
      }
    });
  });
})();
