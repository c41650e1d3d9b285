/* The report page's charts, drawn from the figures the page embeds as JSON. */
(function () {
  'use strict';

  function draw(canvas, series, type) {
    return new Chart(canvas, {
      type: type,
      data: {
        labels: series.labels,
        datasets: [{data: series.values, backgroundColor: '#3d6a9e'}]
      },
      options: {plugins: {legend: {display: false}}, indexAxis: type === 'bar' ? 'y' : 'x'}
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var source = document.getElementById('report-data');
    if (!source || typeof Chart === 'undefined') {
      return;
    }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      draw(canvas, data[canvas.dataset.chart], 'bar');
    });
  });
}());
