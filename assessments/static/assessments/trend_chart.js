// The account page's assessment trend: score (0-100, left axis) and each 1-5 answer (right axis).
// Data comes from a json_script element, so the page needs no inline script (CSP-friendly).
// (An axis id of "scale" makes Chart.js 4 drop the first point: hence "answers".)
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("assessment-chart");
    var source = document.getElementById("assessment-chart-data");
    if (!canvas || !source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var datasets = [{
      label: canvas.dataset.scoreLabel, data: data.score, yAxisID: "score", borderWidth: 3,
    }];
    Object.keys(data.questions).forEach(function (number) {
      datasets.push({
        label: canvas.dataset.questionLabel + number, data: data.questions[number],
        yAxisID: "answers", borderWidth: 1, hidden: true, spanGaps: true,
      });
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        scales: {
          score: { type: "linear", position: "left", min: 0, max: 100, ticks: { stepSize: 20 } },
          answers: { type: "linear", position: "right", min: 1, max: 5, ticks: { stepSize: 1 },
                   grid: { drawOnChartArea: false } },
        },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
