/* The applicant list: pickers for the multi-choice filters. htmx does the rest. */
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

  document.addEventListener('DOMContentLoaded', function () {
    enhancePickers(document);
  });
}());
