// Shows a live word count under each box of the written assignment. Only a help: the server counts the
// words again (the same way) and refuses what is outside the limits, with or without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-word-count]");
  if (!form) {
    return;
  }
  // As the server counts: runs between whitespace or dashes set without spaces, holding a letter or digit.
  var separators = /[\s\u200b\u2013\u2014\u2015]+/;
  var wordish = /[\p{L}\p{N}]/u;
  // The page gives the words in its language, e.g. "Words: {count} (allowed {min} to {max})".
  var template = form.getAttribute("data-word-count") || "{count}";
  function label(n, min, max) {
    return template.replace("{count}", n).replace("{min}", min).replace("{max}", max);
  }

  function count(text) {
    return text.split(separators).filter(function (token) { return wordish.test(token); }).length;
  }

  form.querySelectorAll("textarea[data-max-words]").forEach(function (box) {
    var output = form.querySelector('[data-count-for="' + box.id + '"]');
    if (!output) {
      return;
    }
    var min = parseInt(box.getAttribute("data-min-words"), 10);
    var max = parseInt(box.getAttribute("data-max-words"), 10);
    function update() {
      var n = count(box.value);
      output.textContent = label(n, min, max);
      output.classList.toggle("outside", n > 0 && (n < min || n > max));
    }
    output.hidden = false;
    box.addEventListener("input", update);
    update();
  });
})();
