/* eoffice — inline PDF viewer (ES module; markup in templates/_pdf_viewer.html, styles in css/pdfview.css).
 *
 * Every .pdf-viewer[data-src] gets its PDF drawn page by page on <canvas> with the vendored pdf.js
 * (static/vendor/pdfjs, pdfjs-dist 4.9.155 legacy build, Apache-2.0). Works under the strict CSP: pdf.js is
 * loaded with import() from data-pdfjs and its worker from data-worker (both rendered by {% static %}, so
 * hashed names work), isEvalSupported is off, and sizes are set through the CSSOM, never style="".
 *
 *   - pages fit the width of the box (zoom is a factor of that), sharp on high-DPI screens;
 *   - only pages near the visible part of the box are drawn (IntersectionObserver);
 *   - drawn again, debounced, when the box changes width;
 *   - toolbar: "Trang x / n", zoom out / in / fit width;
 *   - if anything fails, data-state="error" and the .pdf-fallback (download, open in a new tab) shows.
 *
 * data-state on .pdf-viewer: "loading" → "ready" | "error"; data-pages holds the page count when ready.
 * Texts come from data-t-* attributes (gettext in the template); "{page}" and "{pages}" are filled in.
 */

const ZOOM_STEP = 1.25;
const ZOOM_MIN = 0.5;
const ZOOM_MAX = 4;
const MAX_CANVAS_PIXELS = 16 * 1024 * 1024; // iOS Safari refuses bigger canvases
const CSS_UNITS = 96 / 72; // CSS px per PDF point at 100 %

let pdfjsPromise = null;

function loadPdfjs(root) {
  if (!pdfjsPromise) {
    pdfjsPromise = import(root.dataset.pdfjs).then((lib) => {
      lib.GlobalWorkerOptions.workerSrc = root.dataset.worker;
      return lib;
    });
  }
  return pdfjsPromise;
}

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
}

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

class PdfViewer {
  constructor(root) {
    this.root = root;
    this.box = root.querySelector("[data-pdf-pages]");
    this.count = root.querySelector("[data-pdf-count]");
    this.scaleLabel = root.querySelector("[data-pdf-scale]");
    this.buttons = root.querySelectorAll("[data-pdf-zoom]");
    this.zoom = 1; // relative to "fit width"
    this.pages = []; // {n, el, canvas, size: {width, height} in PDF points, proxy, task, drawn, visible}
    this.boxWidth = 0;
    this.current = 1;
  }

  t(key, values = {}) {
    return fill(this.root.dataset[key], values);
  }

  async start() {
    this.root.dataset.state = "loading";
    try {
      const lib = await loadPdfjs(this.root);
      this.lib = lib;
      this.pdf = await lib.getDocument({
        url: this.root.dataset.src,
        isEvalSupported: false,
        enableXfa: false,
      }).promise;
      const first = await this.pdf.getPage(1);
      const base = first.getViewport({ scale: 1 });
      this.build({ width: base.width, height: base.height });
      this.pages[0].proxy = first;
      this.pages[0].size = { width: base.width, height: base.height };
      this.layout();
      this.observe();
      this.root.dataset.pages = String(this.pdf.numPages);
      this.root.dataset.state = "ready";
      this.buttons.forEach((b) => {
        b.disabled = false;
      });
      this.updateCount();
    } catch (error) {
      this.fail(error);
    }
  }

  fail(error) {
    if (window.console) console.warn("pdfview:", error && error.message ? error.message : error);
    this.root.dataset.state = "error";
    this.count.textContent = "";
    this.box.replaceChildren();
    this.buttons.forEach((b) => {
      b.disabled = true;
    });
  }

  build(size) {
    const frag = document.createDocumentFragment();
    for (let n = 1; n <= this.pdf.numPages; n += 1) {
      const el = document.createElement("div");
      el.className = "pdf-page";
      el.dataset.page = String(n);
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", this.t("tPage", { page: n, pages: this.pdf.numPages }));
      frag.append(el);
      // Until a page is loaded it takes the size of page 1 (most documents have one size).
      this.pages.push({ n, el, canvas: null, size: { ...size }, proxy: null, task: null, drawn: "", visible: false });
    }
    this.box.replaceChildren(frag);
  }

  /* CSS width of a page at the current zoom. */
  cssWidth(page) {
    const fit = Math.max(this.boxWidth - this.padding(), 120);
    // Fit width means the widest page fits; others keep the same scale.
    return (fit * this.zoom * page.size.width) / this.maxWidth();
  }

  maxWidth() {
    return this.pages.reduce((w, p) => Math.max(w, p.size.width), 1);
  }

  padding() {
    const cs = getComputedStyle(this.box);
    return (parseFloat(cs.paddingLeft) || 0) + (parseFloat(cs.paddingRight) || 0);
  }

  layout() {
    this.boxWidth = this.box.clientWidth;
    for (const page of this.pages) this.sizePage(page);
    const first = this.pages[0];
    const percent = Math.round((this.cssWidth(first) / (first.size.width * CSS_UNITS)) * 100);
    this.scaleLabel.textContent = `${percent}%`;
    this.root.querySelector('[data-pdf-zoom="out"]').disabled = this.zoom <= ZOOM_MIN + 1e-6;
    this.root.querySelector('[data-pdf-zoom="in"]').disabled = this.zoom >= ZOOM_MAX - 1e-6;
    this.root.querySelector('[data-pdf-zoom="fit"]').setAttribute("aria-pressed", String(this.zoom === 1));
    this.box.classList.toggle("is-zoomed", this.zoom > 1);
    for (const page of this.pages) if (page.visible) this.draw(page);
  }

  sizePage(page) {
    const width = this.cssWidth(page);
    const height = (width * page.size.height) / page.size.width;
    page.el.style.width = `${Math.floor(width)}px`;
    page.el.style.height = `${Math.floor(height)}px`;
    return { width: Math.floor(width), height: Math.floor(height) };
  }

  observe() {
    this.io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const page = this.pages[Number(entry.target.dataset.page) - 1];
          page.visible = entry.isIntersecting;
          if (page.visible) this.draw(page);
        }
      },
      { root: this.box, rootMargin: "100% 0px" },
    );
    for (const page of this.pages) this.io.observe(page.el);

    let width = this.box.clientWidth;
    const relayout = debounce(() => this.layout(), 200);
    this.ro = new ResizeObserver(() => {
      if (this.box.clientWidth !== width) {
        width = this.box.clientWidth;
        relayout();
      }
    });
    this.ro.observe(this.box);

    let ticking = false;
    this.box.addEventListener(
      "scroll",
      () => {
        if (ticking) return;
        ticking = true;
        requestAnimationFrame(() => {
          ticking = false;
          this.updateCount();
        });
      },
      { passive: true },
    );

    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-pdf-zoom]");
      if (!button || button.disabled) return;
      this.setZoom(button.dataset.pdfZoom);
    });
  }

  setZoom(action) {
    // Keep the same place of the document in view.
    const ratio = this.box.scrollHeight ? this.box.scrollTop / this.box.scrollHeight : 0;
    if (action === "in") this.zoom = Math.min(ZOOM_MAX, this.zoom * ZOOM_STEP);
    else if (action === "out") this.zoom = Math.max(ZOOM_MIN, this.zoom / ZOOM_STEP);
    else this.zoom = 1;
    if (Math.abs(this.zoom - 1) < 1e-6) this.zoom = 1;
    this.layout();
    this.box.scrollTop = ratio * this.box.scrollHeight;
  }

  updateCount() {
    const line = this.box.scrollTop + this.box.clientHeight / 3;
    let current = 1;
    for (const page of this.pages) {
      if (page.el.offsetTop <= line) current = page.n;
      else break;
    }
    this.current = current;
    this.count.textContent = this.t("tCount", { page: current, pages: this.pages.length });
  }

  async draw(page) {
    const css = this.sizePage(page);
    const ratio = window.devicePixelRatio || 1;
    let output = ratio;
    if (css.width * css.height * output * output > MAX_CANVAS_PIXELS) {
      output = Math.sqrt(MAX_CANVAS_PIXELS / (css.width * css.height));
    }
    const key = `${css.width}x${css.height}@${output}`;
    if (page.drawn === key || page.pending === key) return;
    page.pending = key;
    if (page.task) {
      page.task.cancel();
      page.task = null;
    }
    try {
      if (!page.proxy) {
        page.proxy = await this.pdf.getPage(page.n);
        const base = page.proxy.getViewport({ scale: 1 });
        if (base.width !== page.size.width || base.height !== page.size.height) {
          page.size = { width: base.width, height: base.height };
          page.pending = "";
          this.draw(page);
          return;
        }
      }
      if (page.pending !== key) return;
      const viewport = page.proxy.getViewport({ scale: (css.width * output) / page.size.width });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.className = "pdf-canvas";
      const context = canvas.getContext("2d", { alpha: false });
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      page.task = page.proxy.render({ canvasContext: context, viewport, background: "#fff" });
      await page.task.promise;
      page.task = null;
      if (page.pending !== key) return;
      // Swap only when finished: no white flash while zooming or resizing.
      if (page.canvas) page.canvas.replaceWith(canvas);
      else page.el.append(canvas);
      page.canvas = canvas;
      page.drawn = key;
      page.pending = "";
      page.el.classList.add("is-drawn");
    } catch (error) {
      if (error && error.name === "RenderingCancelledException") return;
      page.pending = "";
      if (page.n === 1) this.fail(error);
      else if (window.console) console.warn("pdfview: page", page.n, error);
    }
  }
}

function init() {
  document.querySelectorAll(".pdf-viewer[data-src]:not([data-state])").forEach((root) => {
    new PdfViewer(root).start();
  });
}

init();
document.addEventListener("htmx:afterSettle", init);
