/* eoffice — the small amount of behaviour the shell needs. No inline JS anywhere (CSP script-src 'self').
 *
 *   [data-drawer-toggle]      opens/closes the side menu on narrow screens (body.nav-open)
 *   [data-drawer-close]       closes it (backdrop, close button)
 *   [data-bell]               a link to the notifications page that opens the bell dropdown instead;
 *                             the panel (#bell-panel) loads its content with htmx on "bell-open"
 *   details.dropdown          closes on outside click, on Escape, and when another one opens
 *   [data-dismiss="alert"]    removes the closest .alert
 *   form[data-confirm="…"]    asks for confirmation before submitting
 *   input[data-preview="#id"] shows the chosen image file in <img id="id">
 *   details[data-nav-section]  a menu section: the person's open/closed choice is remembered (localStorage);
 *                             the section of the active entry stays open, and that entry is scrolled into
 *                             view in the sidebar (at load and when the drawer opens)
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function closeDrawer() {
    document.body.classList.remove("nav-open");
    document.querySelectorAll("[data-drawer-toggle]").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
    });
  }

  // ---- menu sections: remembered state, active entry in view ----
  var NAV_KEY = "eoffice.nav-sections";

  function navState() {
    try {
      return JSON.parse(window.localStorage.getItem(NAV_KEY) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function saveNavState(state) {
    try {
      window.localStorage.setItem(NAV_KEY, JSON.stringify(state));
    } catch (e) {
      /* private mode, quota: the server's default applies */
    }
  }

  function showActiveEntry() {
    var nav = document.querySelector(".sidebar-nav");
    var active = nav && nav.querySelector(".nav-link.active");
    if (!active) return;
    var section = active.closest("details");
    if (section && !section.open) section.open = true;
    var box = nav.getBoundingClientRect();
    var at = active.getBoundingClientRect();
    if (at.top < box.top || at.bottom > box.bottom) {
      nav.scrollTop += at.top - box.top - Math.max(0, (box.height - at.height) / 3);
    }
  }

  function setUpNav() {
    var state = navState();
    document.querySelectorAll("details[data-nav-section]").forEach(function (d) {
      var key = d.getAttribute("data-nav-section");
      if (!d.hasAttribute("data-nav-active") && Object.prototype.hasOwnProperty.call(state, key)) {
        d.open = !!state[key];
      }
      d.addEventListener("toggle", function () {
        if (d.hasAttribute("data-nav-active") && !d.open) return; // not remembered: it opens again
        var now = navState();
        now[key] = d.open;
        saveNavState(now);
      });
    });
    showActiveEntry();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpNav);
  else setUpNav();

  function openDrawer() {
    document.body.classList.add("nav-open");
    document.querySelectorAll("[data-drawer-toggle]").forEach(function (b) {
      b.setAttribute("aria-expanded", "true");
    });
    var first = document.querySelector("#sidebar .nav-link, #sidebar a");
    if (first) first.focus({ preventScroll: true });
    showActiveEntry();
  }

  function closeDropdowns(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
    if (except !== "bell") closeBell();
  }

  function bellParts() {
    return { link: document.querySelector("[data-bell]"), panel: document.getElementById("bell-panel") };
  }

  function closeBell() {
    var p = bellParts();
    if (p.panel && !p.panel.hidden) {
      p.panel.hidden = true;
      p.link.setAttribute("aria-expanded", "false");
    }
  }

  function toggleBell() {
    var p = bellParts();
    if (!p.panel) return;
    if (p.panel.hidden) {
      closeDropdowns("bell");
      p.panel.hidden = false;
      p.link.setAttribute("aria-expanded", "true");
      if (window.htmx) {
        window.htmx.trigger(p.panel, "bell-open");
      } else {
        window.location.href = p.link.href;
      }
    } else {
      closeBell();
    }
  }

  document.addEventListener("click", function (event) {
    var t = event.target;
    if (!(t instanceof Element)) return;

    if (t.closest("[data-drawer-toggle]")) {
      event.preventDefault();
      if (document.body.classList.contains("nav-open")) closeDrawer();
      else openDrawer();
      return;
    }
    if (t.closest("[data-drawer-close]")) {
      event.preventDefault();
      closeDrawer();
      return;
    }
    if (t.closest("[data-bell]")) {
      event.preventDefault();
      toggleBell();
      return;
    }
    var dismiss = t.closest("[data-dismiss='alert']");
    if (dismiss) {
      var alert = dismiss.closest(".alert");
      if (alert) alert.remove();
      return;
    }
    var summary = t.closest("details.dropdown > summary");
    if (summary) {
      closeDropdowns(summary.parentElement);
      closeBell();
      return;
    }
    if (!t.closest("details.dropdown")) {
      document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
        d.removeAttribute("open");
      });
    }
    if (!t.closest("#bell-panel")) closeBell();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var openDetails = document.querySelector("details.dropdown[open]");
    if (openDetails) {
      openDetails.removeAttribute("open");
      var s = openDetails.querySelector("summary");
      if (s) s.focus();
    }
    var p = bellParts();
    if (p.panel && !p.panel.hidden) {
      closeBell();
      p.link.focus();
    }
    if (document.body.classList.contains("nav-open")) {
      closeDrawer();
      var toggle = document.querySelector("[data-drawer-toggle]");
      if (toggle) toggle.focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.preview) return;
    var img = document.querySelector(input.dataset.preview);
    if (!img || !input.files || !input.files[0]) return;
    img.src = URL.createObjectURL(input.files[0]);
    img.hidden = false;
    var placeholder = img.parentElement && img.parentElement.querySelector(".signature-placeholder");
    if (placeholder) placeholder.hidden = true;
  });

  // Close the drawer when the window grows past the phone/tablet width.
  var wide = window.matchMedia("(min-width: 961px)");
  var onWide = function (e) {
    if (e.matches) closeDrawer();
  };
  if (wide.addEventListener) wide.addEventListener("change", onWide);
})();
