// The cakg timeline: draws the claims of #cakg-data as an SVG (time across, one lane per
// subject or expert) and shows a claim's quote when its mark is clicked. Every text from
// the data is written with textContent; nothing is fetched.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cakg-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var colours = {};
  data.trends.forEach(function (t) { colours[t.key] = t.colour; });
  var labels = {};
  data.trends.forEach(function (t) { labels[t.key] = t.label; });

  document.getElementById("cakg-title").textContent = data.title;
  var marks = data.marks;
  var lanes = Array.from(new Set(marks.map(function (m) { return m.lane; }))).sort();
  document.getElementById("cakg-counts").textContent =
    marks.length + " claims · " + lanes.length + " lanes";

  var legend = document.getElementById("cakg-legend");
  data.trends.forEach(function (t) {
    var s = document.createElement("span");
    s.style.setProperty("--c", t.colour);
    s.textContent = t.label;
    legend.appendChild(s);
  });

  function dayOf(text) { return Date.parse(text + "T00:00:00Z"); }
  var first = new Date(dayOf(marks[0].day)).getUTCFullYear();
  var last = new Date(dayOf(marks[marks.length - 1].day)).getUTCFullYear() + 1;
  var t0 = Date.UTC(first, 0, 1), t1 = Date.UTC(last, 0, 1);
  var left = 190, right = 30, top = 28, laneH = 46, STACK = 5;
  var width = Math.max(720, 160 * (last - first)) + left + right;
  var height = top + laneH * lanes.length + 10;
  function x(ms) { return left + (width - left - right) * (ms - t0) / (t1 - t0); }

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    parent.appendChild(e);
    return e;
  }
  var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height },
    document.getElementById("cakg-timeline"));
  for (var y = first; y <= last; y++) {
    var gx = x(Date.UTC(y, 0, 1));
    el("line", { x1: gx, x2: gx, y1: top - 8, y2: height - 10, stroke: "#ddd" }, svg);
    el("text", { x: gx + 3, y: top - 12, "class": "cakg-tick" }, svg).textContent = String(y);
  }
  lanes.forEach(function (lane, i) {
    var ly = top + laneH * i + laneH / 2;
    el("line", { x1: left, x2: width - right, y1: ly, y2: ly, stroke: "#f0f0f0" }, svg);
    var t = el("text", { x: left - 8, y: ly + 4, "text-anchor": "end", "class": "cakg-lane-label" }, svg);
    t.textContent = lane.length > 28 ? lane.slice(0, 27) + "…" : lane;
    el("title", {}, t).textContent = lane;
  });

  var seen = {}, count = {};
  marks.forEach(function (m) { count[m.lane + "|" + m.day] = (count[m.lane + "|" + m.day] || 0) + 1; });
  var panel = document.getElementById("cakg-details");
  var selected = null;
  marks.forEach(function (m, i) {
    var key = m.lane + "|" + m.day;
    var n = seen[key] = (seen[key] || 0) + 1;
    // Claims of one lane and day stand in columns of STACK, so a busy day stays narrow.
    var cx = x(dayOf(m.day)) + Math.floor((n - 1) / STACK) * 10;
    var cy = top + laneH * lanes.indexOf(m.lane) + laneH / 2 + ((n - 1) % STACK - (Math.min(count[key], STACK) - 1) / 2) * 9;
    var c = el("circle", { cx: cx, cy: cy, r: 4.5, fill: colours[m.trend] || "#999",
      "class": "cakg-mark", tabindex: 0, "data-claim": m.claim, "data-trend": m.trend }, svg);
    el("title", {}, c).textContent = m.expert + " · " + m.date + " · " + (labels[m.trend] || m.trend);
    function open() {
      if (selected) { selected.classList.remove("cakg-selected"); }
      selected = c;
      c.classList.add("cakg-selected");
      show(m);
    }
    c.addEventListener("click", open);
    c.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(); } });
  });

  function show(m) {
    document.getElementById("cakg-details-title").textContent = m.expert + ", " + m.date;
    var list = document.getElementById("cakg-details-list");
    list.textContent = "";
    [["subject", m.subject], ["trend", labels[m.trend] || m.trend], ["article", m.article],
     ["claim", m.claim]].forEach(function (pair) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = pair[0];
      dd.textContent = pair[1];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    document.getElementById("cakg-details-quote").textContent = m.quote;
    panel.hidden = false;
  }
  document.getElementById("cakg-details-close").addEventListener("click", function () {
    panel.hidden = true;
  });
  document.body.dataset.ready = "1";
}());
