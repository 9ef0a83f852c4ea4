// Unit pickers: a search box above each grouped <select> narrows its options as you type
// (the box stays hidden without JavaScript; the select works on its own).
(function () {
  "use strict";
  function reveal() {
    document.querySelectorAll(".unit-filter[hidden]").forEach(function (box) { box.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", reveal);
  document.addEventListener("htmx:afterSettle", reveal);
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("unit-filter")) return;
    var select = document.getElementById(box.getAttribute("data-for"));
    if (!select) return;
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var text = (option.text + " " + (option.parentNode.label || "")).toLowerCase();
      var match = option.value === "" || words.every(function (w) { return text.indexOf(w) >= 0; });
      option.hidden = !match;
      if (match && option.value !== "" && first === null) first = option;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    if (first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) first.selected = true;
  });
})();
