// Asks before a form marked data-confirm="question" is sent (the delete
// buttons): the page's language is in the attribute, set by the server.
// Without this script the form is sent at once; the server still refuses
// what may not be deleted.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
