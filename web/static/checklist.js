// The live password checklist (SPEC §2): ticks each line as the customer types.
// It mirrors kiosk/passwords.py's password_checklist; the server checks the same rules and
// renders the same lines when this script does not run.
"use strict";

(function () {
  var list = document.getElementById("password-rules");
  var password = document.getElementById("password");
  var confirmation = document.getElementById("password-confirm");
  if (!list || !password || !confirmation) {
    return;
  }

  function results(typed, confirmed) {
    var normalised = typed.normalize("NFKC");
    return {
      digit: /\p{Nd}/u.test(normalised),
      length: Array.from(normalised).length >= 8,
      special: /[^\p{L}\p{N}]/u.test(normalised),
      confirmation: typed.length > 0 && normalised === confirmed.normalize("NFKC"),
    };
  }

  function paint() {
    var found = results(password.value, confirmation.value);
    var lines = list.querySelectorAll("li[data-rule]");
    for (var i = 0; i < lines.length; i += 1) {
      var line = lines[i];
      var met = found[line.getAttribute("data-rule")] === true;
      line.className = met ? "met" : "unmet";
      line.querySelector(".mark").textContent = met ? "\u2713" : "\u2717";
      line.querySelector(".state").textContent =
        " (" + list.getAttribute(met ? "data-met" : "data-unmet") + ")";
    }
  }

  password.addEventListener("input", paint);
  confirmation.addEventListener("input", paint);
  // After a refusal the fields come back empty and the server's lines say why: they stay
  // until the customer types again.
  if (password.value || confirmation.value) {
    paint();
  }
})();
