// Quiz attempts: saves answers as they are given, and counts down the time limit.
// Without this script every page submit saves the answers and the server enforces the time.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  var status = document.querySelector("[data-autosave-status]");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  if (form && window.fetch && window.FormData) {
    var timer = null;
    var saving = false;
    var again = false;

    var save = function () {
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      fetch(form.getAttribute("data-autosave"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            say(form.getAttribute("data-saved-text"));
          } else if (data.closed && data.review) {
            window.location.assign(data.review);
          } else {
            say(form.getAttribute("data-unsaved-text"));
          }
        });
      }).catch(function () {
        say(form.getAttribute("data-unsaved-text"));
      }).then(function () {
        saving = false;
        if (again) {
          again = false;
          save();
        }
      });
    };

    var later = function (delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    };
    form.addEventListener("change", function () { later(200); });
    form.addEventListener("input", function () { later(1500); });
  }

  var clock = document.querySelector("[data-seconds-left]");
  if (clock) {
    var text = clock.querySelector("[data-timer-text]");
    var ends = Date.now() + 1000 * parseInt(clock.getAttribute("data-seconds-left"), 10);
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      text.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left > 0) {
        window.setTimeout(tick, 1000);
        return;
      }
      // Time is up: send this page's answers and submit; the server does the same on any late request.
      var page = document.querySelector("form[data-autosave]") || document.querySelector("form[data-submit-on-timeout]");
      if (page) {
        if (page.hasAttribute("data-autosave")) {
          var go = document.createElement("input");
          go.type = "hidden";
          go.name = "go";
          go.value = "submit";
          page.appendChild(go);
        }
        page.submit();
      }
    };
    tick();
  }
})();
