// Small progressive enhancements; every page works without this file.
(function () {
  // Collapse the menu on narrow screens by default.
  if (window.matchMedia("(max-width: 768px)").matches) {
    document.querySelectorAll("details.nav-toggle").forEach(function (d) { d.removeAttribute("open"); });
  }
  // Tabs: [role=tablist] with buttons [role=tab][aria-controls]; panels are plain sections.
  document.querySelectorAll("[role=tablist]").forEach(function (list) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    function select(tab) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(t.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function (e) { e.preventDefault(); select(tab); });
      tab.addEventListener("keydown", function (e) {
        var next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
        if (next) { e.preventDefault(); select(next); next.focus(); }
      });
    });
    var initial = tabs.filter(function (t) { return t.getAttribute("aria-selected") === "true"; })[0] || tabs[0];
    if (initial) select(initial);
  });
  // "Select all" checkboxes: <input type=checkbox data-select-all="name">; with a form (also one named by a
  // form="…" attribute, as the list pages' bulk forms are) it ticks that form's boxes, else the page's.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var name = box.dataset.selectAll;
      var boxes = box.form ? Array.prototype.slice.call(box.form.elements)
        : Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox]"));
      boxes.forEach(function (c) { if (c.type === "checkbox" && c.name === name) c.checked = box.checked; });
    });
  });
  // Tables scroll inside their card: wrap any table a template left unwrapped (templates use .table-wrap).
  document.querySelectorAll("main table").forEach(function (t) {
    if (t.closest(".table-wrap")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    t.parentNode.insertBefore(wrap, t);
    wrap.appendChild(t);
  });
  // A table that scrolls sideways must be reachable by keyboard: focusable when it overflows and holds no link.
  function scrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      var focusable = wrap.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (overflows && !focusable) {
        wrap.tabIndex = 0;
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", "Table, scrolls sideways");
        wrap.setAttribute("role", "region");
      }
    });
  }
  scrollable();
  window.addEventListener("resize", scrollable);
  // Copy buttons: <button data-copy="#id-of-the-element-holding-the-text">; says "Copied" in its status.
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    if (!source) return;
    var text = (source.value !== undefined ? source.value : source.textContent).trim();
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    function said(words) { if (status) status.textContent = words; }
    function fallback() {
      // Without the async clipboard (plain http on another host): select the text, let the browser copy it.
      var range = document.createRange();
      range.selectNodeContents(source);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      said(ok ? "Copied" : "Press Ctrl+C (or \u2318C) to copy the selected text");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { said("Copied"); }, fallback);
    } else {
      fallback();
    }
  });
  // The header's search: results as you type (htmx), arrows move through them, Escape closes them.
  var searchForm = document.querySelector("[data-global-search]");
  if (searchForm) {
    var input = searchForm.querySelector("input[type=search]");
    var results = document.getElementById("global-search-results");
    var status = document.getElementById("global-search-status");
    var hits = function () { return Array.prototype.slice.call(results.querySelectorAll("[data-search-hit]")); };
    var close = function () { results.innerHTML = ""; };
    results.addEventListener("htmx:afterSwap", function () {
      var box = results.querySelector("[data-status]");
      if (status) status.textContent = box ? box.dataset.status : "";
    });
    searchForm.addEventListener("keydown", function (e) {
      var list = hits();
      var at = list.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && list.length) {
        e.preventDefault();
        list[at < 0 ? 0 : Math.min(at + 1, list.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus(); else list[at - 1].focus();
      } else if (e.key === "Escape") {
        close();
        input.focus();
      }
    });
    document.addEventListener("click", function (e) { if (!searchForm.contains(e.target)) close(); });
  }
  // Confirm dangerous actions: <form data-confirm="...">.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!window.confirm(f.dataset.confirm)) e.preventDefault(); });
  });
})();
