// Counts a reading as read when its end scrolls into view. Without this script
// the "Mark as read" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-mark-read]");
  var end = document.querySelector("[data-reading-end]");
  if (!form || !end || !("IntersectionObserver" in window) || !window.fetch) {
    return;
  }
  var sent = false;
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting || sent) {
        return;
      }
      sent = true;
      observer.disconnect();
      var body = new FormData(form);
      body.append("how", "end");
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.ok) {
          form.setAttribute("data-read", "true");
          var button = form.querySelector("button");
          if (button) {
            button.disabled = true;
            button.textContent = "✓";
          }
        } else {
          sent = false;
        }
      }).catch(function () { sent = false; });
    });
  });
  observer.observe(end);
})();
