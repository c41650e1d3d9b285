/*
 * The vacancy board: drag a card onto another stage's column to move it. The drop
 * posts what the buttons post (as a partial update through htmx), with the
 * stage the card was in, so a move someone made meanwhile is refused, not lost.
 * Listeners sit on the document, since htmx replaces the board after every move.
 */
(function () {
  'use strict';

  var dragged = null;

  function columnUnder(event) {
    return event.target.closest && event.target.closest('#board .board-column');
  }

  document.addEventListener('dragstart', function (event) {
    dragged = event.target.closest && event.target.closest('#board .board-card');
    if (dragged) {
      event.dataTransfer.setData('text/plain', dragged.dataset.application);
      event.dataTransfer.effectAllowed = 'move';
    }
  });
  document.addEventListener('dragover', function (event) {
    var column = columnUnder(event);
    if (dragged && column && column.dataset.stage !== dragged.dataset.stage) {
      event.preventDefault();
      column.classList.add('board-drop');
    }
  });
  document.addEventListener('dragleave', function (event) {
    var column = columnUnder(event);
    if (column) {
      column.classList.remove('board-drop');
    }
  });
  document.addEventListener('drop', function (event) {
    var column = columnUnder(event);
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    column.classList.remove('board-drop');
    var form = document.getElementById('board-drop-form');
    form.action = dragged.dataset.moveUrl;
    form.elements.stage.value = column.dataset.stage;
    form.elements.expected_stage.value = dragged.dataset.stage;
    dragged = null;
    if (typeof htmx === 'undefined') {
      form.submit();
      return;
    }
    // htmx.ajax, not a boosted submit: a boosted form keeps the address it had when
    // htmx first saw it, and this one gets a new address for every drop.
    htmx.ajax('POST', form.action, {source: form, target: '#board', select: '#board', swap: 'outerHTML'});
  });

  // On a phone the board shows one stage: the switcher loads the board at another, so
  // the moves made from there come back to it.
  document.addEventListener('change', function (event) {
    if (event.target.classList.contains('js-board-switcher')) {
      var params = new URLSearchParams(window.location.search);
      params.set('stage', event.target.value);
      window.location.search = params.toString();
    }
  });
}());
