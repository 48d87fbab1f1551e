/* kgraph chain view: evidence panel, search, type filter, pan/zoom, expand a group.
 * The drawings are static SVG written by kgraph/viz/html.py: the first view,
 * and one <template> per folded group with that group drawn member by member.
 * This script swaps views and toggles classes; it reads the embedded JSON
 * (#kg-data) and puts data on the page with textContent, never innerHTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  /* Evidence rows point into data.sents ([doc, sentence index, text]), each sentence stored once. */
  function expandEvidence(list) {
    return list.map(function (ev) { var s = data.sents[ev.s]; return { doc: s[0], sentence: s[1], text: s[2], rule: ev.rule, source: ev.source, original: ev.original }; });
  }
  data.nodes.forEach(function (n) { n.evidence = expandEvidence(n.evidence); });
  data.edges.forEach(function (e) { e.evidence = expandEvidence(e.evidence); });
  var canvas = document.getElementById("kg-canvas");
  var baseSvg = document.getElementById("kg-svg");
  var detail = document.getElementById("kg-detail");
  var search = document.getElementById("kg-search");
  var hits = document.getElementById("kg-hits");
  var collapseBtn = document.getElementById("kg-collapse");
  var variants = {}; // group id -> <template>
  Array.prototype.forEach.call(document.querySelectorAll("template.kg-variant"), function (t) {
    variants[t.getAttribute("data-group")] = t;
  });
  var svg, nodeEls, edgeEls, byNode, incident, full, view, expanded = null;

  function mount(el) {
    svg = el;
    nodeEls = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
    edgeEls = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
    byNode = {}; // node index -> <g>
    nodeEls.forEach(function (g) { byNode[g.getAttribute("data-i")] = g; });
    incident = {}; // node index -> edge indices drawn in this view
    edgeEls.forEach(function (g) {
      var i = +g.getAttribute("data-i"), e = data.edges[i];
      (incident[e.s] = incident[e.s] || []).push(i);
      if (e.t !== e.s) (incident[e.t] = incident[e.t] || []).push(i);
    });
    full = { x: +svg.getAttribute("data-x"), y: +svg.getAttribute("data-y"),
             w: +svg.getAttribute("data-width"), h: +svg.getAttribute("data-height") };
    view = { x: full.x, y: full.y, w: full.w, h: full.h };
  }
  mount(baseSvg);

  /* Show the view with group ``gid`` expanded (null: the first view). */
  function showView(gid) {
    if (gid === expanded) return;
    var next = gid === null ? baseSvg : variants[gid].content.firstElementChild.cloneNode(true);
    var labelsOff = svg.classList.contains("no-elabels");
    canvas.replaceChild(next, svg);
    mount(next);
    svg.classList.toggle("no-elabels", labelsOff);
    expanded = gid;
    collapseBtn.hidden = gid === null;
    document.body.setAttribute("data-expanded", gid === null ? "" : gid);
    applyFilter();
  }

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined && text !== null) x.textContent = String(text);
    return x;
  }
  /* At most five documents by name; a folded relation may cite hundreds. */
  function docList(ids) {
    var shown = ids.slice(0, 5).map(docName).join("；");
    // the page keeps at most 20 ids per node or relation (html.MAX_DOCS)
    return "文档：" + shown + (ids.length > 5 ? " 等 " + ids.length + (ids.length >= 20 ? "+" : "") + " 篇" : "");
  }
  function docName(id) { return data.docs[id] && data.docs[id] !== id ? data.docs[id] + "（" + id + "）" : id; }
  function clearDetail() { while (detail.firstChild) detail.removeChild(detail.firstChild); }

  /* A sentence with the given names marked. */
  function sentence(text, names) {
    var box = el("div", "ev-text");
    var marks = names.filter(function (n) { return n && text.indexOf(n) >= 0; });
    var i = 0;
    while (i < text.length) {
      var best = -1, bestName = "";
      marks.forEach(function (n) {
        var j = text.indexOf(n, i);
        if (j >= 0 && (best < 0 || j < best || (j === best && n.length > bestName.length))) { best = j; bestName = n; }
      });
      if (best < 0) { box.appendChild(document.createTextNode(text.slice(i))); break; }
      if (best > i) box.appendChild(document.createTextNode(text.slice(i, best)));
      box.appendChild(el("mark", "", bestName));
      i = best + bestName.length;
    }
    return box;
  }

  function evidenceList(list, names, caption) {
    var frag = document.createDocumentFragment();
    list.forEach(function (ev) {
      var item = el("div", "ev");
      var meta = el("div", "ev-meta");
      meta.appendChild(document.createTextNode((caption ? caption + " · " : "") + docName(ev.doc) +
        " · 第" + (Number(ev.sentence) + 1) + "句 · 规则 "));
      meta.appendChild(el("span", "rule", ev.rule || "?"));
      /* where the file says it, and how: kgraph.verbatim */
      if (ev.source) meta.appendChild(el("span", "source", " · " + ev.source));
      item.appendChild(meta);
      item.appendChild(sentence(String(ev.text || ""), names));
      if (ev.original) item.appendChild(el("div", "original", "原文：" + ev.original));
      frag.appendChild(item);
    });
    return frag;
  }

  function relButton(i, from) {
    var e = data.edges[i];
    var s = data.nodes[e.s].name, t = data.nodes[e.t].name;
    var b = el("button", "kg-rel", (e.s === from ? "→ " + t : "← " + s) + "　" + e.caption + "（×" + e.count + "）");
    b.type = "button";
    b.addEventListener("click", function () { selectEdge(i); });
    return b;
  }

  function setFocus(nodes, edges, selNode, selEdge) {
    svg.classList.add("focus");
    nodeEls.forEach(function (g) {
      var i = +g.getAttribute("data-i");
      g.classList.toggle("sel", i === selNode);
      g.classList.toggle("nb", nodes.indexOf(i) >= 0);
    });
    edgeEls.forEach(function (g) {
      var i = +g.getAttribute("data-i");
      g.classList.toggle("sel", i === selEdge);
      g.classList.toggle("nb", edges.indexOf(i) >= 0);
    });
  }

  function clearFocus() {
    svg.classList.remove("focus");
    nodeEls.concat(edgeEls).forEach(function (g) { g.classList.remove("sel", "nb"); });
  }

  function groupPanel(n) {
    detail.appendChild(el("h3", "", "成员（" + n.size + "，按提及次数）"));
    var list = el("div", "kg-members");
    n.members.forEach(function (m) {
      var row = el("div", "", m.name + " ");
      row.appendChild(el("small", "", (data.labels[m.label] || m.label) + " · " + m.mentions));
      list.appendChild(row);
    });
    detail.appendChild(list);
    if (n.members.length < n.size) detail.appendChild(el("p", "kg-more", "另有 " + (n.size - n.members.length) + " 个未列出。"));
  }

  function selectNode(i) {
    var n = data.nodes[i];
    var edges = incident[i] || [];
    var nbs = [i];
    edges.forEach(function (k) { nbs.push(data.edges[k].s, data.edges[k].t); });
    setFocus(nbs, edges, i, -1);
    clearDetail();
    detail.appendChild(el("div", "kg-title", n.caption || n.name));
    var meta = el("div", "kg-meta");
    meta.appendChild(el("span", "kg-badge", (data.labels[n.label] || n.label) + " " + n.label));
    [n.category && "类别：" + n.category, n.title && "职务：" + n.title, n.org && "机构：" + n.org,
     n.place && "地点：" + n.place, n.date && "日期：" + n.date,
     "层级：" + (data.tiers[n.tier] || n.tier), "提及 " + n.mentions + " 次"]
      .filter(Boolean).forEach(function (t) { meta.appendChild(document.createTextNode(" " + t + "　")); });
    detail.appendChild(meta);
    if (n.docs.length) detail.appendChild(el("div", "kg-meta", docList(n.docs)));
    if (n.members) groupPanel(n);
    detail.appendChild(el("h3", "", "关系（" + edges.length + "）"));
    edges.forEach(function (k) { detail.appendChild(relButton(k, i)); });
    detail.appendChild(el("h3", "", "证据句"));
    var shown = 0;
    edges.forEach(function (k) {
      var e = data.edges[k];
      var names = [data.nodes[e.s].name, data.nodes[e.t].name].concat(Object.keys(e.attrs).map(function (a) { return e.attrs[a]; }));
      var cap = data.nodes[e.s].name + " " + e.caption + " " + data.nodes[e.t].name;
      detail.appendChild(evidenceList(e.evidence, names, cap));
      shown += e.evidence.length;
    });
    if (n.evidence.length) {
      detail.appendChild(el("h3", "", "提及之处"));
      detail.appendChild(evidenceList(n.evidence, [n.name], ""));
      shown += n.evidence.length;
    }
    if (!shown) detail.appendChild(el("p", "kg-more", "没有证据句。"));
    detail.setAttribute("data-kind", "node");
    detail.setAttribute("data-count", String(shown));
  }

  function selectEdge(i) {
    var e = data.edges[i];
    var s = data.nodes[e.s], t = data.nodes[e.t];
    setFocus([e.s, e.t], [], -1, i);
    clearDetail();
    detail.appendChild(el("div", "kg-title", s.name + " → " + t.name));
    var meta = el("div", "kg-meta");
    meta.appendChild(el("span", "kg-badge", e.caption));
    meta.appendChild(document.createTextNode(" " + e.type + "　出现 " + e.count + " 次　规则 " + e.rules.join(", ")));
    detail.appendChild(meta);
    Object.keys(e.attrs).forEach(function (a) {
      if (e.attrs[a]) detail.appendChild(el("div", "kg-meta", a + "：" + e.attrs[a]));
    });
    detail.appendChild(el("div", "kg-meta", docList(e.docs)));
    detail.appendChild(el("h3", "", "证据句（" + e.evidence.length + "）"));
    detail.appendChild(evidenceList(e.evidence, [s.name, t.name].concat(Object.keys(e.attrs).map(function (a) { return e.attrs[a]; })), ""));
    if (e.more) detail.appendChild(el("p", "kg-more", "另有 " + e.more + " 句未列出。"));
    var back = el("div", "");
    back.appendChild(el("h3", "", "端点"));
    [e.s, e.t].forEach(function (k) {
      var b = el("button", "kg-rel", data.nodes[k].name);
      b.type = "button";
      b.addEventListener("click", function () { selectNode(k); });
      back.appendChild(b);
    });
    detail.appendChild(back);
    detail.setAttribute("data-kind", "edge");
    detail.setAttribute("data-count", String(e.evidence.length));
  }

  /* --- pan and zoom through the viewBox -------------------------------- */
  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(1); }).join(" ")); }
  function toGraph(evt) {
    var r = svg.getBoundingClientRect();
    var s = Math.max(view.w / r.width, view.h / r.height); // preserveAspectRatio meet
    var ox = (r.width * s - view.w) / 2, oy = 0; // preserveAspectRatio xMidYMin
    return { x: view.x - ox + (evt.clientX - r.left) * s, y: view.y - oy + (evt.clientY - r.top) * s, s: s };
  }
  canvas.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var p = toGraph(evt);
    var f = Math.exp(evt.deltaY * 0.0015);
    var w = Math.min(full.w * 4, Math.max(80, view.w * f));
    f = w / view.w;
    view.x = p.x - (p.x - view.x) * f;
    view.y = p.y - (p.y - view.y) * f;
    view.w *= f; view.h *= f;
    apply();
  }, { passive: false });
  var drag = null, moved = false;
  canvas.addEventListener("mousedown", function (evt) {
    if (evt.button !== 0) return;
    drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y, s: toGraph(evt).s };
    moved = false;
  });
  window.addEventListener("mousemove", function (evt) {
    if (!drag) return;
    var dx = evt.clientX - drag.x, dy = evt.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true;
    svg.classList.add("dragging");
    view.x = drag.vx - dx * drag.s; view.y = drag.vy - dy * drag.s;
    apply();
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); });
  function fit() { view = { x: full.x, y: full.y, w: full.w, h: full.h }; apply(); }
  function centre(i) {
    var g = byNode[i];
    if (!g) return;
    var m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute("transform"));
    if (!m) return;
    var w = Math.min(view.w, Math.max(600, full.w / 3)), h = view.h * w / view.w;
    view = { x: +m[1] - w / 2, y: +m[2] - h / 2, w: w, h: h };
    apply();
  }
  document.getElementById("kg-fit").addEventListener("click", fit);

  /* --- clicks: a folded group expands, its remainder folds it back -------- */
  function expandNode(i) {
    var n = data.nodes[i];
    if (!n.members) return false;
    if (variants[n.group] && expanded !== n.group) {
      showView(n.group);
      var members = [];
      nodeEls.forEach(function (g) {
        var m = data.nodes[+g.getAttribute("data-i")];
        if (m.in === n.group) members.push(+g.getAttribute("data-i"));
      });
      selectNode(i);
      setFocus(members, [], -1, -1);
      return true;
    }
    if (expanded !== null && n.group === expanded) { showView(null); selectNode(i); return true; }
    return false;
  }
  canvas.addEventListener("click", function (evt) {
    if (moved) { moved = false; return; }
    var g = evt.target.closest ? evt.target.closest("g.node, g.edge") : null;
    if (!g) { clearFocus(); return; }
    var i = +g.getAttribute("data-i");
    if (g.classList.contains("node")) { if (!expandNode(i)) selectNode(i); } else selectEdge(i);
  });
  collapseBtn.addEventListener("click", function () { showView(null); clearFocus(); });

  /* --- search ------------------------------------------------------------ */
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    nodeEls.forEach(function (g) {
      var i = +g.getAttribute("data-i");
      var hit = q !== "" && data.nodes[i].name.toLowerCase().indexOf(q) >= 0 && !g.classList.contains("hidden");
      g.classList.toggle("hit", hit);
      if (hit) found.push(i);
    });
    svg.classList.toggle("searching", q !== "");
    hits.textContent = q === "" ? "" : found.length + " 个匹配";
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter") {
      var found = runSearch();
      if (found.length) { selectNode(found[0]); centre(found[0]); }
    } else if (evt.key === "Escape") {
      search.value = ""; runSearch();
    }
  });

  /* --- type filter and edge labels ---------------------------------------- */
  function applyFilter() {
    var off = {};
    Array.prototype.forEach.call(document.querySelectorAll("#kg-legend input[data-label]"), function (box) {
      if (!box.checked) off[box.getAttribute("data-label")] = true;
    });
    nodeEls.forEach(function (g) { g.classList.toggle("hidden", !!off[g.getAttribute("data-label")]); });
    edgeEls.forEach(function (g) {
      var e = data.edges[+g.getAttribute("data-i")];
      g.classList.toggle("hidden", !!(off[data.nodes[e.s].label] || off[data.nodes[e.t].label]));
    });
    runSearch();
  }
  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend input[data-label]"), function (box) {
    box.addEventListener("change", applyFilter);
  });
  document.getElementById("kg-elabels").addEventListener("change", function (evt) {
    svg.classList.toggle("no-elabels", !evt.target.checked);
  });

  window.kgraphView = { data: data, selectNode: selectNode, selectEdge: selectEdge, expand: expandNode,
    collapse: function () { showView(null); }, search: function (q) { search.value = q; return runSearch(); }, fit: fit };
  document.body.setAttribute("data-ready", "1");
})();
