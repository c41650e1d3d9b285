/* The applicant page: the tags field becomes a Tom Select that makes new tags as you type. */
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof TomSelect === 'undefined') {
      return;
    }
    document.querySelectorAll('input.js-tags').forEach(function (input) {
      new TomSelect(input, {
        plugins: ['remove_button'],
        delimiter: ',',
        persist: false,
        create: function (text) {
          var name = text.trim().toLowerCase();
          return {value: name, text: name};
        }
      });
    });
  });
}());
