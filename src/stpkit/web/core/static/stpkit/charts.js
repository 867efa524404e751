// Draw every Vega-Lite chart on the page from its data-vega-spec attribute (no framework).
(function () {
  function draw(root) {
    root.querySelectorAll("[data-vega-spec]:not([data-vega-drawn])").forEach(function (el) {
      el.setAttribute("data-vega-drawn", "1");
      var spec = JSON.parse(el.getAttribute("data-vega-spec"));
      vegaEmbed(el, spec, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" })
        .then(function () {
          // vega-embed puts its actions menu (a focusable <details>) inside the container, so
          // the image role and its label move to the drawing itself: an image may not hold
          // interactive controls (axe: nested-interactive).
          var drawing = el.querySelector("svg.marks, canvas");
          if (drawing && el.getAttribute("role") === "img") {
            drawing.setAttribute("role", "img");
            drawing.setAttribute("aria-label", el.getAttribute("aria-label") || "Chart");
            el.setAttribute("role", "figure");  // keeps its aria-label, now the figure's name
          }
          // the actions menu's summary is an icon only: give it a name screen readers can say
          el.querySelectorAll("details > summary").forEach(function (summary) {
            summary.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
          });
          el.setAttribute("data-vega-ready", "1");
        })
        .catch(function (err) { el.textContent = "The chart could not be drawn: " + err; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
