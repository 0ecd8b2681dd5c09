"""The map's browser-side behaviour as folium elements (branca ``MacroElement`` s).

folium draws the layers; these few scripts add what folium has no element for: region names
where they fit, numbered markers moved apart with a leader line, dots for islands too small to
see, a search box, a full-screen button and a foldable legend. They run inside the map's page
(streamlit-folium's frame, or a saved HTML file) and keep one state object, ``window.ks``.

Every data string is written with ``textContent`` (never as HTML); data reaches the scripts as
JSON made safe for a ``<script>`` element (:func:`js_value`).
"""

from __future__ import annotations

import json
import re

from branca.element import Element, MacroElement
from jinja2 import Template

#: ``{`` opening a Jinja tag: branca compiles every rendered script again as a template
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def js_value(value: object) -> str:
    """``value`` as a JavaScript literal that is safe inside a ``<script>`` element and
    inert as a Jinja template (folium renders scripts through Jinja: ``{{`` in a region name
    must stay text). The escapes only occur inside JSON strings, where they mean the same."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JINJA_OPEN.sub(r"\\u007b", text)


class RawText(Element):
    """A rendered script or style sheet kept as it is (branca's ``Element`` compiles its text
    as a Jinja template on every render: slow for a scope's geometry, and it would read ``{{``
    in data)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: D102
        return self.text


class RawMacro(MacroElement):
    """A ``MacroElement`` whose rendered header, html and script are kept as they are: branca
    wraps each in an ``Element``, which compiles it as a Jinja template again on every render
    (for the set-up script and a scope's paint state, most of what folium did per re-run)."""

    def render(self, **kwargs) -> None:  # noqa: D102
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                target = getattr(figure, part)
                target.add_child(RawText(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


CSS = """<style>
.leaflet-container { background: #eef3f7; font: 13px/1.35 "Source Sans Pro", sans-serif; }
.ks-label span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 11px sans-serif; color: #1a1a1a;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.ks-sea-label span { display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 10px sans-serif; color: #0d47a1; background: rgba(255, 255, 255, 0.85);
  border-radius: 3px; padding: 0 3px; }
.ks-rank { background: #fff; border: 2px solid #6a1b9a; border-radius: 50%; width: 24px;
  height: 24px; text-align: center; font: bold 12px/20px sans-serif; color: #6a1b9a;
  cursor: pointer; box-sizing: border-box; }
.ks-rank.ticked { border-color: #e65100; color: #e65100; }
.ks-rank.opened { background: #00bcd4; color: #fff; border-color: #004d55; }
.ks-provider { font: 20px/22px sans-serif; color: #00838f; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.ks-fullscreen a { cursor: pointer; }
.ks-search input { width: 230px; padding: 5px 8px; border: 1px solid #90a4ae; border-radius: 4px;
  font: 13px sans-serif; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
.ks-legend { background: rgba(255, 255, 255, 0.94); padding: 4px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font-size: 12px; max-width: 280px; }
.ks-legend summary { cursor: pointer; font-weight: 600; }
.ks-legend-item { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.ks-legend-bar { display: inline-block; width: 150px; height: 12px; border: 1px solid #9e9e9e; }
.ks-sym { display: inline-block; width: 22px; }
.ks-sym-box { width: 12px; height: 12px; border: 1px solid #9e9e9e; }
.ks-sym-line { border-top: 2px solid; }
.ks-sym-dash { border-top: 2px dashed; }
.ks-sym-dot { border-top: 3px dotted; }
.ks-sym-thick { border-top: 4px solid; }
.ks-sym-star { color: #00838f; text-align: center; }
.leaflet-tooltip.ks-tip { width: max-content; max-width: 340px; white-space: normal;
  overflow-wrap: anywhere; }
.ks-tip-head { font-weight: 600; }
</style>"""


# The base map's script: runs once per map (per scope); defines window.ks and its functions.
_SETUP = """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  var ks = window.ks = {
    map: map, byCode: {}, labels: [], dots: L.layerGroup().addTo(map),
    leaders: L.layerGroup().addTo(map), state: {fill: {}, gap_text: {}, counts: {}, texts: {}},
    legend: null, searchIndex: {}
  };
  [["ksLinks", 420], ["ksOutlines", 440], ["ksIslands", 460], ["ksLabels", 580],
   ["ksRanks", 620]].forEach(function(p) { map.createPane(p[0]).style.zIndex = p[1]; });
  map.getPane("ksLabels").style.pointerEvents = "none";
  L.control.scale({imperial: false, position: "bottomright"}).addTo(map);

  function lines(items) {
    var div = document.createElement("div");
    items.forEach(function(text, i) {
      var row = document.createElement("div");
      if (i === 0) row.className = "ks-tip-head";
      row.textContent = text;
      div.appendChild(row);
    });
    return div;
  }
  ks.lines = lines;
  // the hover text of a feature group's feature (plain text)
  ks.tip = function(text) {
    var div = document.createElement("div");
    div.textContent = text === undefined || text === null ? "" : String(text);
    return div;
  };
  // a click counter in the clicked feature: a second click on the same object is news too
  ks.clicks = 0;
  ks.clickable = function(feature, layer) {
    layer.on("click", function() { ks.clicks += 1; feature.properties.click = ks.clicks; });
  };
  ks.regionTip = function(code) {
    var item = ks.byCode[code], s = ks.state, t = s.texts || {};
    if (!item) return lines([]);
    var p = item.feature.properties;
    var out = [p.province_name ? p.name + " (" + p.province_name + ")" : p.name];
    out.push((t.code || "") + ": " + p.code);
    if (s.outsideSet && s.outsideSet[p.code]) {
      out.push(t.outside || "");
      return lines(out);
    }
    var gap = s.gap_text[p.code];
    out.push((t.gap || "") + ": " + (gap === undefined ? (t.no_data || "") : gap));
    if (s.counts[p.code]) out.push(s.counts[p.code]);
    return lines(out);
  };
  // every region feature passes here (the regions GeoJson's onEachFeature)
  ks.addRegion = function(feature, layer) {
    var p = feature.properties;
    ks.clickable(feature, layer);
    layer.bindTooltip(function() { return ks.regionTip(p.code); },
                      {sticky: true, direction: "auto", className: "ks-tip"});
    var span = document.createElement("span");
    span.textContent = p.name;
    var label = L.marker([p.label[1], p.label[0]], {pane: "ksLabels", interactive: false,
      keyboard: false, icon: L.divIcon({className: "ks-label", html: span, iconSize: null})});
    var dot = L.circleMarker([p.label[1], p.label[0]], {pane: "ksIslands", radius: 3.5,
      weight: 1, color: "#37474f", fillOpacity: 0.95, fillColor: "#c8c8c8"});
    dot.on("click", function(e) { layer.fire("click", {latlng: e.latlng}, true); });
    dot.bindTooltip(function() { return ks.regionTip(p.code); }, {direction: "auto",
      className: "ks-tip"});
    ks.byCode[p.code] = {layer: layer, feature: feature, dot: dot, bbox: p.bbox};
    ks.labels.push({code: p.code, marker: label, span: span, width: 0, shown: false});
    var name = p.province_name ? p.name + " \u2014 " + p.province_name : p.name;
    ks.searchIndex[name.toLowerCase()] = p.code;
    ks.searchIndex[p.name.toLowerCase()] = p.code;
    if (ks.searchList) {
      var opt = document.createElement("option");
      opt.value = name;
      ks.searchList.appendChild(opt);
    }
  };
  // markers of the feature groups (candidate numbers, provider star, sea distances)
  ks.point = function(feature, latlng) {
    var p = feature.properties, span = document.createElement("span");
    if (p.kind === "candidate") {
      var div = document.createElement("div");
      div.className = "ks-rank" + (p.opened ? " opened" : "") + (p.ticked ? " ticked" : "");
      div.textContent = String(p.rank);
      var rank = L.marker(latlng, {pane: "ksRanks", keyboard: false, ksRank: p.rank,
        ksAnchor: [latlng.lat, latlng.lng], zIndexOffset: p.opened ? 10000 : 1000 - p.rank,
        icon: L.divIcon({className: "", html: div, iconSize: [24, 24], iconAnchor: [12, 12]})});
      ks.clickable(feature, rank);
      return rank;
    }
    if (p.kind === "provider") {
      span.textContent = "\u2605";
      var star = L.marker(latlng, {pane: "ksRanks", keyboard: false,
        icon: L.divIcon({className: "ks-provider", html: span, iconSize: [22, 22]})});
      ks.clickable(feature, star);
      return star;
    }
    span.textContent = p.km || "";
    if (p.colour) span.style.color = p.colour;
    return L.marker(latlng, {pane: "ksLabels", interactive: false, keyboard: false, ksSea: true,
      icon: L.divIcon({className: "ks-sea-label", html: span, iconSize: null})});
  };
  // colours, texts and legend of the current sector and language (from the feature group)
  ks.paint = function(state) {
    ks.state = state;
    state.outsideSet = {};
    (state.outside || []).forEach(function(code) { state.outsideSet[code] = true; });
    Object.keys(ks.byCode).forEach(function(code) {
      var item = ks.byCode[code];
      var fill = state.outsideSet[code] ? state.legend.outside_colour
        : (state.fill[code] || state.legend.no_data_colour);
      item.layer.setStyle({fillColor: fill});
      item.dot.setStyle({fillColor: fill});
    });
    if (ks.searchInput) {
      ks.searchInput.placeholder = state.texts.search;
      ks.searchInput.title = state.texts.search;
    }
    if (ks.fullButton) ks.fullButton.title = state.texts.fullscreen;
    ks.drawLegend(state.legend, (state.outside || []).length > 0);
    document.body.dataset.ksRendered = state.key;
    ks.schedule();
  };
  ks.focus = function(code) {
    var item = ks.byCode[code];
    if (!item) return;
    var b = item.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {maxZoom: 10, padding: [40, 40]});
    item.layer.setStyle({weight: 3, color: "#000000"});
    setTimeout(function() { item.layer.setStyle({weight: 0.7, color: "#616161"}); }, 2500);
    item.layer.fire("click", {latlng: L.latLng(item.feature.properties.label[1],
                                               item.feature.properties.label[0])}, true);
  };

  // full screen (map and legend), search box, legend
  var full = L.control({position: "topleft"});
  full.onAdd = function() {
    var bar = L.DomUtil.create("div", "leaflet-bar ks-fullscreen");
    var a = L.DomUtil.create("a", "", bar);
    a.href = "#";
    a.setAttribute("role", "button");
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16"); svg.style.marginTop = "7px";
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5");
    path.setAttribute("fill", "none"); path.setAttribute("stroke", "#333");
    path.setAttribute("stroke-width", "2");
    svg.appendChild(path); a.appendChild(svg);
    ks.fullButton = a;
    L.DomEvent.on(a, "click", function(e) {
      L.DomEvent.stop(e);
      if (document.fullscreenElement) document.exitFullscreen();
      else map.getContainer().requestFullscreen();
    });
    return bar;
  };
  full.addTo(map);
  document.addEventListener("fullscreenchange", function() {
    setTimeout(function() { map.invalidateSize(); }, 50);
  });
  var search = L.control({position: "topright"});
  search.onAdd = function() {
    var div = L.DomUtil.create("div", "ks-search");
    var input = L.DomUtil.create("input", "", div);
    input.type = "search";
    var list = L.DomUtil.create("datalist", "", div);
    list.id = "ks-search-list";
    input.setAttribute("list", list.id);
    ks.searchInput = input; ks.searchList = list;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    function go() { ks.focus(ks.searchIndex[input.value.trim().toLowerCase()]); }
    input.addEventListener("change", go);
    input.addEventListener("keydown", function(e) { if (e.key === "Enter") go(); });
    return div;
  };
  search.addTo(map);
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function() {
    var root = L.DomUtil.create("details", "ks-legend");
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    ks.legendRoot = root;
    return root;
  };
  legend.addTo(map);
  ks.drawLegend = function(lg, withOutside) {
    var root = ks.legendRoot;
    root.replaceChildren();
    var summary = document.createElement("summary");
    summary.textContent = lg.title;
    root.appendChild(summary);
    function item(parent) {
      var row = document.createElement("div"); row.className = "ks-legend-item";
      parent.appendChild(row); return row;
    }
    var scale = item(root), bar = document.createElement("span");
    bar.className = "ks-legend-bar";
    bar.style.background = "linear-gradient(to right, " + lg.stops.join(", ") + ")";
    scale.appendChild(bar);
    var ends = document.createElement("span"); ends.textContent = lg.range;
    scale.appendChild(ends);
    var entries = [["box", lg.no_data_colour, lg.no_data]];
    if (withOutside) entries.push(["box", lg.outside_colour, lg.outside]);
    entries.push(["line", lg.land_colour, lg.land], ["dash", lg.maritime_colour, lg.maritime]);
    if (lg.voluntary) entries.push(["dot", lg.voluntary_colour, lg.voluntary]);
    entries.concat([["line", lg.candidate_colour, lg.candidate],
     ["dash", lg.ticked_colour, lg.ticked], ["thick", lg.opened_colour, lg.opened],
     ["star", "#000", lg.provider]]).forEach(function(e) {
      var row = item(root), sym = document.createElement("span");
      sym.className = "ks-sym ks-sym-" + e[0];
      if (e[0] === "box") sym.style.background = e[1];
      else if (e[0] === "star") sym.textContent = "\u2605";
      else sym.style.borderTopColor = e[1];
      var text = document.createElement("span"); text.textContent = e[2];
      row.appendChild(sym); row.appendChild(text);
    });
  };

  // placement: numbers apart (leader lines), names where they fit, dots for tiny islands
  var RING = [];
  for (var r = 1; r <= 4; r++) {
    for (var k = 0; k < 8 * r; k++) {
      var a = (2 * Math.PI * k) / (8 * r);
      RING.push([Math.round(Math.cos(a) * 26 * r), Math.round(Math.sin(a) * 26 * r)]);
    }
  }
  function overlaps(box, placed) {
    for (var i = 0; i < placed.length; i++) {
      var p = placed[i];
      if (box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]) return true;
    }
    return false;
  }
  var canvas = document.createElement("canvas").getContext("2d");
  function measure(span) {
    canvas.font = "600 11px sans-serif";
    return canvas.measureText(span.textContent).width + 6;
  }
  ks.layout = function() {
    ks.timer = null;
    if (!map._loaded) return;
    var size = map.getSize(), placed = [], ranks = [], seas = [];
    map.eachLayer(function(layer) {
      if (layer.options && layer.options.ksRank) ranks.push(layer);
      if (layer.options && layer.options.ksSea) seas.push(layer);
    });
    ks.leaders.clearLayers();
    ranks.sort(function(a, b) {
      return (b.options.zIndexOffset - a.options.zIndexOffset);
    });
    ranks.forEach(function(m) {
      var anchor = map.latLngToContainerPoint(m.options.ksAnchor), at = null;
      var steps = [[0, 0]].concat(RING);
      for (var i = 0; i < steps.length; i++) {
        var x = anchor.x + steps[i][0], y = anchor.y + steps[i][1];
        var box = [x - 13, y - 13, x + 13, y + 13];
        if (!overlaps(box, placed)) { at = [x, y]; placed.push(box); break; }
      }
      if (!at) at = [anchor.x, anchor.y];
      var ll = map.containerPointToLatLng(at);
      m.setLatLng(ll);
      if (at[0] !== anchor.x || at[1] !== anchor.y) {
        ks.leaders.addLayer(L.polyline([m.options.ksAnchor, ll], {pane: "ksOutlines",
          color: "#424242", weight: 1, opacity: 0.8, interactive: false}));
      }
    });
    var items = [];
    Object.keys(ks.byCode).forEach(function(code) {
      var item = ks.byCode[code], b = item.bbox;
      var sw = map.latLngToContainerPoint([b[1], b[0]]);
      var ne = map.latLngToContainerPoint([b[3], b[2]]);
      item.w = Math.abs(ne.x - sw.x);
      item.area = item.w * Math.abs(sw.y - ne.y);
      var tiny = Math.max(item.w, Math.abs(sw.y - ne.y)) < 5;
      if (tiny && !ks.dots.hasLayer(item.dot)) ks.dots.addLayer(item.dot);
      if (!tiny && ks.dots.hasLayer(item.dot)) ks.dots.removeLayer(item.dot);
    });
    ks.labels.forEach(function(lab) {
      if (!lab.width) lab.width = measure(lab.span);
      items.push(lab);
    });
    items.sort(function(a, b) { return ks.byCode[b.code].area - ks.byCode[a.code].area; });
    function place(lab, fits0) {
      var p = map.latLngToContainerPoint(lab.marker.getLatLng());
      var box = [p.x - lab.width / 2, p.y - 8, p.x + lab.width / 2, p.y + 8];
      var inside = p.x > 0 && p.y > 0 && p.x < size.x && p.y < size.y;
      var fits = fits0 && inside && !overlaps(box, placed);
      if (fits) placed.push(box);
      if (fits !== lab.shown) {
        if (fits) lab.marker.addTo(map); else map.removeLayer(lab.marker);
        lab.shown = fits;
      }
    }
    items.forEach(function(lab) { place(lab, ks.byCode[lab.code].w > lab.width * 0.8); });
    seas.forEach(function(m) {
      var span = m.options.icon.options.html;
      var p = map.latLngToContainerPoint(m.getLatLng());
      var w = measure(span);
      var box = [p.x - w / 2, p.y - 8, p.x + w / 2, p.y + 8];
      var fits = map.getZoom() >= 6 && !overlaps(box, placed);
      if (fits) placed.push(box);
      m.setOpacity(fits ? 1 : 0);
    });
  };
  ks.schedule = function() {
    if (!ks.timer) ks.timer = setTimeout(ks.layout, 30);
  };
  map.on("zoomend moveend layeradd resize", ks.schedule);
})();
{% endmacro %}
"""


class MapSetup(RawMacro):
    """The base map's script (added to the map before the regions layer)."""

    _template = Template(_SETUP)

    def __init__(self) -> None:
        super().__init__()
        self._name = "KsSetup"


class Paint(RawMacro):
    """Gap colours, hover texts and legend of one sector and language, applied to the base
    map's regions (part of a feature group, so a sector change does not reload the map)."""

    _template = Template(
        "{% macro script(this, kwargs) %}window.ks.paint({{ this.state_js }});{% endmacro %}"
    )

    def __init__(self, state: dict) -> None:
        super().__init__()
        self._name = "KsPaint"
        self.state_js = js_value(state)
