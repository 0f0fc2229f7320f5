// The goal form shows only the fields the chosen kind of goal uses. Without JavaScript every
// field shows, and the server ignores those the kind does not use.
(function () {
  "use strict";
  const kind = document.querySelector('[data-testid="goal-form"] select[name="kind"]');
  if (!kind) {
    return;
  }
  const groups = document.querySelectorAll("[data-goal-kinds]");
  function show() {
    groups.forEach(function (group) {
      group.hidden = !group.dataset.goalKinds.split(" ").includes(kind.value);
    });
  }
  kind.addEventListener("change", show);
  show();
})();
