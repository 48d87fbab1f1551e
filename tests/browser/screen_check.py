"""What a reader sees on the first screen of a chain page, measured in the browser.

:func:`first_screen` returns the problems found on the page as it opens
(before any click): node boxes or visible labels that overlap, a node name
that does not fit its box, anything drawn outside the canvas, bands or legend
missing, text too small to read.  Used by tests/test_viz_browser.py and by
tests/browser/shots.py (the screenshots in docs/img/).
"""

from __future__ import annotations

CHECK_JS = r"""
(function () {
  var svg = document.querySelector('#kg-canvas > svg');
  var canvas = document.getElementById('kg-canvas').getBoundingClientRect();
  function R(el) { var r = el.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, w: r.width, h: r.height}; }
  function hit(a, b, pad) { pad = pad || 0; return a.x0 < b.x1 - pad && b.x0 < a.x1 - pad && a.y0 < b.y1 - pad && b.y0 < a.y1 - pad; }
  function inside(a, b, tol) { return a.x0 >= b.x0 - tol && a.y0 >= b.y0 - tol && a.x1 <= b.x1 + tol && a.y1 <= b.y1 + tol; }
  var problems = [];
  var nodes = [].slice.call(svg.querySelectorAll('g.node:not(.hidden)')).map(function (g) {
    return {name: g.querySelector('text.nlabel').textContent, shape: R(g.querySelector('.shape')), text: R(g.querySelector('text.nlabel'))};
  });
  var elabels = [].slice.call(svg.querySelectorAll('g.edge text.elabel')).filter(function (t) {
    return getComputedStyle(t).display !== 'none';
  }).map(function (t) { return {name: t.textContent, r: R(t)}; });
  var bands = [].slice.call(svg.querySelectorAll('g.band')).map(function (g) {
    var label = svg.querySelector('text.band-label[data-tier="' + g.getAttribute('data-tier') + '"]');
    return {name: label.textContent, r: R(g.querySelector('rect')), label: R(label)};
  });
  var box = {x0: canvas.left, y0: canvas.top, x1: canvas.right, y1: canvas.bottom};
  nodes.forEach(function (n, i) {
    if (!inside(n.text, n.shape, 1.5)) problems.push('name does not fit its box: ' + n.name);
    if (!inside(n.shape, box, 1)) problems.push('node outside the first screen: ' + n.name);
    if (n.text.h < 9) problems.push('name too small to read (' + n.text.h.toFixed(1) + 'px): ' + n.name);
    for (var j = i + 1; j < nodes.length; j++) if (hit(n.shape, nodes[j].shape, 0.5)) problems.push('nodes overlap: ' + n.name + ' / ' + nodes[j].name);
  });
  elabels.forEach(function (e, i) {
    nodes.forEach(function (n) { if (hit(e.r, n.shape, 1)) problems.push('edge label on a node: ' + e.name + ' / ' + n.name); });
    for (var j = i + 1; j < elabels.length; j++) if (hit(e.r, elabels[j].r, 1)) problems.push('edge labels overlap: ' + e.name + ' / ' + elabels[j].name);
  });
  bands.forEach(function (b) {
    if (!inside(b.label, box, 1)) problems.push('band caption outside the first screen: ' + b.name);
    nodes.forEach(function (n) { if (hit(b.label, n.shape, 0.5)) problems.push('band caption on a node: ' + b.name + ' / ' + n.name); });
    elabels.forEach(function (e) { if (hit(b.label, e.r, 1)) problems.push('band caption on an edge label: ' + b.name + ' / ' + e.name); });
  });
  var legend = document.getElementById('kg-legend');
  var lr = R(legend);
  var items = legend.querySelectorAll('.legend-item').length;
  if (!items) problems.push('no legend items');
  if (!(lr.y1 <= window.innerHeight && lr.x1 <= window.innerWidth && lr.w > 100)) problems.push('legend not on the first screen');
  if (!bands.length) problems.push('no bands');
  return {problems: problems, nodes: nodes.length, edgeLabels: elabels.length, bands: bands.map(function (b) { return b.name; }),
          legendItems: items, minText: Math.min.apply(null, nodes.map(function (n) { return n.text.h; }))};
})()
"""


def first_screen(page) -> dict:
    """Measure the page as it opens; ``result['problems']`` lists what a reader would stumble on."""
    return page.evaluate(CHECK_JS)
