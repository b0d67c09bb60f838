// The commune search (SPEC §10 step 2): the list follows the typing.
// Without this script the search form and its list work the same, one Enter at a time: the
// server matches the communes (accent- and case-insensitive) in both cases.
"use strict";

(function () {
  var field = document.getElementById("commune");
  var results = document.getElementById("commune-results");
  if (!field || !results || !window.fetch || !window.DOMParser) {
    return;
  }
  var asked = 0;
  var timer = null;

  function show(query, page, number) {
    if (number !== asked) {
      return; // a later search was asked meanwhile
    }
    var fresh = new DOMParser().parseFromString(page, "text/html");
    var list = fresh.getElementById("commune-results");
    var error = fresh.getElementById("commune-error");
    var current = document.getElementById("commune-error");
    if (current) {
      current.parentNode.removeChild(current);
    }
    if (error) {
      field.parentNode.parentNode.appendChild(document.importNode(error, true));
    }
    if (list) {
      results.replaceChildren.apply(
        results,
        Array.prototype.map.call(list.childNodes, function (node) {
          return document.importNode(node, true);
        })
      );
    }
  }

  function search() {
    asked += 1;
    var number = asked;
    var query = field.value;
    window
      .fetch("/inscription?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (page) {
        if (page !== null) {
          show(query, page, number);
        }
      })
      .catch(function () {
        // The form still works: Enter searches.
      });
  }

  field.addEventListener("input", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(search, 120);
  });
})();
