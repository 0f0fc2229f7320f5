// Draws the dashboard's charts from the JSON the page carries (json_script: no inline script,
// so the Content-Security-Policy holds), mirrored for right-to-left pages, and makes every bar
// a link to the accounts behind it. Charts are drawn again after htmx swaps the body in.
(function () {
  "use strict";

  const charts = [];

  function numberFormat() {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: 0,
    });
  }

  function options(spec, rtl) {
    const format = numberFormat();
    const horizontal = Boolean(spec.horizontal);
    const stacked = Boolean(spec.stacked);
    const category = { stacked: stacked, reverse: rtl && !horizontal, ticks: { autoSkip: true } };
    const value = {
      stacked: stacked,
      beginAtZero: true,
      reverse: rtl && horizontal,
      ticks: { callback: (v) => format.format(v) },
    };
    return {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: horizontal ? { x: value, y: category } : { x: category, y: value },
      plugins: {
        legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
        tooltip: {
          rtl: rtl,
          textDirection: rtl ? "rtl" : "ltr",
          callbacks: {
            label: (item) => `${item.dataset.label}: ${format.format(item.raw)}`,
          },
        },
      },
      onClick: (event, elements, chart) => {
        if (!elements.length) return;
        const { datasetIndex, index } = elements[0];
        const dataset = chart.data.datasets[datasetIndex];
        const link = dataset.links ? dataset.links[index] : dataset.link;
        if (link) window.location.assign(link);
      },
      onHover: (event, elements) => {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
    };
  }

  function draw(root) {
    const rtl = document.documentElement.dir === "rtl";
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      const spec = JSON.parse(source.textContent);
      const data = { labels: spec.labels, datasets: spec.datasets };
      charts.push(new Chart(canvas, { type: spec.type, data: data, options: options(spec, rtl) }));
    });
  }

  function clear() {
    while (charts.length) charts.pop().destroy();
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  // htmx replaces #dashboard-body whole (outerHTML): drop the old charts, draw the new ones.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target.id === "dashboard-body") clear();
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    if (!charts.length && document.getElementById("dashboard-body")) draw(document);
  });
})();
