/* Applying pages: show conditional questions only when their condition holds.
   Without this script every question is shown with a note saying when to answer it, and the
   server ignores answers whose condition does not hold. Autosave itself is htmx attributes. */
(function () {
  "use strict";

  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      values.push(input.value);
    });
    return values;
  }

  function refresh(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var values = valueOf(form, block.getAttribute("data-show-if"));
      var shown = values.indexOf(block.getAttribute("data-show-value")) !== -1;
      block.hidden = !shown;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-if]")) return;
      refresh(form);
      form.addEventListener("change", function () { refresh(form); });
    });
  });
})();
