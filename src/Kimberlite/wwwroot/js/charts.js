// Draws the country charts with uPlot from the figures the page embeds (script#chart-data).
(function () {
  var data = document.getElementById("chart-data");
  if (!data || typeof uPlot === "undefined") return;
  var chart = JSON.parse(data.textContent);
  var number = new Intl.NumberFormat(chart.lang, { maximumFractionDigits: 2 });
  var compact = new Intl.NumberFormat(chart.lang, { notation: "compact", maximumFractionDigits: 1 });
  var colours = { production: "#1b6f5a", export: "#b5522b" };

  document.querySelectorAll(".chart-area").forEach(function (area) {
    var measure = area.getAttribute("data-measure");
    var series = chart.series.filter(function (s) { return s[measure].some(function (v) { return v !== null; }); });
    if (series.length === 0) { area.closest("figure").hidden = true; return; }
    var opts = {
      width: Math.max(260, area.clientWidth),
      height: 220,
      scales: { x: { time: false } },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? String(t) : ""; }); } },
        { size: 60, values: function (u, ticks) { return ticks.map(function (t) { return compact.format(t); }); } }
      ],
      series: [{ label: chart.yearLabel, value: function (u, v) { return v == null ? "" : String(v); } }].concat(series.map(function (s) {
        return {
          label: s.label, stroke: colours[s.css], width: 2, spanGaps: false,
          points: { show: true, size: 5, fill: colours[s.css] },
          value: function (u, v) { return v == null ? "–" : number.format(v); }
        };
      }))
    };
    var values = [chart.years].concat(series.map(function (s) { return s[measure]; }));
    var plot = new uPlot(opts, values, area);
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(260, area.clientWidth), height: 220 }); });
  });
})();
