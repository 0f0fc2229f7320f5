// Draws the risk-settings page's reliability chart (observed against predicted, by decile)
// from the JSON the page carries (json_script: no inline script, so the Content-Security-Policy
// holds), mirrored for right-to-left pages.
(function () {
  "use strict";

  function percent(value) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: "percent",
      maximumFractionDigits: 0,
    }).format(value);
  }

  function axis(title, rtl) {
    return {
      min: 0,
      max: 1,
      reverse: rtl,
      title: { display: true, text: title },
      ticks: { callback: (v) => percent(v) },
    };
  }

  function draw() {
    const canvas = document.querySelector("canvas[data-chart='reliability-data']");
    const source = document.getElementById("reliability-data");
    if (!canvas || !source) return;
    const spec = JSON.parse(source.textContent);
    const rtl = document.documentElement.dir === "rtl";
    const x = axis(spec.x_title, rtl);
    const y = axis(spec.y_title, false);
    new Chart(canvas, {
      type: spec.type,
      data: { datasets: spec.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: x, y: y },
        plugins: {
          legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: ${percent(item.raw.x)} → ${percent(item.raw.y)}`,
            },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
