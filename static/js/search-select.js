// Search-as-you-type fields (accessadmin.widgets.SearchSelect, templates/includes/search_select.html).
// htmx fetches the matches into the listbox as the user types; this file adds the ARIA combobox pattern:
// ArrowDown/ArrowUp move through the options, Enter or a click picks one, Escape closes the list.
// Picking puts the option's value into the hidden input and its label into the search input.
(function () {
  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role=option]:not([aria-disabled=true])'));
  }

  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var input = box.querySelector('[role=combobox]');
    var hidden = box.querySelector('[data-search-value]');
    var list = box.querySelector('[role=listbox]');
    var active = -1;

    function open() {
      list.hidden = list.children.length === 0;
      input.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
    }
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(index) {
      var items = options(list);
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute('aria-selected', i === active ? 'true' : 'false'); });
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({block: 'nearest'});
    }
    function choose(item) {
      hidden.value = item.dataset.value;
      input.value = item.dataset.label;
      close();
      hidden.dispatchEvent(new Event('change', {bubbles: true}));
      if (box.hasAttribute('data-submit-on-choose') && input.form) input.form.requestSubmit();
    }

    list.addEventListener('htmx:afterSwap', function () { active = -1; open(); });
    input.addEventListener('input', function () { hidden.value = ''; });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (list.hidden) open();
        highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
        e.preventDefault();
        choose(options(list)[active]);
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
      }
    });
    // mousedown, not click: it comes before the input loses focus (which closes the list).
    list.addEventListener('mousedown', function (e) {
      var item = e.target.closest('[role=option]');
      if (item && item.getAttribute('aria-disabled') !== 'true') { e.preventDefault(); choose(item); }
    });
    input.addEventListener('blur', function () { window.setTimeout(close, 150); });
  }

  function setupAll(root) {
    (root || document).querySelectorAll('[data-search-select]').forEach(setup);
  }
  document.addEventListener('DOMContentLoaded', function () { setupAll(document); });
  document.addEventListener('htmx:load', function (e) { setupAll(e.target); });
})();
