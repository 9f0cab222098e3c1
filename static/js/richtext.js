/* eoffice — a small rich-text editor for <textarea data-richtext> (the body of an outgoing document).
 *
 * Our own contenteditable + toolbar; no third-party editor fits the CSP (style-src 'self', script-src
 * 'self') cleanly: Trix 2.1 inserts <style> elements at run time (needs a nonce; we have none); Quill 2.0
 * (~210 kB) hands pasted HTML to DOMParser as it is (a Word paste then logs a violation per style="", see
 * below) and stores bullet lists as <ol><li data-list="bullet">, which an attribute-free sanitizer turns into
 * numbered lists; pell 1.0.6 (2019, unmaintained) is bare execCommand: its indent writes style="margin…",
 * no paste cleaning, no keyboard toolbar.
 *
 * What the CSP taught us, checked in Chromium: its own editing code moves paragraphs by going through
 * markup with style="" (Backspace/Delete joining two paragraphs, outdent, leaving a list, insertHTML), so
 * under style-src 'self' every such step logs a violation and leaves a bare <span>. Parsing foreign HTML
 * (DOMParser, <template>) logs one per style="" and on…="" too. So:
 *   - the browser does only what is clean: typing, Enter, Shift+Enter, bold/italic/underline, removeFormat;
 *   - this file does the structural edits on the DOM: joining blocks (Backspace at the start, Delete at
 *     the end), deleting a selection across blocks, lists (toggle, Tab / Shift+Tab, Enter in an empty item),
 *     indent outside a list (<blockquote>), paste and drop;
 *   - hence its own undo history (snapshots; Ctrl+Z, Ctrl+Y / Ctrl+Shift+Z, the buttons, the context menu);
 *   - pasted HTML loses its attributes as text, before any parsing; what the styles meant (bold, italic,
 *     underline, Word's list paragraphs and typed markers, hidden text) is kept as data-rt flags.
 *
 *   - toolbar (role=toolbar, one tab stop, arrow keys move, Alt+F10 from the text goes to it, Escape back):
 *     bold, italic, underline | numbered list, bulleted list | outdent, indent | undo, redo | clear formatting;
 *     aria-pressed follows the selection;
 *   - paste is cleaned: only p, br, strong, em, u, ol, ul, li, h3, h4, blockquote and tables survive;
 *     Word's mso-list paragraphs become real lists, Google Docs' bold/italic spans <strong>/<em>;
 *   - the textarea stays in the form (visually hidden) and holds the editor's HTML; the server sanitizes it
 *     again (documents/outgoing/richtext.py). A textarea holding plain text (sent with JS off) opens as
 *     paragraphs;
 *   - labels come from data-richtext-i18n (JSON, gettext in RichTextWidget), Vietnamese by default.
 *
 * Loaded on every page by base.html (defer); does nothing when no textarea[data-richtext] is there; also
 * enhances content that htmx swaps in (htmx:load).
 */
(function () {
  "use strict";
  if (window.eofficeRichtext) return;

  var LABELS = {
    toolbar: "Định dạng văn bản",
    bold: "In đậm (Ctrl+B)",
    italic: "In nghiêng (Ctrl+I)",
    underline: "Gạch chân (Ctrl+U)",
    ol: "Danh sách số",
    ul: "Danh sách dấu đầu dòng",
    indent: "Tăng lề",
    outdent: "Giảm lề",
    undo: "Hoàn tác (Ctrl+Z)",
    redo: "Làm lại (Ctrl+Y)",
    clear: "Xóa định dạng",
    editor: "Nội dung văn bản",
  };

  var SVG_NS = "http://www.w3.org/2000/svg";
  // [name, glyph or SVG paths]; "dot:x,y" draws a filled dot. Groups are separated by null.
  var BUTTONS = [
    ["bold", "B"],
    ["italic", "I"],
    ["underline", "U"],
    null,
    ["ol", ["M10 6h10", "M10 12h10", "M10 18h10", "M4 4.5 5.5 3.5v5", "M4 8.5h3", "M4 13.2c.3-.7 1-1 1.6-1 .8 0 1.4.5 1.4 1.2 0 1-1.6 1.9-3 3.6h3.1"]],
    ["ul", ["M10 6h10", "M10 12h10", "M10 18h10", "dot:5,6", "dot:5,12", "dot:5,18"]],
    null,
    ["outdent", ["M3 4h18", "M11 9.5h10", "M11 14.5h10", "M3 20h18", "M7 9 4 12l3 3"]],
    ["indent", ["M3 4h18", "M11 9.5h10", "M11 14.5h10", "M3 20h18", "M4 9l3 3-3 3"]],
    null,
    ["undo", ["M9 14 4 9l5-5", "M4 9h10.5a5.5 5.5 0 0 1 0 11H11"]],
    ["redo", ["M15 14l5-5-5-5", "M20 9H9.5a5.5 5.5 0 0 0 0 11H13"]],
    null,
    ["clear", ["M6 5h12", "M12.5 5 9 19", "M7 19h5", "M15 14l5 5", "M20 14l-5 5"]],
  ];
  var PRESSABLE = { bold: "bold", italic: "italic", underline: "underline", ol: "ol", ul: "ul" };

  /* ---------- cleaning (paste, drop, initial value) ---------- */

  var KEEP = {
    P: "p", BR: "br", STRONG: "strong", B: "strong", EM: "em", I: "em", U: "u", OL: "ol", UL: "ul", LI: "li",
    H1: "h3", H2: "h3", H3: "h3", H4: "h4", H5: "h4", H6: "h4", BLOCKQUOTE: "blockquote", TABLE: "table",
    THEAD: "thead", TBODY: "tbody", TFOOT: "tbody", TR: "tr", TH: "th", TD: "td",
  };
  var DROP = /^(SCRIPT|STYLE|META|LINK|TITLE|XML|HEAD|TEMPLATE|NOSCRIPT|IFRAME|OBJECT|EMBED|SVG|MATH|IMG|PICTURE|VIDEO|AUDIO|CANVAS|INPUT|BUTTON|SELECT|TEXTAREA|FORM)$/;
  var BLOCK = /^(P|DIV|OL|UL|LI|H[1-6]|BLOCKQUOTE|TABLE|THEAD|TBODY|TFOOT|TR|TH|TD|SECTION|ARTICLE|HEADER|FOOTER|PRE|DL|DT|DD|ADDRESS|FIGURE|HR)$/;

  /* Attributes (and <style>/<script> elements, comments) go before any parsing: Chromium reports a CSP
   * violation for every <style>, style="" and on…="" it parses, even into a DOMParser or <template>
   * document that never renders. What the styles meant for us is kept as flags in data-rt: b(old), n(ot bold), i(talic), u(nderline), l(Word list paragraph),
   * x (Word's typed list marker), h(idden); colspan/rowspan (small numbers) are kept as they are. */
  var START_TAG = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'<>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  var ATTRIBUTE = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  var FLAGS = [
    ["b", /font-weight:\s*(bold|[6-9]00)\b/],
    ["n", /font-weight:\s*(normal|[1-4]00)\b/],
    ["i", /font-style:\s*italic/],
    ["u", /text-decoration[^;]*underline/],
    ["l", /mso-list:\s*l\d/],
    ["x", /mso-list:\s*ignore/],
    ["h", /display:\s*none/],
  ];

  var DROPPED_ELEMENTS = /<(style|script|template|xml|title|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;

  function stripAttributes(html) {
    // <style> and <script> elements go first, whole: parsing a <style> logs a violation too
    return html.replace(DROPPED_ELEMENTS, "").replace(START_TAG, function (whole, name, attrs) {
      var style = "";
      var kept = "";
      var wordList = false;
      attrs.replace(ATTRIBUTE, function (a, key, v1, v2, v3) {
        var value = v1 !== undefined ? v1 : v2 !== undefined ? v2 : v3 || "";
        key = key.toLowerCase();
        if (key === "style") style = value.toLowerCase();
        else if (key === "class") wordList = /MsoListParagraph/.test(value);
        else if ((key === "colspan" || key === "rowspan") && /^\d{1,2}$/.test(value) && value !== "1") {
          kept += " " + key + '="' + value + '"';
        }
        return "";
      });
      var flags = FLAGS.filter(function (f) {
        return f[1].test(style);
      }).map(function (f) {
        return f[0];
      });
      if (wordList && flags.indexOf("l") < 0) flags.push("l");
      return "<" + name + (flags.length ? ' data-rt="' + flags.join(" ") + '"' : "") + kept + ">";
    });
  }

  function flag(el, name) {
    return (" " + (el.getAttribute("data-rt") || "") + " ").indexOf(" " + name + " ") >= 0;
  }

  function isWordListItem(el) {
    return el.nodeName === "P" && flag(el, "l");
  }

  function hasBlockChild(el) {
    for (var c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (BLOCK.test(c.nodeName)) return true;
    }
    return false;
  }

  function copyChildren(src, dest, doc) {
    for (var n = src.firstChild; n; n = n.nextSibling) copyNode(n, dest, doc);
  }

  function copyNode(node, dest, doc) {
    if (node.nodeType === 3) {
      dest.appendChild(doc.createTextNode(node.data.replace(/\u00a0/g, " ")));
      return;
    }
    if (node.nodeType !== 1) return; // comments, Word's <![if …]> and processing instructions
    var name = node.nodeName.toUpperCase();
    if (DROP.test(name)) return;
    if (flag(node, "x") || flag(node, "h")) return; // Word's typed list marker ("1.", "·"); hidden text
    var tag = KEEP[name];
    if ((name === "B" || name === "STRONG") && flag(node, "n")) tag = null; // Google Docs' outer <b>
    if (name === "DIV") tag = hasBlockChild(node) ? null : "p";
    if (tag) {
      var el = doc.createElement(tag);
      if (tag === "td" || tag === "th") {
        ["colspan", "rowspan"].forEach(function (attr) {
          if (node.hasAttribute(attr)) el.setAttribute(attr, node.getAttribute(attr));
        });
      }
      copyChildren(node, el, doc);
      dest.appendChild(el);
      return;
    }
    // Not kept: keep its content, with the emphasis its style gave it (Google Docs, Word spans).
    var target = dest;
    [
      ["b", "strong"],
      ["i", "em"],
      ["u", "u"],
    ].forEach(function (rule) {
      if (flag(node, rule[0])) {
        var wrap = doc.createElement(rule[1]);
        target.appendChild(wrap);
        target = wrap;
      }
    });
    copyChildren(node, target, doc);
    if (BLOCK.test(name) && name !== "DIV") target.appendChild(doc.createElement("br"));
  }

  // Word pastes lists as paragraphs with style="mso-list:l0 level1 lfo1": group consecutive ones into a list.
  function wordLists(body, doc) {
    var items = Array.prototype.slice.call(body.querySelectorAll("p")).filter(isWordListItem);
    items.forEach(function (p) {
      if (!p.parentNode) return;
      var marker = p.querySelector("[data-rt~='x']");
      var markerText = marker ? marker.textContent.trim() : "";
      var ordered = /^(\(?\d+[.)]|[a-zđ][.)]|[ivxlc]+[.)])$/i.test(markerText);
      var prev = p.previousElementSibling;
      var list = prev && prev.getAttribute("data-word-list") === (ordered ? "ol" : "ul") ? prev : null;
      if (!list) {
        list = doc.createElement(ordered ? "ol" : "ul");
        list.setAttribute("data-word-list", ordered ? "ol" : "ul"); // dropped by copyNode
        p.parentNode.insertBefore(list, p);
      }
      var li = doc.createElement("li");
      while (p.firstChild) li.appendChild(p.firstChild);
      list.appendChild(li);
      p.parentNode.removeChild(p);
    });
  }

  function dropEmpty(root) {
    var changed = true;
    while (changed) {
      changed = false;
      root.querySelectorAll("p, li, h3, h4, strong, em, u, ol, ul, blockquote").forEach(function (el) {
        var text = el.textContent.replace(/[\s\u00a0\u200b]/g, "");
        if (!text && !el.querySelector("table")) {
          el.parentNode.removeChild(el);
          changed = true;
        }
      });
    }
  }

  var LIST = /^(OL|UL)$/;
  var INLINE_OK = /^(#text|STRONG|EM|U|BR)$/;

  // Lists made by other editors: <ol><ol>…</ol></ol> becomes a list nested in the item before it.
  function fixNestedLists(root, doc) {
    root.querySelectorAll("ol > ol, ol > ul, ul > ol, ul > ul").forEach(function (inner) {
      var prev = inner.previousElementSibling;
      if (!prev || prev.nodeName !== "LI") {
        prev = doc.createElement("li");
        inner.parentNode.insertBefore(prev, inner);
      }
      prev.appendChild(inner);
    });
  }

  // Text and inline elements directly in the root (or in a list) go into a <p> (an <li>).
  function wrapLoose(root, doc) {
    var run = null;
    Array.prototype.slice.call(root.childNodes).forEach(function (n) {
      if (INLINE_OK.test(n.nodeName)) {
        if (n.nodeType === 3 && !run && !/\S/.test(n.data)) {
          root.removeChild(n);
          return;
        }
        if (!run) {
          run = doc.createElement("p");
          root.insertBefore(run, n);
        }
        run.appendChild(n);
      } else {
        run = null;
      }
    });
  }

  /* HTML (pasted, dropped, or the textarea's value) → the allowed subset, as an HTML string. */
  function cleanHtml(html) {
    var doc = new DOMParser().parseFromString(stripAttributes(html), "text/html");
    wordLists(doc.body, doc);
    var out = doc.createElement("div");
    copyChildren(doc.body, out, doc);
    fixNestedLists(out, doc);
    wrapLoose(out, doc);
    dropEmpty(out);
    // a <br> at the end of a block with text shows nothing
    out.querySelectorAll("p > br:last-child, li > br:last-child, h3 > br:last-child, h4 > br:last-child").forEach(
      function (br) {
        if (br.parentNode.textContent.trim()) br.parentNode.removeChild(br);
      }
    );
    return out.innerHTML;
  }

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function textToHtml(text) {
    return text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map(function (line) {
        return line.trim();
      })
      .filter(Boolean)
      .map(function (line) {
        return "<p>" + escapeText(line) + "</p>";
      })
      .join("");
  }

  function looksLikeHtml(text) {
    return /<\/?[a-zA-Z][a-zA-Z0-9:-]*(\s[^<>]*)?\/?>|<!--/.test(text);
  }

  /* ---------- DOM helpers ---------- */

  var TEXT_BLOCK = /^(P|LI|H[1-6]|BLOCKQUOTE|DIV|TD|TH)$/;
  var TEXT_BLOCK_SELECTOR = "p, li, h1, h2, h3, h4, h5, h6, blockquote, div, td, th";
  var ANY_BLOCK = /^(P|LI|H[1-6]|BLOCKQUOTE|DIV|TD|TH|OL|UL|TABLE|THEAD|TBODY|TFOOT|TR)$/;
  var CELL = /^(TD|TH)$/;

  function isBlock(node) {
    return node.nodeType === 1 && ANY_BLOCK.test(node.nodeName);
  }

  // Text that shows: collapsible white space does not count, a no-break space does.
  function hasText(node) {
    return /[^ \t\n\r\f\u200b]/.test(node.textContent);
  }

  function rename(el, tag) {
    var out = document.createElement(tag);
    while (el.firstChild) out.appendChild(el.firstChild);
    el.parentNode.replaceChild(out, el);
    return out;
  }

  function placeholder(block) {
    if (!hasText(block) && !block.querySelector("br, table, ol, ul")) block.appendChild(document.createElement("br"));
  }

  function exec(command, value) {
    return document.execCommand(command, false, value === undefined ? null : value);
  }

  /* ---------- the editor ---------- */

  function labelsFor(textarea) {
    var labels = {};
    Object.keys(LABELS).forEach(function (k) {
      labels[k] = LABELS[k];
    });
    try {
      var given = JSON.parse(textarea.getAttribute("data-richtext-i18n") || "{}");
      Object.keys(given).forEach(function (k) {
        labels[k] = given[k];
      });
    } catch (e) {
      /* keep the defaults */
    }
    return labels;
  }

  function icon(paths) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var shape;
      if (d.indexOf("dot:") === 0) {
        var xy = d.slice(4).split(",");
        shape = document.createElementNS(SVG_NS, "circle");
        shape.setAttribute("cx", xy[0]);
        shape.setAttribute("cy", xy[1]);
        shape.setAttribute("r", "1.4");
        shape.setAttribute("class", "richtext-dot");
      } else {
        shape = document.createElementNS(SVG_NS, "path");
        shape.setAttribute("d", d);
      }
      svg.appendChild(shape);
    });
    return svg;
  }

  var uid = 0;

  function enhance(textarea) {
    if (textarea.hasAttribute("data-richtext-ready")) return;
    textarea.setAttribute("data-richtext-ready", "");
    var labels = labelsFor(textarea);
    uid += 1;
    var id = textarea.id || "richtext-" + uid;

    var wrap = document.createElement("div");
    wrap.className = "richtext";
    var toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar);
    toolbar.setAttribute("aria-controls", id + "-editor");
    var editor = document.createElement("div");
    editor.className = "richtext-editor";
    editor.id = id + "-editor";
    editor.contentEditable = "true";
    editor.spellcheck = true;
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      if (!label.id) label.id = id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
    } else {
      editor.setAttribute("aria-label", labels.editor);
    }
    if (textarea.required) editor.setAttribute("aria-required", "true");
    var row = textarea.closest(".form-row");
    if (row) {
      var described = [];
      row.querySelectorAll(".helptext, .errorlist").forEach(function (el, i) {
        if (!el.id) el.id = id + "-desc-" + i;
        described.push(el.id);
      });
      if (described.length) editor.setAttribute("aria-describedby", described.join(" "));
      if (row.classList.contains("has-error")) editor.setAttribute("aria-invalid", "true");
    }

    var buttons = [];
    var group = null;
    BUTTONS.forEach(function (spec) {
      if (!spec) {
        group = null;
        return;
      }
      if (!group) {
        group = document.createElement("div");
        group.className = "richtext-group";
        group.setAttribute("role", "group");
        toolbar.appendChild(group);
      }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "richtext-btn richtext-btn-" + spec[0];
      b.setAttribute("data-command", spec[0]);
      b.title = labels[spec[0]];
      b.setAttribute("aria-label", labels[spec[0]]);
      b.tabIndex = buttons.length ? -1 : 0;
      if (PRESSABLE[spec[0]]) b.setAttribute("aria-pressed", "false");
      if (typeof spec[1] === "string") {
        var glyph = document.createElement("span");
        glyph.setAttribute("aria-hidden", "true");
        glyph.textContent = spec[1];
        b.appendChild(glyph);
      } else {
        b.appendChild(icon(spec[1]));
      }
      group.appendChild(b);
      buttons.push(b);
    });

    var value = textarea.value || "";
    editor.innerHTML = (looksLikeHtml(value) ? cleanHtml(value) : textToHtml(value)) || "<p><br></p>";

    wrap.appendChild(toolbar);
    wrap.appendChild(editor);
    textarea.parentNode.insertBefore(wrap, textarea.nextSibling);
    textarea.classList.add("richtext-source");
    textarea.tabIndex = -1;
    textarea.setAttribute("aria-hidden", "true");

    exec("defaultParagraphSeparator", "p");
    exec("styleWithCSS", false);

    /* ----- selection ----- */

    function getRange() {
      var sel = window.getSelection();
      if (!sel.rangeCount) return null;
      var r = sel.getRangeAt(0);
      return editor.contains(r.startContainer) && editor.contains(r.endContainer) ? r : null;
    }

    function setCaret(node, offset) {
      var r = document.createRange();
      r.setStart(node, Math.min(offset, node.nodeType === 3 ? node.length : node.childNodes.length));
      r.collapse(true);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
    }

    function ensureRange() {
      var r = getRange();
      if (r) return r;
      editor.focus();
      var last = editor.lastElementChild || editor;
      setCaret(last, last.childNodes.length);
      return getRange();
    }

    function pathOf(node) {
      var path = [];
      while (node && node !== editor) {
        path.unshift(Array.prototype.indexOf.call(node.parentNode.childNodes, node));
        node = node.parentNode;
      }
      return node === editor ? path : null;
    }

    function nodeAt(path) {
      var node = editor;
      for (var i = 0; i < path.length && node; i++) node = node.childNodes[path[i]];
      return node || null;
    }

    function savePoint() {
      var r = getRange();
      if (!r) return null;
      return {
        start: pathOf(r.startContainer), startOffset: r.startOffset,
        end: pathOf(r.endContainer), endOffset: r.endOffset,
      }; // prettier-ignore
    }

    function restorePoint(point) {
      var start = point && point.start && nodeAt(point.start);
      var end = point && point.end && nodeAt(point.end);
      if (!start || !end) {
        var last = editor.lastElementChild || editor;
        setCaret(last, last.childNodes.length);
        return;
      }
      var r = document.createRange();
      try {
        r.setStart(start, Math.min(point.startOffset, start.nodeType === 3 ? start.length : start.childNodes.length));
        r.setEnd(end, Math.min(point.endOffset, end.nodeType === 3 ? end.length : end.childNodes.length));
      } catch (e) {
        r.selectNodeContents(editor);
        r.collapse(false);
      }
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
    }

    /* ----- history (our own: the structural changes below are DOM operations the browser's undo does not
     * know about) ----- */

    var history = [];
    var at = -1;
    var pending = null;

    function record() {
      window.clearTimeout(pending);
      pending = null;
      var html = editor.innerHTML;
      var point = savePoint();
      if (at >= 0 && history[at].html === html) {
        history[at].point = point;
        return;
      }
      history = history.slice(0, at + 1);
      history.push({ html: html, point: point });
      if (history.length > 200) history.shift();
      at = history.length - 1;
    }

    function recordSoon() {
      window.clearTimeout(pending);
      pending = window.setTimeout(record, 600);
    }

    function flush() {
      if (pending) record();
    }

    function travel(step) {
      flush();
      var target = at + step;
      if (target < 0 || target >= history.length) return;
      at = target;
      editor.innerHTML = history[at].html;
      editor.focus();
      restorePoint(history[at].point);
      changed(false);
    }

    /* ----- blocks ----- */

    function blockOf(node) {
      var el = node && (node.nodeType === 1 ? node : node.parentNode);
      while (el && el !== editor) {
        if (TEXT_BLOCK.test(el.nodeName)) return el;
        el = el.parentNode;
      }
      return null;
    }

    function textBlocks() {
      return Array.prototype.slice.call(editor.querySelectorAll(TEXT_BLOCK_SELECTOR));
    }

    // The boundary point at the end of a block's own inline content (before a nested list or paragraph).
    function inlineEnd(block) {
      for (var i = 0; i < block.childNodes.length; i++) {
        if (isBlock(block.childNodes[i])) return { node: block, offset: i };
      }
      return { node: block, offset: block.childNodes.length };
    }

    function hasOwnInline(block) {
      for (var n = block.firstChild; n; n = n.nextSibling) {
        if (isBlock(n)) return false;
        if (n.nodeType === 1 || /\S/.test(n.data || "")) return true;
      }
      return false;
    }

    function isContainerOnly(block) {
      return !hasOwnInline(block) && !!block.querySelector(TEXT_BLOCK_SELECTOR);
    }

    function atStart(block, node, offset) {
      var r = document.createRange();
      r.setStart(block, 0);
      r.setEnd(node, offset);
      var f = r.cloneContents();
      return !hasText(f) && !f.querySelector("br, table");
    }

    function atEnd(block, node, offset) {
      var end = inlineEnd(block);
      var r = document.createRange();
      r.setStart(node, offset);
      r.setEnd(end.node, end.offset);
      var f = r.cloneContents();
      if (hasText(f) || f.querySelector("table")) return false;
      var brs = f.querySelectorAll("br").length;
      var last = end.node.childNodes[end.offset - 1];
      return brs === 0 || (brs === 1 && last && last.nodeName === "BR");
    }

    function previousBlock(block) {
      var all = textBlocks();
      for (var i = all.indexOf(block) - 1; i >= 0; i--) {
        if (!all[i].contains(block) && !isContainerOnly(all[i])) return all[i];
      }
      return null;
    }

    function nextBlock(block) {
      var all = textBlocks();
      for (var i = all.indexOf(block) + 1; i < all.length; i++) {
        if (!isContainerOnly(all[i])) return all[i];
      }
      return null;
    }

    function cellOf(node) {
      var el = node;
      while (el && el !== editor) {
        if (CELL.test(el.nodeName)) return el;
        el = el.parentNode;
      }
      return null;
    }

    // Remove an element that has become empty, and its parents that are left empty (lists, quotes).
    function removeEmpty(el) {
      while (el && el !== editor && !CELL.test(el.nodeName) && !hasText(el) && !el.querySelector("table")) {
        var parent = el.parentNode;
        parent.removeChild(el);
        el = parent;
      }
      if (!editor.firstChild) editor.innerHTML = "<p><br></p>";
    }

    // Move source's own inline content to the end of target's; returns the caret point at the join.
    function mergeInto(target, source) {
      var end = inlineEnd(target);
      var ref = target.childNodes[end.offset] || null;
      var before = ref ? ref.previousSibling : target.lastChild;
      if (before && before.nodeName === "BR") {
        target.removeChild(before);
        before = ref ? ref.previousSibling : target.lastChild;
      }
      if (!hasText(target)) {
        Array.prototype.slice.call(target.childNodes).forEach(function (n) {
          if (!isBlock(n)) target.removeChild(n);
        });
        before = null;
      }
      var moved = [];
      while (source.firstChild && !isBlock(source.firstChild)) {
        moved.push(source.firstChild);
        target.insertBefore(source.firstChild, ref);
      }
      // what stays in the source (a nested list, a paragraph in an item) goes into the target if it may hold
      // blocks, else right after it, in order
      var holds = /^(LI|TD|TH|BLOCKQUOTE)$/.test(target.nodeName);
      var after = target.nextSibling;
      while (source.firstChild) {
        if (holds) target.insertBefore(source.firstChild, ref);
        else target.parentNode.insertBefore(source.firstChild, after);
      }
      removeEmpty(source);
      placeholder(target);
      if (before && before.nodeType === 3) return { node: before, offset: before.length };
      if (moved[0] && moved[0].nodeType === 3) return { node: moved[0], offset: 0 };
      var index = moved[0] ? Array.prototype.indexOf.call(target.childNodes, moved[0]) : end.offset;
      return { node: target, offset: Math.max(0, index) };
    }

    /* ----- structural operations (DOM, no execCommand: Chromium's own versions go through markup with
     * style="" and report CSP violations) ----- */

    function deleteSelection(range) {
      var startBlock = blockOf(range.startContainer);
      var endBlock = blockOf(range.endContainer);
      range.deleteContents();
      var point = { node: range.startContainer, offset: range.startOffset };
      if (startBlock && endBlock && startBlock !== endBlock && editor.contains(startBlock) && editor.contains(endBlock)) {
        if (cellOf(startBlock) === cellOf(endBlock)) point = mergeInto(startBlock, endBlock);
      }
      if (!editor.contains(point.node)) point = { node: editor, offset: 0 };
      var block = blockOf(point.node);
      if (!block) {
        var p = document.createElement("p");
        p.appendChild(document.createElement("br"));
        var at0 = point.node === editor ? editor.childNodes[point.offset] || null : null;
        editor.insertBefore(p, at0);
        point = { node: p, offset: 0 };
      } else {
        placeholder(block);
      }
      setCaret(point.node, point.offset);
    }

    function joinBackward(block) {
      if (block.nodeName === "LI") {
        setCaret(outdentItem(block), 0); // the caret was at the start: it stays there
        return;
      }
      if (CELL.test(block.nodeName)) return;
      var quote = block.parentNode.nodeName === "BLOCKQUOTE" ? block.parentNode : null;
      if (quote && !previousInside(quote, block)) return unquote(block);
      if (/^(H[1-6]|BLOCKQUOTE|DIV)$/.test(block.nodeName) && !previousBlock(block)) {
        setCaret(rename(block, "p"), 0);
        return;
      }
      var prev = previousBlock(block);
      if (!prev) return;
      if (cellOf(prev) !== cellOf(block)) {
        if (!hasText(block)) {
          removeEmpty(block);
          var end = inlineEnd(prev);
          setCaret(end.node, end.offset);
        }
        return;
      }
      if (!hasText(prev) && !prev.querySelector("table") && prev.nodeName !== "LI") {
        removeEmpty(prev);
        setCaret(block, 0);
        return;
      }
      var point = mergeInto(prev, block);
      setCaret(point.node, point.offset);
    }

    function previousInside(container, block) {
      var prev = previousBlock(block);
      return prev && container.contains(prev);
    }

    function joinForward(block) {
      var next = nextBlock(block);
      if (!next || CELL.test(next.nodeName) || cellOf(next) !== cellOf(block)) return;
      if (!hasText(block) && !block.querySelector("table") && block.nodeName !== "LI" && !next.contains(block)) {
        removeEmpty(block);
        setCaret(next, 0);
        return;
      }
      var point = mergeInto(block, next);
      setCaret(point.node, point.offset);
    }

    // Blocks with their own text touched by the range, in document order.
    function selectedBlocks(range) {
      var first = blockOf(range.startContainer);
      var last = blockOf(range.endContainer);
      var all = textBlocks();
      var i = first ? all.indexOf(first) : 0;
      var j = last ? all.indexOf(last) : all.length - 1;
      return all.slice(i, j + 1).filter(function (b) {
        return !isContainerOnly(b) && (range.intersectsNode(b) || b === first);
      });
    }

    function liToParagraph(li) {
      var list = li.parentNode;
      var tail = list.cloneNode(false);
      while (li.nextSibling) tail.appendChild(li.nextSibling);
      var p = document.createElement("p");
      while (li.firstChild && !isBlock(li.firstChild)) p.appendChild(li.firstChild);
      var after = list.nextSibling;
      var parent = list.parentNode;
      parent.insertBefore(p, after);
      while (li.firstChild) parent.insertBefore(li.firstChild, after); // nested lists
      if (tail.firstChild) parent.insertBefore(tail, after);
      list.removeChild(li);
      if (!list.firstElementChild) parent.removeChild(list);
      placeholder(p);
      return p;
    }

    function indentItem(li) {
      var prev = li.previousElementSibling;
      if (!prev || prev.nodeName !== "LI") return false;
      var type = li.parentNode.nodeName;
      var sub = prev.lastElementChild;
      if (!sub || sub.nodeName !== type) {
        sub = document.createElement(type.toLowerCase());
        prev.appendChild(sub);
      }
      sub.appendChild(li);
      return true;
    }

    function outdentItem(li) {
      var list = li.parentNode;
      var parentItem = list.parentNode;
      if (parentItem.nodeName !== "LI") return liToParagraph(li);
      if (li.nextElementSibling) {
        var sub = li.lastElementChild;
        if (!sub || sub.nodeName !== list.nodeName) {
          sub = document.createElement(list.nodeName.toLowerCase());
          li.appendChild(sub);
        }
        while (li.nextSibling) sub.appendChild(li.nextSibling);
      }
      parentItem.parentNode.insertBefore(li, parentItem.nextSibling);
      if (!list.firstElementChild) parentItem.removeChild(list);
      return li;
    }

    function toggleList(type) {
      var range = ensureRange();
      var kept = keepSelection();
      var blocks = selectedBlocks(range).filter(function (b) {
        return !CELL.test(b.nodeName);
      });
      if (!blocks.length) return;
      var tag = type.toUpperCase();
      var allIn = blocks.every(function (b) {
        return b.nodeName === "LI" && b.parentNode.nodeName === tag;
      });
      if (allIn) {
        blocks.forEach(liToParagraph);
      } else {
        var list = null;
        blocks.forEach(function (b) {
          if (b.nodeName === "LI") {
            if (b.parentNode.nodeName !== tag) {
              var other = b.parentNode;
              var same = rename(other, type);
              list = same;
            } else {
              list = b.parentNode;
            }
            return;
          }
          var li = document.createElement("li");
          var prev = b.previousElementSibling;
          if (list && list.parentNode === b.parentNode && list === prev) {
            /* continue the list we are building */
          } else if (prev && prev.nodeName === tag) {
            list = prev;
          } else {
            list = document.createElement(type);
            b.parentNode.insertBefore(list, b);
          }
          while (b.firstChild) li.appendChild(b.firstChild);
          list.appendChild(li);
          b.parentNode.removeChild(b);
          var next = list.nextElementSibling;
          if (next && next.nodeName === tag) {
            while (next.firstChild) list.appendChild(next.firstChild);
            next.parentNode.removeChild(next);
          }
        });
      }
      restoreKept(kept);
    }

    // The selection as node references: they survive an operation that moves nodes (a live Range does not:
    // it collapses when its nodes leave the document, even for a moment).
    function keepSelection() {
      var r = ensureRange();
      return { sc: r.startContainer, so: r.startOffset, ec: r.endContainer, eo: r.endOffset, point: savePoint() };
    }

    function restoreKept(kept) {
      if (editor.contains(kept.sc) && editor.contains(kept.ec) && kept.sc !== editor) {
        var r = document.createRange();
        try {
          r.setStart(kept.sc, kept.so);
          r.setEnd(kept.ec, kept.eo);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(r);
          return;
        } catch (e) {
          /* fall back to the path */
        }
      }
      restorePoint(kept.point);
    }

    function selectedItems(range) {
      return selectedBlocks(range).filter(function (b) {
        return b.nodeName === "LI";
      });
    }

    function quote(blocks) {
      var box = null;
      blocks.forEach(function (b) {
        if (CELL.test(b.nodeName) || b.nodeName === "LI") return;
        if (b.nodeName === "BLOCKQUOTE") {
          var inner = rename(b, "p");
          b = inner;
        }
        if (!(box && box.parentNode === b.parentNode && box === b.previousElementSibling)) {
          box = document.createElement("blockquote");
          b.parentNode.insertBefore(box, b);
        }
        box.appendChild(b);
      });
    }

    function unquote(block) {
      if (block.nodeName === "BLOCKQUOTE") {
        setCaret(rename(block, "p"), 0);
        return;
      }
      var box = block.parentNode;
      if (box.nodeName !== "BLOCKQUOTE") return;
      var tail = box.cloneNode(false);
      while (block.nextSibling) tail.appendChild(block.nextSibling);
      box.parentNode.insertBefore(block, box.nextSibling);
      if (tail.firstChild) box.parentNode.insertBefore(tail, block.nextSibling);
      if (!box.firstChild) box.parentNode.removeChild(box);
    }

    function indent(outdent) {
      var range = ensureRange();
      var kept = keepSelection();
      var items = selectedItems(range);
      if (items.length) {
        items.forEach(outdent ? outdentItem : indentItem);
      } else if (outdent) {
        selectedBlocks(range).forEach(unquote);
      } else {
        quote(selectedBlocks(range));
      }
      restoreKept(kept);
    }

    function clearFormat() {
      var range = ensureRange();
      exec("removeFormat");
      range = ensureRange();
      selectedBlocks(range).forEach(function (b) {
        if (/^(H[1-6]|DIV)$/.test(b.nodeName) || (b.nodeName === "BLOCKQUOTE" && hasOwnInline(b))) rename(b, "p");
      });
    }

    // Insert cleaned HTML at the caret: inline when it is one paragraph, else as blocks after a split.
    function insertHtml(html) {
      if (!html) return;
      var range = ensureRange();
      if (!range.collapsed) {
        deleteSelection(range);
        range = ensureRange();
      }
      var tpl = document.createElement("template");
      tpl.innerHTML = html; // cleaned: no attribute but colspan/rowspan
      var frag = tpl.content;
      var only = frag.childNodes.length === 1 ? frag.firstChild : null;
      var last;
      if (only && only.nodeName === "P") {
        var nodes = Array.prototype.slice.call(only.childNodes);
        var inline = document.createDocumentFragment();
        nodes.forEach(function (n) {
          inline.appendChild(n);
        });
        last = nodes[nodes.length - 1];
        range.insertNode(inline);
        var block = blockOf(last);
        if (block) {
          var br = block.lastChild;
          if (br && br.nodeName === "BR" && br !== last && hasText(block)) block.removeChild(br);
        }
        if (last.nodeType === 3) setCaret(last, last.length);
        else setCaret(last.parentNode, Array.prototype.indexOf.call(last.parentNode.childNodes, last) + 1);
        return;
      }
      var blocks = Array.prototype.slice.call(frag.childNodes);
      var here = blockOf(range.startContainer);
      if (!here || CELL.test(here.nodeName)) {
        range.insertNode(frag);
        last = blocks[blocks.length - 1];
      } else {
        if (here.nodeName === "LI") {
          blocks = itemsFrom(blocks);
        }
        var split = document.createRange();
        split.setStart(range.startContainer, range.startOffset);
        var end = inlineEnd(here);
        split.setEnd(end.node, end.offset);
        var rest = split.extractContents();
        var tail = here.cloneNode(false);
        tail.appendChild(rest);
        // nested blocks of 'here' (a sub-list) go with the tail
        while (inlineEnd(here).offset < here.childNodes.length) tail.appendChild(here.childNodes[inlineEnd(here).offset]);
        var parent = here.parentNode;
        var after = here.nextSibling;
        blocks.forEach(function (b) {
          parent.insertBefore(b, after);
        });
        if (hasText(tail) || tail.querySelector("table, ol, ul")) parent.insertBefore(tail, after);
        if (!hasText(here) && !here.querySelector("table, ol, ul")) parent.removeChild(here);
        last = blocks[blocks.length - 1];
      }
      if (last) {
        var e = last.nodeType === 1 ? inlineEnd(deepestLast(last)) : { node: last.parentNode, offset: last.parentNode.childNodes.length };
        setCaret(e.node, e.offset);
      }
    }

    function deepestLast(el) {
      var blocks = el.querySelectorAll ? el.querySelectorAll(TEXT_BLOCK_SELECTOR) : [];
      return blocks.length ? blocks[blocks.length - 1] : el;
    }

    // Pasted blocks inside a list item become list items (lists give their items).
    function itemsFrom(blocks) {
      var out = [];
      blocks.forEach(function (b) {
        if (LIST.test(b.nodeName)) {
          Array.prototype.slice.call(b.children).forEach(function (li) {
            out.push(li);
          });
          return;
        }
        var li = document.createElement("li");
        if (/^(P|H[1-6]|BLOCKQUOTE)$/.test(b.nodeName)) {
          while (b.firstChild) li.appendChild(b.firstChild);
        } else {
          li.appendChild(b);
        }
        out.push(li);
      });
      return out;
    }

    /* ----- wiring ----- */

    function sync() {
      var text = hasText(editor);
      textarea.value = text || editor.querySelector("table") ? editor.innerHTML : "";
      if (text) {
        wrap.classList.remove("is-invalid");
        var msg = wrap.parentNode && wrap.parentNode.querySelector("#" + id + "-invalid");
        if (msg) msg.parentNode.removeChild(msg);
      }
    }

    function closestInEditor(selector) {
      var r = getRange();
      if (!r) return null;
      var el = r.startContainer.nodeType === 1 ? r.startContainer : r.startContainer.parentElement;
      var found = el && el.closest(selector);
      return found && editor.contains(found) && found !== editor ? found : null;
    }

    function updateState() {
      var item = closestInEditor("li");
      var listType = item ? item.parentNode.nodeName : "";
      buttons.forEach(function (b) {
        var name = b.getAttribute("data-command");
        var cmd = PRESSABLE[name];
        if (!cmd) return;
        var on = false;
        if (name === "ol" || name === "ul") {
          on = listType === name.toUpperCase();
        } else {
          try {
            on = document.queryCommandState(cmd);
          } catch (e) {
            on = false;
          }
        }
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    function changed(save) {
      if (!editor.firstChild) {
        editor.innerHTML = "<p><br></p>";
        setCaret(editor.firstChild, 0);
      }
      sync();
      updateState();
      if (save !== false) record();
    }

    // An operation of ours: one history step before (what was typed) and one after.
    function operate(fn) {
      flush();
      if (document.activeElement !== editor) editor.focus();
      ensureRange();
      fn();
      changed();
    }

    function run(name) {
      switch (name) {
        case "bold":
        case "italic":
        case "underline":
          flush();
          if (document.activeElement !== editor) editor.focus();
          ensureRange();
          exec(name);
          changed();
          break;
        case "ol":
        case "ul":
          operate(function () {
            toggleList(name);
          });
          break;
        case "indent":
        case "outdent":
          operate(function () {
            indent(name === "outdent");
          });
          break;
        case "undo":
          editor.focus();
          travel(-1);
          break;
        case "redo":
          editor.focus();
          travel(1);
          break;
        case "clear":
          operate(clearFormat);
          break;
      }
    }

    toolbar.addEventListener("mousedown", function (e) {
      if (e.target.closest("button")) e.preventDefault(); // keep the selection in the text
    });
    toolbar.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-command]");
      if (b) run(b.getAttribute("data-command"));
    });
    toolbar.addEventListener("keydown", function (e) {
      var i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      var next = null;
      if (e.key === "ArrowRight") next = (i + 1) % buttons.length;
      else if (e.key === "ArrowLeft") next = (i - 1 + buttons.length) % buttons.length;
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") next = buttons.length - 1;
      else if (e.key === "Escape") {
        e.preventDefault();
        editor.focus();
        return;
      }
      if (next === null) return;
      e.preventDefault();
      buttons[i].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });

    editor.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      var mod = e.ctrlKey || e.metaKey;
      var key = (e.key || "").toLowerCase();
      if (e.key === "F10" && e.altKey) {
        e.preventDefault();
        var current = buttons.filter(function (b) {
          return b.tabIndex === 0;
        })[0];
        (current || buttons[0]).focus();
        return;
      }
      if (mod && !e.altKey && (key === "z" || key === "y")) {
        e.preventDefault();
        travel(key === "y" || e.shiftKey ? 1 : -1);
        return;
      }
      if (e.key === "Tab" && !mod && !e.altKey && closestInEditor("li")) {
        e.preventDefault();
        run(e.shiftKey ? "outdent" : "indent");
      }
    });

    editor.addEventListener("beforeinput", function (e) {
      var type = e.inputType || "";
      if (type === "historyUndo" || type === "historyRedo") {
        e.preventDefault();
        travel(type === "historyUndo" ? -1 : 1);
        return;
      }
      if (e.isComposing || !e.cancelable) return;
      var range = getRange();
      if (!range) return;
      var backward = /^delete(Content|Word|SoftLine|HardLine)Backward$/.test(type);
      var forward = /^delete(Content|Word|SoftLine|HardLine)Forward$/.test(type);
      if (!range.collapsed) {
        if (blockOf(range.startContainer) === blockOf(range.endContainer) && blockOf(range.startContainer)) return;
        if (!/^(delete|insert)/.test(type) || type === "insertFromPaste" || type === "insertFromDrop") return;
        e.preventDefault();
        operate(function () {
          deleteSelection(getRange());
          if (type === "insertText" || type === "insertReplacementText") {
            var text = e.data || (e.dataTransfer && e.dataTransfer.getData("text/plain")) || "";
            if (text) exec("insertText", text);
          } else if (type === "insertParagraph") {
            exec("insertParagraph");
          } else if (type === "insertLineBreak") {
            exec("insertLineBreak");
          }
        });
        return;
      }
      var block = blockOf(range.startContainer);
      if (!block) return;
      if (backward && atStart(block, range.startContainer, range.startOffset)) {
        e.preventDefault();
        operate(function () {
          joinBackward(block);
        });
      } else if (forward && atEnd(block, range.startContainer, range.startOffset)) {
        e.preventDefault();
        operate(function () {
          joinForward(block);
        });
      } else if (type === "insertParagraph" && block.nodeName === "LI" && !hasText(block)) {
        e.preventDefault(); // Enter in an empty item leaves the list (or goes one level up)
        operate(function () {
          var moved = outdentItem(block);
          setCaret(moved, 0);
        });
      }
    });

    editor.addEventListener("input", function (e) {
      sync();
      updateState();
      if (/^(insertText|insertCompositionText|deleteContent|deleteWord)/.test(e.inputType || "")) recordSoon();
      else record();
    });
    editor.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data) return;
      e.preventDefault();
      var html = data.getData("text/html");
      var cleaned = html ? cleanHtml(html) : textToHtml(data.getData("text/plain") || "");
      operate(function () {
        insertHtml(cleaned);
      });
    });
    editor.addEventListener("drop", function (e) {
      var data = e.dataTransfer;
      if (!data) return;
      e.preventDefault();
      var html = data.getData("text/html");
      var cleaned = html ? cleanHtml(html) : textToHtml(data.getData("text/plain") || "");
      if (!cleaned) return;
      editor.focus();
      if (document.caretRangeFromPoint) {
        var r = document.caretRangeFromPoint(e.clientX, e.clientY);
        if (r && editor.contains(r.startContainer)) setCaret(r.startContainer, r.startOffset);
      }
      operate(function () {
        insertHtml(cleaned);
      });
    });
    editor.addEventListener("focus", function () {
      wrap.classList.add("is-focused");
    });
    editor.addEventListener("blur", function () {
      wrap.classList.remove("is-focused");
      flush();
    });
    document.addEventListener("selectionchange", function () {
      if (document.activeElement === editor) updateState();
    });

    // The hidden textarea: its label and a focus() from elsewhere lead to the editor.
    textarea.addEventListener("focus", function () {
      editor.focus();
    });
    if (label) {
      label.addEventListener("click", function (e) {
        e.preventDefault();
        editor.focus();
      });
    }
    textarea.addEventListener("invalid", function (e) {
      e.preventDefault();
      wrap.classList.add("is-invalid");
      editor.setAttribute("aria-invalid", "true");
      if (!document.getElementById(id + "-invalid")) {
        var list = document.createElement("ul");
        list.className = "errorlist richtext-invalid";
        list.id = id + "-invalid";
        var li = document.createElement("li");
        li.textContent = textarea.validationMessage;
        list.appendChild(li);
        wrap.parentNode.insertBefore(list, wrap.nextSibling);
        editor.setAttribute("aria-describedby", ((editor.getAttribute("aria-describedby") || "") + " " + list.id).trim());
      }
      editor.focus();
    });
    var form = textarea.form;
    if (form) {
      form.addEventListener("submit", sync, true);
      form.addEventListener("formdata", function (e) {
        sync(); // form.submit() and new FormData(form) fire no submit event
        if (textarea.name && !textarea.disabled) e.formData.set(textarea.name, textarea.value);
      });
    }
    sync();
    record();
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.matches && root.matches("textarea[data-richtext]")) enhance(root);
    root.querySelectorAll("textarea[data-richtext]").forEach(enhance);
  }

  window.eofficeRichtext = { enhance: enhance, clean: cleanHtml, textToHtml: textToHtml };

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
