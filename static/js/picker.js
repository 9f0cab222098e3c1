/* eoffice — searchable picker for <select data-picker> and <select multiple data-picker> (recipients among
 * hundreds of agencies, people of an agency). Vanilla JS, no dependency, no inline style (CSP).
 *
 *   - a text box filters the options as you type, Vietnamese-aware: diacritics folded and đ→d, every word
 *     must appear ("so ke hoach" finds "Sở Kế hoạch và Đầu tư"), in the option's text or its group's label;
 *     the matched words are marked;
 *   - the matches are ranked (rank(), the same for every picker): the name is the query, then the name
 *     starts with it, then the name holds it as a phrase, then the name holds every word in any order, then
 *     the words that are only in the detail (an option's data-name is its name without the detail, such as
 *     the parent agency or the procedure's code: eoffice.widgets.PickerLabel) or in the group's label;
 *     equal ranks keep the server's order (by name). The first one is active, so Enter takes the best;
 *   - optgroups are group headers; the chosen items are chips with a remove (×) button;
 *   - keyboard: ↓/↑ move, Enter chooses (in a multiple picker: toggles and stays open), Escape closes,
 *     Backspace in the empty box removes the last chip, Tab leaves; ARIA combobox + listbox;
 *   - the <select> stays the form field (visually hidden, in the DOM): the form posts as before, the
 *     server's messages show under it through templates/_field.html; a "required" select that the browser
 *     finds empty marks the picker and shows the browser's message;
 *   - texts come from data-picker-i18n (JSON, gettext in eoffice/widgets.py), Vietnamese by default;
 *   - at most 100 options are drawn at once (the rest: "type more to narrow").
 *
 * Loaded on every page by base.html (defer); does nothing without a select[data-picker]; also enhances
 * content that htmx swaps in (htmx:load). Outside changes to the select (a "change" event) redraw the chips.
 */
(function () {
  "use strict";
  if (window.eofficePicker) return;

  var TEXTS = {
    placeholder: "Gõ để tìm…",
    noResults: "Không tìm thấy kết quả phù hợp",
    more: "Còn {n} kết quả nữa — gõ thêm để thu hẹp",
    remove: "Bỏ chọn: {label}",
    selected: "Đã chọn: {label}",
    removed: "Đã bỏ chọn: {label}",
    chosen: "Các mục đã chọn",
  };
  var LIMIT = 100;

  function fold(text) {
    return (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
  }

  // One folded character per character of the (NFC) text, so that match positions map back to the text.
  function foldChars(chars) {
    return chars
      .map(function (ch) {
        var f = fold(ch);
        return f.length === 1 ? f : f.charAt(0) || " ";
      })
      .join("");
  }

  // What the filter and the ranking know of an option: its text, its name (data-name, without the detail;
  // the text when absent) and its group's label, folded.
  function entry(text, name, group) {
    var chars = Array.from(text);
    var folded = foldChars(chars);
    name = (name || "").normalize("NFC").trim();
    return {
      text: text,
      chars: chars,
      folded: folded,
      nameFolded: name ? fold(name) : folded,
      groupFolded: fold(group),
      group: group,
    };
  }

  // Folded text as words for phrase comparisons: punctuation and runs of spaces become one space.
  function words(folded) {
    return folded.replace(/[^0-9a-z]+/g, " ").trim();
  }

  // How an entry ({folded, nameFolded, groupFolded}: folded text) matches the folded query words, lower is
  // better: 0 the name is the query, 1 the name starts with it, 2 the name holds it as a phrase (from the
  // start of a word), 3 the name holds every word, 4 some words only in the detail or the group's label;
  // -1 when a word is nowhere.
  function rank(entry, tokens) {
    var found = tokens.every(function (t) {
      return entry.folded.indexOf(t) >= 0 || entry.groupFolded.indexOf(t) >= 0;
    });
    if (!found) return -1;
    if (!tokens.length) return 0;
    var query = words(tokens.join(" "));
    var name = words(entry.nameFolded);
    if (query) {
      if (name === query) return 0;
      if (name.indexOf(query) === 0) return 1;
      if ((" " + name).indexOf(" " + query) >= 0) return 2;
    }
    var inName = tokens.every(function (t) {
      return entry.nameFolded.indexOf(t) >= 0;
    });
    return inName ? 3 : 4;
  }

  // The entries that match the query, best first; equal ranks keep their order (the server's).
  function ranked(entries, query) {
    var tokens = fold(query).split(/\s+/).filter(Boolean);
    var scored = [];
    entries.forEach(function (entry, i) {
      var r = rank(entry, tokens);
      if (r >= 0) scored.push({ entry: entry, rank: r, index: i });
    });
    scored.sort(function (a, b) {
      return a.rank - b.rank || a.index - b.index;
    });
    return scored.map(function (s) {
      return s.entry;
    });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return key in values ? String(values[key]) : m;
    });
  }

  function textsFor(select) {
    var texts = {};
    Object.keys(TEXTS).forEach(function (k) {
      texts[k] = TEXTS[k];
    });
    try {
      var given = JSON.parse(select.getAttribute("data-picker-i18n") || "{}");
      Object.keys(given).forEach(function (k) {
        texts[k] = given[k];
      });
    } catch (e) {
      /* keep the defaults */
    }
    return texts;
  }

  var uid = 0;

  function enhance(select) {
    if (select.hasAttribute("data-picker-ready")) return;
    select.setAttribute("data-picker-ready", "");
    var texts = textsFor(select);
    var multiple = select.multiple;
    uid += 1;
    var id = (select.id || "picker-" + uid) + "-picker";

    var items = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value === "") return; // the "---------" of a single select: clearing a chip selects it
      var text = (option.textContent || "").normalize("NFC").trim();
      var group = option.parentElement && option.parentElement.nodeName === "OPTGROUP" ? option.parentElement.label : "";
      var item = entry(text, option.getAttribute("data-name"), group);
      item.option = option;
      items.push(item);
    });
    var emptyOption = Array.prototype.filter.call(select.options, function (o) {
      return o.value === "";
    })[0];
    var clearable = multiple || !!emptyOption;

    var root = document.createElement("div");
    root.className = "picker " + (multiple ? "picker-multiple" : "picker-single");
    var control = document.createElement("div");
    control.className = "picker-control";
    var chips = document.createElement("ul");
    chips.className = "picker-chips";
    chips.setAttribute("aria-label", texts.chosen);
    var input = document.createElement("input");
    input.type = "text";
    input.className = "picker-input";
    input.id = id + "-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    input.setAttribute("enterkeyhint", "done");
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    var live = document.createElement("div");
    live.className = "sr-only";
    live.setAttribute("aria-live", "polite");

    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      if (!label.id) label.id = id + "-label";
      input.setAttribute("aria-labelledby", label.id);
      list.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (e) {
        e.preventDefault();
        input.focus();
      });
    }
    if (select.required) input.setAttribute("aria-required", "true");
    var row = select.closest(".form-row");
    if (row) {
      var described = [];
      row.querySelectorAll(".helptext, .errorlist").forEach(function (el, i) {
        if (!el.id) el.id = id + "-desc-" + i;
        described.push(el.id);
      });
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      if (row.classList.contains("has-error")) input.setAttribute("aria-invalid", "true");
    }
    if (select.disabled) {
      input.disabled = true;
      root.classList.add("is-disabled");
    }

    // the text box is the list's last item (role=none), so that it flows right after the last chip
    var inputItem = document.createElement("li");
    inputItem.className = "picker-input-item";
    inputItem.setAttribute("role", "none");
    inputItem.appendChild(input);
    chips.appendChild(inputItem);
    control.appendChild(chips);
    root.appendChild(control);
    root.appendChild(list);
    root.appendChild(live);
    select.parentNode.insertBefore(root, select.nextSibling);
    select.classList.add("picker-native");
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    var visible = []; // items drawn in the list, in order
    var active = -1;

    function announce(message) {
      live.textContent = "";
      window.setTimeout(function () {
        live.textContent = message;
      }, 30);
    }

    function selectedItems() {
      return items.filter(function (item) {
        return item.option.selected;
      });
    }

    function renderChips() {
      chips.querySelectorAll(".picker-chip").forEach(function (old) {
        chips.removeChild(old);
      });
      var chosen = selectedItems();
      chosen.forEach(function (item) {
        var chip = document.createElement("li");
        chip.className = "picker-chip";
        var text = document.createElement("span");
        text.className = "picker-chip-label";
        text.textContent = item.text;
        text.title = item.group ? item.text + " — " + item.group : item.text;
        chip.appendChild(text);
        if (clearable && !select.disabled) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "picker-chip-remove";
          remove.setAttribute("aria-label", fill(texts.remove, { label: item.text }));
          remove.title = fill(texts.remove, { label: item.text });
          var x = document.createElement("span");
          x.setAttribute("aria-hidden", "true");
          x.textContent = "×";
          remove.appendChild(x);
          remove.addEventListener("click", function (e) {
            e.stopPropagation();
            unchoose(item);
            input.focus();
          });
          chip.appendChild(remove);
        }
        chips.insertBefore(chip, inputItem);
      });
      input.placeholder = chosen.length ? "" : texts.placeholder;
      root.classList.toggle("has-value", chosen.length > 0);
    }

    function markedText(item, tokens) {
      var frag = document.createDocumentFragment();
      var marks = [];
      tokens.forEach(function (t) {
        var at = item.folded.indexOf(t);
        if (at >= 0) marks.push([at, at + t.length]);
      });
      marks.sort(function (a, b) {
        return a[0] - b[0];
      });
      var pos = 0;
      marks.forEach(function (m) {
        var start = Math.max(m[0], pos);
        if (start >= m[1]) return;
        if (start > pos) frag.appendChild(document.createTextNode(item.chars.slice(pos, start).join("")));
        var mark = document.createElement("mark");
        mark.textContent = item.chars.slice(start, m[1]).join("");
        frag.appendChild(mark);
        pos = m[1];
      });
      if (pos < item.chars.length) frag.appendChild(document.createTextNode(item.chars.slice(pos).join("")));
      return frag;
    }

    function renderList() {
      var tokens = fold(input.value).split(/\s+/).filter(Boolean);
      var matches = ranked(items, input.value);
      list.textContent = "";
      visible = matches.slice(0, LIMIT);
      var group = null;
      visible.forEach(function (item, i) {
        if (item.group && item.group !== group) {
          var header = document.createElement("li");
          header.className = "picker-group";
          header.setAttribute("role", "presentation");
          header.textContent = item.group;
          list.appendChild(header);
        }
        group = item.group;
        var li = document.createElement("li");
        li.className = "picker-option";
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-index", String(i));
        li.setAttribute("aria-selected", item.option.selected ? "true" : "false");
        if (item.option.disabled) li.setAttribute("aria-disabled", "true");
        var text = document.createElement("span");
        text.className = "picker-option-text";
        text.appendChild(markedText(item, tokens));
        li.appendChild(text);
        list.appendChild(li);
      });
      if (!matches.length) {
        var empty = document.createElement("li");
        empty.className = "picker-empty";
        empty.setAttribute("role", "presentation");
        empty.textContent = texts.noResults;
        list.appendChild(empty);
      } else if (matches.length > visible.length) {
        var more = document.createElement("li");
        more.className = "picker-more";
        more.setAttribute("role", "presentation");
        more.textContent = fill(texts.more, { n: matches.length - visible.length });
        list.appendChild(more);
      }
      list.scrollTop = 0;
      setActive(visible.length ? 0 : -1);
    }

    function setActive(i) {
      var old = list.querySelector(".picker-option.is-active");
      if (old) old.classList.remove("is-active");
      active = i;
      if (i < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var li = document.getElementById(id + "-opt-" + i);
      if (!li) return;
      li.classList.add("is-active");
      input.setAttribute("aria-activedescendant", li.id);
      if (!list.hidden) reveal(li);
    }

    // Scroll the list (only the list, not the page) so that the item, and its group header when it is the
    // group's first item, can be seen.
    function reveal(li) {
      var header = li.previousElementSibling;
      var top = header && header.classList.contains("picker-group") ? header.offsetTop : li.offsetTop;
      var bottom = li.offsetTop + li.offsetHeight;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
    }

    function isOpen() {
      return !list.hidden;
    }

    function open() {
      if (select.disabled) return;
      if (!isOpen()) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        root.classList.add("is-open");
      }
      renderList();
    }

    function close() {
      if (!isOpen()) return;
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      root.classList.remove("is-open");
      setActive(-1);
    }

    function changed() {
      root.classList.remove("is-invalid");
      var msg = root.querySelector(".picker-invalid");
      if (msg) msg.parentNode.removeChild(msg);
      renderChips();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function choose(item) {
      if (!item || item.option.disabled) return;
      if (multiple) {
        item.option.selected = !item.option.selected;
        announce(fill(item.option.selected ? texts.selected : texts.removed, { label: item.text }));
        input.value = "";
        changed();
        var keep = visible.indexOf(item);
        renderList();
        setActive(Math.max(0, visible.indexOf(item) >= 0 ? visible.indexOf(item) : keep));
      } else {
        item.option.selected = true;
        announce(fill(texts.selected, { label: item.text }));
        input.value = "";
        close();
        changed();
      }
    }

    function unchoose(item) {
      if (multiple) item.option.selected = false;
      else if (emptyOption) emptyOption.selected = true;
      else return;
      announce(fill(texts.removed, { label: item.text }));
      changed();
      if (isOpen()) renderList();
    }

    input.addEventListener("input", open);
    input.addEventListener("keydown", function (e) {
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!isOpen()) open();
          else if (active < visible.length - 1) setActive(active + 1);
          break;
        case "ArrowUp":
          e.preventDefault();
          if (isOpen() && active > 0) setActive(active - 1);
          break;
        case "PageDown":
          if (isOpen()) {
            e.preventDefault();
            setActive(Math.min(visible.length - 1, active + 10));
          }
          break;
        case "PageUp":
          if (isOpen()) {
            e.preventDefault();
            setActive(Math.max(0, active - 10));
          }
          break;
        case "Enter":
          if (isOpen()) {
            e.preventDefault(); // choosing must not send the form
            if (active >= 0) choose(visible[active]);
          }
          break;
        case "Escape":
          if (isOpen()) {
            e.preventDefault();
            e.stopPropagation();
            close();
          } else if (input.value) {
            input.value = "";
          }
          break;
        case "Backspace":
          if (!input.value && clearable) {
            var chosen = selectedItems();
            if (chosen.length) {
              e.preventDefault();
              unchoose(chosen[chosen.length - 1]);
            }
          }
          break;
        case "Tab":
          close();
          break;
      }
    });
    input.addEventListener("focus", function () {
      root.classList.add("is-focused");
    });
    root.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !root.contains(e.relatedTarget)) {
        root.classList.remove("is-focused");
        close();
        input.value = "";
      }
    });
    control.addEventListener("click", function (e) {
      if (e.target.closest(".picker-chip-remove") || select.disabled) return;
      input.focus();
      if (isOpen() && e.target === input) return;
      open();
    });
    list.addEventListener("mousedown", function (e) {
      e.preventDefault(); // keep the focus in the text box
    });
    list.addEventListener("click", function (e) {
      var li = e.target.closest(".picker-option");
      if (!li) return;
      choose(visible[Number(li.getAttribute("data-index"))]);
      input.focus();
    });
    list.addEventListener("mousemove", function (e) {
      var li = e.target.closest(".picker-option");
      if (li && !li.classList.contains("is-active")) setActive(Number(li.getAttribute("data-index")));
    });

    select.addEventListener("focus", function () {
      input.focus();
    });
    select.addEventListener("change", function (e) {
      if (e.isTrusted || !root.contains(document.activeElement)) renderChips();
    });
    select.addEventListener("invalid", function (e) {
      e.preventDefault();
      root.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      if (!root.querySelector(".picker-invalid")) {
        var errors = document.createElement("ul");
        errors.className = "errorlist picker-invalid";
        errors.id = id + "-invalid";
        var li = document.createElement("li");
        li.textContent = select.validationMessage;
        errors.appendChild(li);
        root.appendChild(errors);
        input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + errors.id).trim());
      }
      input.focus();
    });
    if (select.form) {
      select.form.addEventListener("reset", function () {
        window.setTimeout(renderChips, 0);
      });
    }

    renderChips();
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-picker]")) enhance(root);
    root.querySelectorAll("select[data-picker]").forEach(enhance);
  }

  window.eofficePicker = { enhance: enhance, fold: fold, entry: entry, ranked: ranked };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      scan(document);
    });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:load", function (e) {
    scan(e.detail && e.detail.elt);
  });
})();
