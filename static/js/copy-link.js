/* The vacancy page's "Copy link": the careers page's address to the clipboard. */
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var button = event.target.closest('.js-copy-link');
    if (!button) {
      return;
    }
    var source = document.getElementById(button.dataset.copyFrom);
    source.select();
    navigator.clipboard.writeText(source.value).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
}());
