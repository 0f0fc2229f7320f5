// The account list's "select every row of this page" box. It ticks or clears each row's box and
// follows them when they are ticked one by one. Without JavaScript it stays hidden and rows are
// ticked one at a time; the rows' boxes belong to the bulk form (form="…") either way.
(function () {
  "use strict";

  function rowBoxes(all) {
    var selector = 'input[type="checkbox"][name="' + all.dataset.selectAll + '"]';
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function reveal() {
    document.querySelectorAll("[data-select-all]").forEach(function (all) {
      all.hidden = false;
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      rowBoxes(target).forEach(function (box) {
        box.checked = target.checked;
      });
      return;
    }
    document.querySelectorAll("[data-select-all]").forEach(function (all) {
      var boxes = rowBoxes(all);
      if (boxes.indexOf(target) === -1) return;
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });

  reveal();
  // The list refreshes its results in place (htmx): reveal the new header box too.
  document.addEventListener("htmx:afterSettle", reveal);
})();
