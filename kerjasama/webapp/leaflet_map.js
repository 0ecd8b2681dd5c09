// kerjasama map: one Leaflet map per component instance, updated in place on every rerun.
//
// Leaflet (vendored, BSD-2) is prepended to this module by kerjasama/webapp/mapview.py. The
// Python side sends one JSON payload (see kerjasama/present/map.py, map_payload); parts whose
// key did not change since the last render are left alone (regions, colours, links), so a click
// or a weight change redraws only the candidate layer. Every data string is set with textContent:
// region and file names are plain text here, never HTML.

const L = window.L;

function el(tag, cls, parent) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (parent) parent.appendChild(node);
  return node;
}

function textLines(node, lines) {
  node.replaceChildren();
  lines.forEach((line, i) => {
    const row = el("div", i === 0 ? "ks-tip-head" : "ks-tip-line", node);
    row.textContent = line;
  });
}

// ------------------------------------------------------------------ the instance (built once)

function build(root, data, setTriggerValue) {
  const wrap = el("div", "ks-map");
  root.appendChild(wrap);
  const box = el("div", "ks-map-box", wrap);
  box.style.height = data.height + "px";
  const mapDiv = el("div", "ks-map-canvas", box);
  const tip = el("div", "ks-tip", box);
  const legend = el("details", "ks-legend", wrap);
  legend.open = true;

  const map = L.map(mapDiv, {
    zoomSnap: 0.25,
    zoomDelta: 0.5,
    preferCanvas: true,
    attributionControl: false,
    worldCopyJump: false,
  });
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  for (const [name, z] of [
    ["ksLinks", 420],
    ["ksOutlines", 440],
    ["ksIslands", 460],
    ["ksLabels", 580],
    ["ksRanks", 620],
  ]) {
    map.createPane(name).style.zIndex = z;
  }
  map.getPane("ksLabels").style.pointerEvents = "none";
  // regions on one canvas (hundreds of polygons); links, outlines and dots as SVG, whose
  // empty areas let clicks through to the regions below
  const canvas = L.canvas({ padding: 0.3 });
  const svg = {};
  for (const name of ["ksLinks", "ksOutlines", "ksIslands"]) svg[name] = L.svg({ pane: name });

  const st = {
    map,
    wrap,
    box,
    tip,
    legend,
    canvas,
    svg,
    keys: {},
    regions: null,
    byCode: {},
    labels: [],
    islands: L.layerGroup().addTo(map),
    links: L.layerGroup().addTo(map),
    linkLabels: [],
    outlines: L.layerGroup().addTo(map),
    ranks: L.layerGroup().addTo(map),
    rankItems: [],
    setTriggerValue,
    data,
    version: 0,
  };

  // full screen (the map and its legend), search, hover tip
  const full = L.control({ position: "topleft" });
  full.onAdd = () => {
    const bar = L.DomUtil.create("div", "leaflet-bar ks-fullscreen");
    const a = L.DomUtil.create("a", "", bar);
    a.href = "#";
    a.setAttribute("role", "button");
    a.innerHTML =
      '<svg width="16" height="16" viewBox="0 0 16 16" style="margin-top:7px">' +
      '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" ' +
      'stroke-width="2"/></svg>';
    st.fullButton = a;
    L.DomEvent.on(a, "click", (e) => {
      L.DomEvent.stop(e);
      if (document.fullscreenElement) document.exitFullscreen();
      else if (wrap.requestFullscreen) wrap.requestFullscreen();
    });
    return bar;
  };
  full.addTo(map);
  document.addEventListener("fullscreenchange", () => setTimeout(() => map.invalidateSize(), 50));

  const search = L.control({ position: "topright" });
  search.onAdd = () => {
    const div = L.DomUtil.create("div", "ks-search");
    const input = L.DomUtil.create("input", "", div);
    input.type = "search";
    const list = L.DomUtil.create("datalist", "", div);
    list.id = "ks-search-" + Math.random().toString(36).slice(2);
    input.setAttribute("list", list.id);
    st.searchInput = input;
    st.searchList = list;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    const go = () => {
      const code = st.searchIndex && st.searchIndex[input.value.trim().toLowerCase()];
      if (code) {
        focusRegion(st, code);
        st.setTriggerValue("click", { kind: "region", id: code });
      }
    };
    input.addEventListener("change", go);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") go();
    });
    return div;
  };
  search.addTo(map);

  map.on("zoomend moveend", () => layout(st));
  new ResizeObserver(() => {
    map.invalidateSize();
    layout(st);
  }).observe(box);
  return st;
}

function showTip(st, event, lines) {
  if (!lines || !lines.length) return;
  textLines(st.tip, lines);
  st.tip.style.display = "block";
  const pt = event.containerPoint;
  const w = st.box.clientWidth;
  const h = st.box.clientHeight;
  const tw = st.tip.offsetWidth;
  const th = st.tip.offsetHeight;
  // keep the tip inside the map: flip to the other side of the pointer near an edge
  let x = pt.x + 14;
  if (x + tw > w - 4) x = pt.x - 14 - tw;
  let y = pt.y + 14;
  if (y + th > h - 4) y = pt.y - 14 - th;
  st.tip.style.left = Math.max(4, x) + "px";
  st.tip.style.top = Math.max(4, y) + "px";
}

function hideTip(st) {
  st.tip.style.display = "none";
}

function hover(st, layer, linesOf) {
  layer.on("mousemove", (e) => showTip(st, e, linesOf(e)));
  layer.on("mouseout", () => hideTip(st));
}

// ------------------------------------------------------------------ regions (per scope)

function buildRegions(st, data) {
  const { map } = st;
  if (st.regions) map.removeLayer(st.regions);
  for (const item of st.labels) map.removeLayer(item.marker);
  st.labels = [];
  st.byCode = {};
  st.islands.clearLayers();
  const texts = data.texts;
  st.regions = L.geoJSON(data.regions, {
    renderer: st.canvas,
    style: () => ({ color: "#616161", weight: 0.7, fillOpacity: 0.75, fillColor: "#c8c8c8" }),
    onEachFeature: (feature, layer) => {
      const p = feature.properties;
      st.byCode[p.code] = { layer, feature };
      hover(st, layer, () => regionTip(st, p.code));
      layer.on("click", () => st.setTriggerValue("click", { kind: "region", id: p.code }));
    },
  }).addTo(map);
  // names, at the zoom where they fit (see layout)
  for (const f of data.regions.features) {
    const p = f.properties;
    const span = document.createElement("span");
    span.textContent = p.name;
    const marker = L.marker([p.label[1], p.label[0]], {
      pane: "ksLabels",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: "ks-label", html: span, iconSize: null }),
    });
    st.labels.push({ code: p.code, marker, span, bbox: p.bbox, width: 0, shown: false });
    // small islands: a dot that stays visible when the polygon is a few pixels wide
    const dot = L.circleMarker([p.label[1], p.label[0]], {
      pane: "ksIslands",
      radius: 3.5,
      weight: 1,
      color: "#37474f",
      fillOpacity: 0.95,
      fillColor: "#c8c8c8",
      renderer: st.svg.ksIslands,
    });
    dot.on("click", () => st.setTriggerValue("click", { kind: "region", id: p.code }));
    hover(st, dot, () => regionTip(st, p.code));
    st.byCode[p.code].dot = dot;
    st.byCode[p.code].bbox = p.bbox;
  }
  // search list
  st.searchIndex = {};
  st.searchList.replaceChildren();
  for (const f of data.regions.features) {
    const p = f.properties;
    const label = p.province_name ? `${p.name} — ${p.province_name}` : p.name;
    st.searchIndex[label.toLowerCase()] = p.code;
    st.searchIndex[p.name.toLowerCase()] = p.code;
    const opt = document.createElement("option");
    opt.value = label;
    st.searchList.appendChild(opt);
  }
  st.searchInput.placeholder = texts.search;
  st.searchInput.title = texts.search;
  st.fullButton.title = texts.fullscreen;
  const b = data.bounds;
  map.fitBounds([
    [b[1], b[0]],
    [b[3], b[2]],
  ]);
}

function regionTip(st, code) {
  const d = st.data;
  const item = st.byCode[code];
  if (!item) return [];
  const p = item.feature.properties;
  const lines = [p.province_name ? `${p.name} (${p.province_name})` : p.name];
  lines.push(`${d.texts.code}: ${p.code}`);
  const gap = d.gap_text[code];
  lines.push(`${d.texts.gap}: ${gap === undefined ? d.texts.no_data : gap}`);
  const n = (d.region_candidates || {})[code];
  if (n) lines.push(n);
  return lines;
}

function applyColours(st, data) {
  for (const [code, item] of Object.entries(st.byCode)) {
    const fill = data.fill[code] || data.legend.no_data_colour;
    item.layer.setStyle({ fillColor: fill });
    if (item.dot) item.dot.setStyle({ fillColor: fill });
  }
}

function focusRegion(st, code) {
  const item = st.byCode[code];
  if (!item) return;
  const b = item.bbox;
  st.map.fitBounds(
    [
      [b[1], b[0]],
      [b[3], b[2]],
    ],
    { maxZoom: 10, padding: [40, 40] },
  );
  item.layer.setStyle({ weight: 3, color: "#000000" });
  setTimeout(() => item.layer.setStyle({ weight: 0.7, color: "#616161" }), 2500);
}

// ------------------------------------------------------------------ adjacency links

function buildLinks(st, data) {
  st.links.clearLayers();
  for (const item of st.linkLabels) st.map.removeLayer(item.marker);
  st.linkLabels = [];
  if (!data.show_links) return;
  for (const link of data.links) {
    const sea = link.kind === "maritime";
    const line = L.polyline(
      [
        [link.a[1], link.a[0]],
        [link.b[1], link.b[0]],
      ],
      {
        pane: "ksLinks",
        renderer: st.svg.ksLinks,
        color: sea ? data.legend.maritime_colour : data.legend.land_colour,
        weight: sea ? 2 : 1.4,
        opacity: 0.85,
        dashArray: sea ? "6 5" : null,
      },
    );
    hover(st, line, () => [link.text]);
    st.links.addLayer(line);
    if (sea) {
      const span = document.createElement("span");
      span.textContent = link.km;
      const mid = [(link.a[1] + link.b[1]) / 2, (link.a[0] + link.b[0]) / 2];
      const marker = L.marker(mid, {
        pane: "ksLabels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "ks-sea-label", html: span, iconSize: null }),
      });
      st.linkLabels.push({ marker, span, shown: false, width: 0 });
    }
  }
}

// ------------------------------------------------------------------ candidates

function buildCandidates(st, data) {
  st.outlines.clearLayers();
  st.ranks.clearLayers();
  st.rankItems = [];
  const lg = data.legend;
  const ordered = [...data.candidates].sort((a, b) => (a.opened ? 1 : 0) - (b.opened ? 1 : 0));
  for (const c of ordered) {
    const style = c.opened
      ? { color: lg.opened_colour, weight: 4, opacity: 0.95 }
      : c.ticked
        ? { color: lg.ticked_colour, weight: 2.5, opacity: 0.9, dashArray: "8 4" }
        : { color: lg.candidate_colour, weight: 1.8, opacity: 0.7 };
    const layer = L.geoJSON(c.outline, {
      pane: "ksOutlines",
      renderer: st.svg.ksOutlines,
      style: () => ({ ...style, fill: false }),
    });
    layer.on("click", (e) => {
      L.DomEvent.stop(e);
      st.setTriggerValue("click", { kind: "candidate", id: c.id });
    });
    hover(st, layer, () => c.tip);
    st.outlines.addLayer(layer);
    if (c.opened && c.provider) {
      const star = document.createElement("span");
      star.textContent = "★";
      const m = L.marker([c.provider[1], c.provider[0]], {
        pane: "ksRanks",
        icon: L.divIcon({ className: "ks-provider", html: star, iconSize: [22, 22] }),
        keyboard: false,
      });
      hover(st, m, () => [c.provider_text]);
      st.ranks.addLayer(m);
    }
  }
  for (const c of data.candidates) {
    const span = document.createElement("span");
    span.textContent = String(c.rank);
    const cls = "ks-rank" + (c.opened ? " opened" : "") + (c.ticked ? " ticked" : "");
    const marker = L.marker([c.anchor[1], c.anchor[0]], {
      pane: "ksRanks",
      icon: L.divIcon({ className: cls, html: span, iconSize: [24, 24], iconAnchor: [12, 12] }),
      zIndexOffset: c.opened ? 10000 : 1000 - c.rank,
      keyboard: false,
    });
    marker.on("click", (e) => {
      L.DomEvent.stop(e);
      st.setTriggerValue("click", { kind: "candidate", id: c.id });
    });
    hover(st, marker, () => c.tip);
    const leader = L.polyline([], {
      pane: "ksOutlines",
      renderer: st.svg.ksOutlines,
      color: "#424242",
      weight: 1,
      opacity: 0.8,
      interactive: false,
    });
    st.ranks.addLayer(leader);
    st.ranks.addLayer(marker);
    marker._ksId = c.id;
    st.rankItems.push({ c, marker, leader });
  }
}

// ------------------------------------------------------------------ placement on zoom

const RING = [];
for (let r = 1; r <= 4; r++) {
  const steps = 8 * r;
  for (let k = 0; k < steps; k++) {
    const a = (2 * Math.PI * k) / steps;
    RING.push([Math.round(Math.cos(a) * 26 * r), Math.round(Math.sin(a) * 26 * r)]);
  }
}

function overlaps(box, placed) {
  for (const p of placed) {
    if (box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]) return true;
  }
  return false;
}

function measure(span) {
  if (!measure.ctx) measure.ctx = document.createElement("canvas").getContext("2d");
  measure.ctx.font = "600 11px sans-serif";
  return measure.ctx.measureText(span.textContent).width + 6;
}

function layout(st) {
  const { map } = st;
  if (!st.regions || !map._loaded) return;
  const size = map.getSize();
  const placed = [];
  // numbered markers first (rank order, the opened one first): no two on top of each other
  const items = [...st.rankItems].sort(
    (a, b) => (b.c.opened ? 1 : 0) - (a.c.opened ? 1 : 0) || a.c.rank - b.c.rank,
  );
  for (const item of items) {
    const anchor = map.latLngToContainerPoint([item.c.anchor[1], item.c.anchor[0]]);
    let at = null;
    for (const [dx, dy] of [[0, 0], ...RING]) {
      const x = anchor.x + dx;
      const y = anchor.y + dy;
      const box = [x - 13, y - 13, x + 13, y + 13];
      if (!overlaps(box, placed)) {
        at = [x, y];
        placed.push(box);
        break;
      }
    }
    if (!at) at = [anchor.x, anchor.y];
    const ll = map.containerPointToLatLng(at);
    item.marker.setLatLng(ll);
    const moved = at[0] !== anchor.x || at[1] !== anchor.y;
    item.leader.setLatLngs(moved ? [[item.c.anchor[1], item.c.anchor[0]], ll] : []);
  }
  // small regions get a dot; names where the region is wide enough and nothing is in the way
  const labels = [];
  for (const item of Object.values(st.byCode)) {
    const b = item.bbox;
    const sw = map.latLngToContainerPoint([b[1], b[0]]);
    const ne = map.latLngToContainerPoint([b[3], b[2]]);
    const w = Math.abs(ne.x - sw.x);
    const h = Math.abs(sw.y - ne.y);
    const tiny = Math.max(w, h) < 5;
    if (tiny && !map.hasLayer(item.dot)) st.islands.addLayer(item.dot);
    if (!tiny && map.hasLayer(item.dot)) st.islands.removeLayer(item.dot);
    item.pixelWidth = w;
    item.pixelArea = w * h;
  }
  for (const lab of st.labels) {
    if (!lab.width) lab.width = measure(lab.span);
    const item = st.byCode[lab.code];
    labels.push({ lab, item });
  }
  labels.sort((a, b) => b.item.pixelArea - a.item.pixelArea);
  for (const { lab, item } of labels) {
    const p = map.latLngToContainerPoint(lab.marker.getLatLng());
    const box = [p.x - lab.width / 2, p.y - 8, p.x + lab.width / 2, p.y + 8];
    const inside = p.x > 0 && p.y > 0 && p.x < size.x && p.y < size.y;
    const fits = item.pixelWidth > lab.width * 0.8 && inside && !overlaps(box, placed);
    if (fits) placed.push(box);
    if (fits !== lab.shown) {
      if (fits) lab.marker.addTo(map);
      else map.removeLayer(lab.marker);
      lab.shown = fits;
    }
  }
  for (const lab of st.linkLabels) {
    if (!lab.width) lab.width = measure(lab.span);
    const p = map.latLngToContainerPoint(lab.marker.getLatLng());
    const box = [p.x - lab.width / 2, p.y - 8, p.x + lab.width / 2, p.y + 8];
    const fits = map.getZoom() >= 6 && !overlaps(box, placed);
    if (fits) placed.push(box);
    if (fits !== lab.shown) {
      if (fits) lab.marker.addTo(map);
      else map.removeLayer(lab.marker);
      lab.shown = fits;
    }
  }
}

// ------------------------------------------------------------------ legend (below the map)

function buildLegend(st, data) {
  const lg = data.legend;
  const root = st.legend;
  root.replaceChildren();
  const summary = el("summary", "ks-legend-title", root);
  summary.textContent = lg.title;
  const body = el("div", "ks-legend-body", root);
  const scale = el("div", "ks-legend-item", body);
  const bar = el("span", "ks-legend-bar", scale);
  bar.style.background = `linear-gradient(to right, ${lg.stops.join(", ")})`;
  const ends = el("span", "ks-legend-ends", scale);
  ends.textContent = lg.range;
  const entries = [
    ["box", lg.no_data_colour, lg.no_data],
    ["line", lg.land_colour, lg.land],
    ["dash", lg.maritime_colour, lg.maritime],
    ["line", lg.candidate_colour, lg.candidate],
    ["dash", lg.ticked_colour, lg.ticked],
    ["thick", lg.opened_colour, lg.opened],
    ["star", "#000", lg.provider],
  ];
  for (const [kind, colour, text] of entries) {
    const item = el("span", "ks-legend-item", body);
    const sym = el("span", "ks-sym ks-sym-" + kind, item);
    if (kind === "box") sym.style.background = colour;
    else if (kind === "star") sym.textContent = "★";
    else sym.style.borderTopColor = colour;
    const label = el("span", "", item);
    label.textContent = text;
  }
}

// ------------------------------------------------------------------ entry point

function decode(raw) {
  if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) {
    return JSON.parse(new TextDecoder().decode(raw));
  }
  return typeof raw === "string" ? JSON.parse(raw) : raw;
}

export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = decode(component.data);
  const root = parentElement;
  let st = root.__ks;
  // parts sent as null are the ones this map already has; keep them (or ask for them again)
  const missing = ["regions", "colours", "links", "shapes"].filter(
    (part) => data[part] === null && (!st || !st.parts || st.keys[part] !== data.keys[part]),
  );
  if (missing.length) {
    setTriggerValue("resend", missing);
    return;
  }
  if (st && st.parts) {
    for (const part of ["regions", "colours", "links", "shapes"]) {
      if (data[part] === null) data[part] = st.parts[part];
    }
  }
  data.fill = data.colours.fill;
  data.gap_text = data.colours.gap_text;
  const shapes = {};
  for (const shape of data.shapes) shapes[shape.id] = shape;
  data.candidates = data.candidates.map((c) => ({ ...shapes[c.id], ...c }));
  if (!st) {
    st = build(root, data, setTriggerValue);
    root.__ks = st;
  }
  st.setTriggerValue = setTriggerValue;
  st.data = data;
  st.wrap.style.setProperty("--ks-height", data.height + "px");
  st.box.style.height = data.height + "px";
  st.map.invalidateSize();
  const keys = data.keys;
  if (keys.regions !== st.keys.regions) buildRegions(st, data);
  if (keys.regions !== st.keys.regions || keys.colours !== st.keys.colours) applyColours(st, data);
  if (keys.regions !== st.keys.regions || keys.links !== st.keys.links) buildLinks(st, data);
  if (keys.legend !== st.keys.legend) buildLegend(st, data);
  buildCandidates(st, data);
  st.keys = { ...keys };
  st.parts = {
    regions: data.regions,
    colours: data.colours,
    links: data.links,
    shapes: data.shapes,
  };
  layout(st);
  st.version += 1;
  st.wrap.dataset.rendered = keys.render;
}
