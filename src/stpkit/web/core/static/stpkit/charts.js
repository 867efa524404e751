// Draw every Vega-Lite chart on the page from its data-vega-spec attribute (no framework).
(function () {
  function draw(root) {
    root.querySelectorAll("[data-vega-spec]:not([data-vega-drawn])").forEach(function (el) {
      el.setAttribute("data-vega-drawn", "1");
      var spec = JSON.parse(el.getAttribute("data-vega-spec"));
      vegaEmbed(el, spec, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" })
        .then(function () { el.setAttribute("data-vega-ready", "1"); })
        .catch(function (err) { el.textContent = "The chart could not be drawn: " + err; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
