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
  // "Select all" checkboxes: <input type=checkbox data-select-all="name">.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var scope = box.form || document;
      scope.querySelectorAll('input[type=checkbox][name="' + box.dataset.selectAll + '"]').forEach(function (c) { c.checked = box.checked; });
    });
  });
  // Confirm dangerous actions: <form data-confirm="...">.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!window.confirm(f.dataset.confirm)) e.preventDefault(); });
  });
})();
