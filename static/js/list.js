/* The applicant list: pickers for the multi-choice filters; htmx does the rest. */
(function () {
  'use strict';

  function enhancePickers(root) {
    if (typeof TomSelect === 'undefined') {
      return;
    }
    root.querySelectorAll('select.js-picker').forEach(function (select) {
      if (!select.tomselect) {
        new TomSelect(select, {plugins: ['remove_button'], maxOptions: 200});
      }
    });
  }

  // Empty filters stay out of the address bar, so a shared link shows only what is set.
  function dropEmptyFilters(event) {
    if (event.detail.elt.id !== 'filters') {
      return;
    }
    var params = event.detail.parameters;
    Array.from(new Set(params.keys())).forEach(function (key) {
      if (params.getAll(key).every(function (value) { return value === ''; })) {
        params.delete(key);
      }
    });
  }

  // The header's box ticks or clears every row of the page for a bulk action.
  function selectPage(event) {
    if (!event.target.classList.contains('bulk-select-all')) {
      return;
    }
    document.querySelectorAll('input.bulk-select').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    enhancePickers(document);
  });
  document.addEventListener('change', selectPage);
  document.addEventListener('htmx:configRequest', dropEmptyFilters);
}());
