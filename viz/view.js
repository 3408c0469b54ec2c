/* cakg view page: draws the network with vis-network and adds the legend, search, filters,
 * analytics table and details panel. Text from the graph is only ever written with
 * textContent (never innerHTML), so article text cannot inject markup or scripts. */
(function () {
  "use strict";
  var t0 = performance.now();

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clip(text, max) {
    text = String(text);
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  var meta = readJSON("cakg-meta");
  var rawNodes = readJSON("cakg-nodes");
  var rawEdges = readJSON("cakg-edges");
  var options = readJSON("cakg-options");

  // Tooltips are DOM elements built from plain text, so vis-network never parses HTML.
  function tooltip(title, rows) {
    var box = el("div");
    box.appendChild(el("div", title, "cakg-tip-title"));
    (rows || []).forEach(function (row) {
      if (row[2] === "panel") return;
      var line = el("div", null, "cakg-tip-row");
      line.appendChild(el("b", row[0] + ": "));
      line.appendChild(document.createTextNode(clip(row[1], 280)));
      box.appendChild(line);
    });
    return box;
  }
  rawNodes.forEach(function (n) {
    n.title = tooltip(n.tipTitle || n.label, n.info);
    n.typeColor = n.color;
    n.shortLabel = n.label;
  });
  rawEdges.forEach(function (e) {
    if (e.info && e.info.length) e.title = tooltip(e.tipTitle || "", e.info);
  });

  var nodes = new vis.DataSet(rawNodes);
  var edges = new vis.DataSet(rawEdges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // --- labels ---------------------------------------------------------------------------
  // Labels never overlap: from the most central node down, a label that would cover one
  // already shown is left out; hovering its node shows it (and the tooltip has the full
  // text). Node and font sizes are in canvas units, so what does not overlap when fitted
  // does not overlap at any zoom.
  var labelBoxes = {};  // id -> label box relative to its node, measured once when drawn
  function measureLabels() {
    nodes.forEach(function (n) {
      var body = network.body.nodes[n.id];
      if (!n.shortLabel || labelBoxes[n.id] || !body) return;
      var size = body.labelModule.size;
      labelBoxes[n.id] = {
        dx: size.left - body.x, dy: size.top - body.y, w: size.width, h: size.height
      };
    });
  }
  function labelBox(id) {
    var b = labelBoxes[id];
    var p = network.getPosition(id);
    return { left: p.x + b.dx, top: p.y + b.dy, right: p.x + b.dx + b.w, bottom: p.y + b.dy + b.h };
  }
  function overlaps(a, b) {
    var pad = 2;
    return a.left < b.right + pad && b.left < a.right + pad && a.top < b.bottom + pad && b.top < a.bottom + pad;
  }
  function declutterLabels() {
    var placed = [];
    var updates = [];
    nodes.get({ filter: function (n) { return n.shortLabel && labelBoxes[n.id]; } })
      .sort(function (a, b) { return a.labelRank - b.labelRank; })
      .forEach(function (n) {
        var show = false;
        if (!n.hidden) {
          var box = labelBox(n.id);
          show = !placed.some(function (other) { return overlaps(box, other); });
          if (show) placed.push(box);
        }
        var label = show ? n.shortLabel : "";
        if (n.label !== label) updates.push({ id: n.id, label: label });
      });
    nodes.update(updates);
  }
  network.on("hoverNode", function (params) {
    var n = nodes.get(params.node);
    if (n && n.shortLabel && !n.label) nodes.update({ id: n.id, label: n.shortLabel });
  });
  network.on("blurNode", declutterLabels);
  network.on("dragEnd", function (params) { if (params.nodes.length) declutterLabels(); });

  function ready(how) {
    if (window.cakgReady) return;
    network.once("afterDrawing", function () {
      measureLabels();
      declutterLabels();
      window.cakgReady = true;
      window.cakgReadyMs = performance.now() - t0;
      document.body.setAttribute("data-ready", how);
    });
    network.redraw();
  }
  if (options.physics && options.physics.enabled) {
    // Bounded stabilization, then physics off: the layout stays where it settled.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready("stabilized");
    });
  } else {
    network.once("afterDrawing", function () { ready("drawn"); });
  }

  // --- header ---------------------------------------------------------------------------
  var counts = document.getElementById("cakg-counts");
  function updateCounts() {
    var hiddenNodes = nodes.get({ filter: function (n) { return n.hidden; } }).length;
    var text = nodes.length + " nodes · " + edges.length + " edges";
    if (hiddenNodes) text += " · " + (nodes.length - hiddenNodes) + " shown";
    counts.textContent = text;
  }
  if (meta.banner) {
    var banner = document.getElementById("cakg-banner");
    banner.textContent = meta.banner;
    banner.hidden = false;
  }

  // --- legend ---------------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function swatch(shape, color, dashes, width) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var s;
    if (shape === "edge") {
      s = document.createElementNS(SVG, "line");
      s.setAttribute("x1", "1"); s.setAttribute("y1", "8"); s.setAttribute("x2", "21"); s.setAttribute("y2", "8");
      s.setAttribute("stroke", color);
      s.setAttribute("stroke-width", String(width || 2));
      if (dashes) s.setAttribute("stroke-dasharray", dashes.join(" "));
    } else if (shape === "dot") {
      s = document.createElementNS(SVG, "circle");
      s.setAttribute("cx", "11"); s.setAttribute("cy", "8"); s.setAttribute("r", "6");
    } else if (shape === "square" || shape === "box") {
      s = document.createElementNS(SVG, "rect");
      s.setAttribute("x", "5"); s.setAttribute("y", "2"); s.setAttribute("width", "12"); s.setAttribute("height", "12");
    } else {
      var pts = {
        diamond: "11,1 18,8 11,15 4,8",
        triangle: "11,1 18,14 4,14",
        triangleDown: "4,2 18,2 11,15",
        hexagon: "7,2 15,2 19,8 15,14 7,14 3,8",
        star: "11,1 13,6 19,6 14,10 16,15 11,12 6,15 8,10 3,6 9,6"
      }[shape] || "5,2 17,2 17,14 5,14";
      s = document.createElementNS(SVG, "polygon");
      s.setAttribute("points", pts);
    }
    if (shape !== "edge") {
      s.setAttribute("fill", color);
      s.setAttribute("stroke", "#444");
      s.setAttribute("stroke-width", "0.8");
    }
    svg.appendChild(s);
    return svg;
  }
  function legendGroup(title, items) {
    var group = el("div", null, "cakg-legend-group");
    group.appendChild(el("div", title));
    items.forEach(function (it) {
      var row = el("div", null, "cakg-legend-row");
      row.appendChild(swatch(it.shape, it.color, it.dashes, it.width));
      row.appendChild(el("span", it.label));
      if (it.count !== undefined) row.appendChild(el("span", it.count, "cakg-count"));
      group.appendChild(row);
    });
    return group;
  }
  var legend = document.getElementById("cakg-legend");
  if (meta.legend.kinds.length) legend.appendChild(legendGroup("Nodes", meta.legend.kinds));
  if (meta.legend.trends.length && meta.legend.trendColours) legend.appendChild(legendGroup(meta.legend.trendTitle, meta.legend.trends));
  if (meta.legend.edges.length) legend.appendChild(legendGroup("Edges", meta.legend.edges));
  if (meta.legend.note) legend.appendChild(el("p", meta.legend.note, "cakg-note"));

  // --- filters --------------------------------------------------------------------------
  function checkboxes(fieldsetId, items) {
    var fs = document.getElementById(fieldsetId);
    if (!items.length) { fs.hidden = true; return; }
    items.forEach(function (it) {
      var label = el("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = it.key;
      box.addEventListener("change", applyFilters);
      label.appendChild(box);
      label.appendChild(swatch(it.shape || "dot", it.color));
      label.appendChild(document.createTextNode(it.label));
      fs.appendChild(label);
    });
  }
  checkboxes("cakg-filter-kinds", meta.legend.kinds);
  checkboxes("cakg-filter-trends", meta.legend.trends);

  function checked(fieldsetId) {
    var out = {};
    document.querySelectorAll("#" + fieldsetId + " input[type=checkbox]").forEach(function (b) {
      if (b.checked) out[b.value] = true;
    });
    return out;
  }
  var trendKeys = {};
  meta.legend.trends.forEach(function (t) { trendKeys[t.key] = true; });

  var expertSelect = document.getElementById("cakg-filter-experts");
  var expertControl = null;
  if (meta.experts.length) {
    expertControl = new TomSelect(expertSelect, {
      options: meta.experts, valueField: "id", labelField: "label", searchField: ["label"],
      maxItems: null, plugins: ["remove_button"], onChange: applyFilters
    });
  } else {
    expertSelect.hidden = true;
    document.querySelector("label[for=cakg-filter-experts]").hidden = true;
  }
  function selectedExperts() {
    var out = {};
    var values = expertControl ? expertControl.getValue() : [];
    (Array.isArray(values) ? values : [values]).forEach(function (v) { if (v) out[v] = true; });
    return out;
  }

  function applyFilters() {
    var kinds = checked("cakg-filter-kinds");
    var trends = checked("cakg-filter-trends");
    var experts = selectedExperts();
    var anyExpert = Object.keys(experts).length > 0;
    var nodeUpdates = [];
    nodes.forEach(function (n) {
      var hide = !kinds[n.kind] ||
        (n.trend !== undefined && trendKeys[n.trend] && !trends[n.trend]) ||
        (anyExpert && !(n.experts || []).some(function (x) { return experts[x]; }));
      if (Boolean(n.hidden) !== hide) nodeUpdates.push({ id: n.id, hidden: hide });
    });
    nodes.update(nodeUpdates);
    var edgeUpdates = [];
    edges.forEach(function (e) {
      var hide = false;
      if (e.trend !== undefined && trendKeys[e.trend]) hide = !trends[e.trend];
      if (e.trends) {
        hide = !Object.keys(e.trends).some(function (t) { return e.trends[t] > 0 && trends[t]; });
      }
      if (Boolean(e.hidden) !== hide) edgeUpdates.push({ id: e.id, hidden: hide });
    });
    edges.update(edgeUpdates);
    if (window.cakgReady) declutterLabels();
    updateCounts();
  }
  function resetFilters() {
    document.querySelectorAll("#cakg-filters input[type=checkbox]").forEach(function (b) { b.checked = true; });
    if (expertControl) expertControl.clear(true);
    applyFilters();
  }
  document.getElementById("cakg-reset").addEventListener("click", resetFilters);
  document.getElementById("cakg-fit").addEventListener("click", function () { network.fit(); });

  document.getElementById("cakg-colour-by").addEventListener("change", function (ev) {
    var by = ev.target.value;
    nodes.update(nodes.map(function (n) {
      return { id: n.id, color: by === "community" ? n.communityColor : n.typeColor };
    }));
  });

  // --- details panel --------------------------------------------------------------------
  var details = document.getElementById("cakg-details");
  function showInfo(title, rows) {
    document.getElementById("cakg-details-title").textContent = title;
    var list = document.getElementById("cakg-details-list");
    while (list.firstChild) list.removeChild(list.firstChild);
    (rows || []).forEach(function (row) {
      list.appendChild(el("dt", row[0]));
      list.appendChild(el("dd", row[1], row[0] === "quote" ? "cakg-quote" : null));
    });
    details.hidden = false;
  }
  function showNode(id) {
    var n = nodes.get(id);
    if (n) showInfo(n.tipTitle || n.label, n.info);
  }
  function focusNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    if (n.hidden) nodes.update({ id: id, hidden: false });
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showNode(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      var e = edges.get(params.edges[0]);
      if (e) showInfo(e.tipTitle || e.relation || "edge", e.info);
    } else {
      details.hidden = true;
    }
  });
  document.getElementById("cakg-details-close").addEventListener("click", function () {
    details.hidden = true;
  });

  // --- search ---------------------------------------------------------------------------
  var searchOptions = rawNodes.map(function (n) {
    return { id: n.id, label: n.tipTitle || n.label, text: n.searchText || "" };
  });
  var search = new TomSelect("#cakg-search", {
    options: searchOptions, valueField: "id", labelField: "label", searchField: ["label", "text"],
    maxOptions: 60, maxItems: 1, closeAfterSelect: true,
    onChange: function (value) { if (value) focusNode(value); }
  });

  // --- analytics ------------------------------------------------------------------------
  var a = meta.analytics;
  document.getElementById("cakg-analytics-summary").textContent = a.summary;
  var tbody = document.querySelector("#cakg-top tbody");
  a.top.forEach(function (row) {
    var tr = el("tr");
    var name = el("td");
    name.appendChild(swatch("dot", row.color));
    name.appendChild(document.createTextNode(clip(row.label, 34)));
    name.title = row.label;
    tr.appendChild(name);
    tr.appendChild(el("td", row.degree.toFixed(3)));
    tr.appendChild(el("td", row.betweenness.toFixed(3)));
    tr.appendChild(el("td", row.community));
    tr.addEventListener("click", function () { focusNode(row.id); });
    tbody.appendChild(tr);
  });
  var commList = document.getElementById("cakg-communities");
  a.communities.forEach(function (c) {
    var li = el("li");
    var sw = el("span", null, "cakg-swatch");
    sw.style.background = c.color;
    li.appendChild(sw);
    li.appendChild(document.createTextNode(c.size + " nodes: " + c.members.join(", ")));
    commList.appendChild(li);
  });

  updateCounts();
  window.cakg = {
    network: network, nodes: nodes, edges: edges, meta: meta, search: search,
    applyFilters: applyFilters, resetFilters: resetFilters, focusNode: focusNode,
    declutterLabels: declutterLabels
  };
})();
