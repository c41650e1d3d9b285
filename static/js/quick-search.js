/*
 * Quick search in the navigation bar: up to ten applicants as you type; a click, or
 * Enter on a highlighted one, opens that applicant. Enter with nothing highlighted
 * submits the form, which searches the applicant list for the text. (A plain input
 * with a listbox rather than Tom Select, whose single select would swallow the
 * free text that the list search needs.)
 */
(function () {
  'use strict';

  var DELAY_MS = 150;

  function setUp(input) {
    var list = document.getElementById(input.getAttribute('aria-controls'));
    var timer = null;
    var active = -1;
    var latest = 0;

    function items() {
      return list.querySelectorAll('[role="option"]');
    }

    function close() {
      list.classList.remove('show');
      input.setAttribute('aria-expanded', 'false');
      active = -1;
    }

    function highlight(index) {
      var options = items();
      options.forEach(function (option, i) {
        option.classList.toggle('active', i === index);
        option.setAttribute('aria-selected', i === index ? 'true' : 'false');
      });
      active = index;
    }

    function render(results) {
      list.replaceChildren();
      results.forEach(function (result) {
        var link = document.createElement('a');
        link.className = 'dropdown-item';
        link.href = result.url;
        link.setAttribute('role', 'option');
        var name = document.createElement('strong');
        name.textContent = result.name;
        var contact = document.createElement('span');
        contact.className = 'small text-body-secondary ms-2';
        contact.textContent = [result.email, result.phone].filter(Boolean).join(' · ');
        link.append(name, contact);
        if (result.in_cv) {
          var inCv = document.createElement('span');
          inCv.className = 'badge text-bg-info ms-2';
          inCv.textContent = input.dataset.inCv;
          link.append(inCv);
        }
        list.append(link);
      });
      if (!results.length) {
        var none = document.createElement('span');
        none.className = 'dropdown-item-text text-body-secondary';
        none.textContent = input.dataset.noResults;
        list.append(none);
      }
      list.classList.add('show');
      input.setAttribute('aria-expanded', 'true');
      active = -1;
    }

    function load() {
      var text = input.value.trim();
      if (text.length < 2) {
        close();
        return;
      }
      var request = ++latest;
      fetch(input.dataset.suggestUrl + '?q=' + encodeURIComponent(text), {credentials: 'same-origin'})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          // An answer to an older keystroke must not replace a newer one.
          if (request === latest) {
            render(data.results);
          }
        })
        .catch(close);
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(load, DELAY_MS);
    });
    input.addEventListener('keydown', function (event) {
      var count = items().length;
      if (event.key === 'ArrowDown' && count) {
        event.preventDefault();
        highlight((active + 1) % count);
      } else if (event.key === 'ArrowUp' && count) {
        event.preventDefault();
        highlight((active - 1 + count) % count);
      } else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault();
        window.location.href = items()[active].href;
      } else if (event.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', function () {
      // Later than a click on a suggestion, so the click still lands.
      setTimeout(close, 200);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('input.js-quick-search').forEach(setUp);
  });
}());
