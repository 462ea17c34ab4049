// The browser half of a live figure (ce_teach/widgets/_widget.py): controls, a readout and a figure.
//
// Everything a position shows was computed in Python and arrives in `tables`: this file only finds the
// current grid point's row in each table and draws it. The one piece of arithmetic on a value is the
// axes' own data → pixel map (pixel = a · value + b, or a · log10(value) + b), sent with the figure.

function views(model) {
  const raw = model.get("tables");
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice();
  const make = { f32: Float32Array, u16: Uint16Array, u32: Uint32Array };
  return (entry) => new make[entry.type](bytes.buffer, entry.offset, entry.length);
}

function row(entry, view, index) {
  let start = 0;
  entry.strides.forEach((stride, k) => { start += stride * index[k]; });
  return view.subarray(start, start + entry.items);
}

function rgba(c, alpha) {
  const a = alpha === null || alpha === undefined ? c[3] : alpha;
  return `rgba(${Math.round(c[0] * 255)},${Math.round(c[1] * 255)},${Math.round(c[2] * 255)},${a})`;
}

function pixels(axis, value) {
  if (axis.scale !== "log") return axis.a * value + axis.b;
  // a value <= 0 on a log axis: what matplotlib's transform makes of it (nonpositive="clip": far outside)
  const log = value > 0 ? Math.log10(value) : (axis.nonpositive ?? NaN);
  return axis.a * log + axis.b;
}

// Drawing happens in device pixels (CSS pixels × devicePixelRatio), where matplotlib's Agg renderer puts
// things on the pixel grid: a rectilinear path (a bar, a square marker, a horizontal line) has its
// vertices rounded to pixel edges, or to pixel centres when its stroke is an odd number of pixels wide; a
// marker's centre is rounded to a pixel, and a curved marker (circle, triangle, diamond) sits in the middle
// of that pixel. The same rounding here puts every edge where matplotlib puts it.
const round = (v) => Math.floor(v + 0.5);
const snapOffset = (width) => (round(width) % 2 === 1 ? 0.5 : 0);

// The corners of matplotlib's polygon markers around (0, 0), in pixels, y down (r: half the marker's size).
const POLYGONS = {
  s: (r) => [[-r, -r], [r, -r], [r, r], [-r, r]],
  D: (r) => [[0, -r * Math.SQRT2], [r * Math.SQRT2, 0], [0, r * Math.SQRT2], [-r * Math.SQRT2, 0]],  // a square turned 45°
  "^": (r) => [[0, -r], [-r, r], [r, r]],
  v: (r) => [[0, r], [r, -r], [-r, -r]],
};

// As Agg's draw_markers: the marker's own path is snapped (when the marker is at least `threshold` pixels
// wide, or, with no threshold, when it is rectilinear) or else moved by half a pixel, and each marker is
// placed at its point rounded to a whole pixel.
function marker(ctx, kind, x, y, size, edge, threshold, exact) {
  const r = size / 2, cx = round(x), cy = round(y);
  ctx.beginPath();
  if (kind === "o") {  // a curve: never snapped
    ctx.arc(cx + 0.5, cy + 0.5, r, 0, 2 * Math.PI);
    return;
  }
  if (exact) {  // at the still image's scale: the corners Agg computes, sent by Python
    exact.forEach(([u, v], i) => (i ? ctx.lineTo(cx + u, cy + v) : ctx.moveTo(cx + u, cy + v)));
    ctx.closePath();
    return;
  }
  let corners = POLYGONS[kind](r);
  const snap = threshold === null ? rectilinear([corners.concat([corners[0]])]) : size >= threshold;
  if (snap) {
    const o = snapOffset(edge);
    corners = corners.map(([u, v]) => [round(u) + o, round(v) + o]);
  } else corners = corners.map(([u, v]) => [u + 0.5, v + 0.5]);
  corners.forEach(([u, v], i) => (i ? ctx.lineTo(cx + u, cy + v) : ctx.moveTo(cx + u, cy + v)));
  ctx.closePath();
}

function rectilinear(runs) {
  let count = 0;
  for (const run of runs) {
    count += run.length;
    for (let i = 1; i < run.length; i++) {
      if (Math.abs(run[i][0] - run[i - 1][0]) >= 1e-4 && Math.abs(run[i][1] - run[i - 1][1]) >= 1e-4) return false;
    }
  }
  return count > 0 && count <= 1024;
}

function drawLine(ctx, ax, artist, xs, ys, s) {
  const n = Math.max(xs.length, ys.length);
  const at = (data, i) => (data.length === 1 ? data[0] : data[i]);
  const points = [];
  for (let i = 0; i < n; i++) {
    const x = at(xs, i), y = at(ys, i);
    points.push(Number.isFinite(x) && Number.isFinite(y) ? [pixels(ax.x, x) * s, pixels(ax.y, y) * s] : null);
  }
  const width = artist.width * s;
  if (artist.style !== "None" && width > 0) {
    const runs = [[]];
    for (const p of points) {
      if (p === null) { if (runs[runs.length - 1].length) runs.push([]); } else runs[runs.length - 1].push(p);
    }
    if (artist.snap === true || (artist.snap !== false && rectilinear(runs))) {
      const o = snapOffset(width);
      for (const run of runs) for (const p of run) { p[0] = round(p[0]) + o; p[1] = round(p[1]) + o; }
    }
    ctx.strokeStyle = rgba(artist.colour, artist.alpha);
    ctx.lineWidth = width;
    ctx.setLineDash(artist.dashes.map((d) => d * s));
    ctx.lineCap = artist.cap;
    ctx.lineJoin = artist.join;
    ctx.beginPath();
    for (const run of runs) run.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (artist.marker) {
    const edge = artist.edgewidth * s;
    ctx.fillStyle = rgba(artist.face, artist.alpha);
    ctx.strokeStyle = rgba(artist.edge, artist.alpha);
    ctx.lineWidth = edge;
    ctx.lineCap = artist.markercap;
    ctx.lineJoin = artist.markerjoin;
    ctx.miterLimit = Math.max(1, edge);  // Agg's miter limit for markers is the edge width in pixels
    for (const p of points) {
      if (p === null) continue;
      const exact = artist.corners && s === artist.cornerscale ? artist.corners : null;
      marker(ctx, artist.marker, p[0], p[1], artist.size * s, edge, artist.markersnap, exact);
      if (artist.face[3] > 0) ctx.fill();
      if (edge > 0 && artist.edge[3] > 0) ctx.stroke();
    }
    ctx.miterLimit = 10;
  }
}

function drawBars(ctx, ax, artist, heights, bottoms, s) {
  const at = (data, i) => (data.length === 1 ? data[0] : data[i]);
  const edge = artist.edge[3] > 0 ? artist.edgewidth * s : 0;
  const o = snapOffset(edge);
  artist.x.forEach((x, i) => {
    const h = at(heights, i), b = at(bottoms, i);
    if (!Number.isFinite(h) || !Number.isFinite(b)) return;
    const x0 = round(pixels(ax.x, x) * s) + o, x1 = round(pixels(ax.x, x + artist.width[i]) * s) + o;
    const y0 = round(pixels(ax.y, b) * s) + o, y1 = round(pixels(ax.y, b + h) * s) + o;
    ctx.beginPath();
    ctx.rect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.fillStyle = rgba(artist.colour, null);
    ctx.fill();
    if (edge > 0) {
      ctx.strokeStyle = rgba(artist.edge, null);
      ctx.lineWidth = edge;
      ctx.lineJoin = "miter";
      ctx.stroke();
    }
  });
}

let counter = 0;  // unique ids in a page that shows several live figures

// The keys a control moves with are the control's own: JupyterLab's notebook shortcuts (ArrowRight,
// ArrowDown: select the next cell) listen on the document while the event bubbles, so they stop here.
// Every other key (Shift+Enter, Escape) still reaches JupyterLab.
const MOVE_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);
function keepKeys(element) {
  element.addEventListener("keydown", (event) => {
    if (MOVE_KEYS.has(event.key) && !event.altKey && !event.ctrlKey && !event.metaKey) event.stopPropagation();
  });
}

function control(spec, index, onMove) {
  const id = `ce-live-${++counter}`;
  const box = document.createElement("div");
  box.className = "ce-live-control";
  let set;
  if (spec.kind === "range") {
    // a native range input: arrows, Home/End and PageUp/PageDown move it; its label names it
    const label = document.createElement("label");
    label.textContent = spec.label;
    label.htmlFor = id;
    const input = document.createElement("input");
    Object.assign(input, { id, type: "range", min: 0, max: spec.texts.length - 1, step: 1, value: index });
    const shown = document.createElement("output");
    shown.htmlFor = id;
    input.addEventListener("input", () => onMove(Number(input.value)));
    keepKeys(input);
    box.append(label, input, shown);
    set = (i) => {
      if (Number(input.value) !== i) input.value = i;
      input.setAttribute("aria-valuetext", spec.texts[i]);
      shown.textContent = spec.texts[i];
    };
  } else {
    // native radio buttons with one name: Tab enters the group, the arrow keys move within it
    const title = document.createElement("span");
    title.className = "ce-live-label";
    title.id = `${id}-label`;
    title.textContent = spec.label;
    const group = document.createElement("span");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-labelledby", title.id);
    keepKeys(group);
    const radios = spec.texts.map((text, i) => {
      const option = document.createElement("label");
      const radio = Object.assign(document.createElement("input"), { type: "radio", name: id, value: i });
      radio.addEventListener("change", () => { if (radio.checked) onMove(i); });
      option.append(radio, text);
      group.appendChild(option);
      return radio;
    });
    box.append(title, group);
    set = (i) => { if (!radios[i].checked) radios[i].checked = true; };
  }
  set(index);
  return { element: box, set };
}

function png(bytes, [offset, length]) {
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length);
  return URL.createObjectURL(new Blob([data], { type: "image/png" }));
}

function render({ model, el }) {
  const spec = model.get("spec");
  const figure = spec.figure;
  const view = views(model);
  const tables = {};
  for (const [key, entry] of Object.entries(spec.parts)) tables[key] = view(entry);
  const fieldTables = spec.fields.map((field) => view(field.table));
  let index = model.get("index").slice();

  el.classList.add("ce-live");
  const controls = spec.controls.map((c, k) => control(c, index[k], (i) => move(k, i)));
  const panel = document.createElement("div");
  panel.className = "ce-live-controls";
  controls.forEach((c) => panel.appendChild(c.element));
  const readout = document.createElement("div");
  readout.className = "ce-live-readout";
  readout.setAttribute("aria-live", "polite");
  const [width, height] = figure.size;
  const frame = document.createElement("div");
  frame.className = "ce-live-figure";
  Object.assign(frame.style, { width: `${width}px`, height: `${height}px` });
  // still image k, then the canvas of the moving artists drawn between it and still image k + 1
  const stillBytes = model.get("still");
  const stills = (figure.stills || [[0, stillBytes.byteLength]]).map((part, k) => {
    const img = Object.assign(document.createElement("img"), { src: png(stillBytes, part), width, height });
    img.alt = k === 0 ? "the figure" : "";
    if (k > 0) img.setAttribute("aria-hidden", "true");
    return img;
  });
  const layers = stills.map((img, k) => {
    const artists = figure.artists.filter((a) => (a.layer || 0) === k);
    const canvas = artists.length ? document.createElement("canvas") : null;
    if (canvas) canvas.setAttribute("aria-hidden", "true");
    frame.append(...(canvas ? [img, canvas] : [img]));
    return { canvas, artists };
  }).filter((layer) => layer.canvas);
  el.replaceChildren(panel, readout, frame);

  function current() {
    const parts = {};
    for (const [key, entry] of Object.entries(spec.parts)) parts[key] = Array.from(row(entry, tables[key], index));
    const fields = spec.fields.map((field, k) => field.strings[row(field.table, fieldTables[k], index)[0]]);
    return { index: index.slice(), parts, fields, readout: readout.innerHTML };
  }

  function drawLayer(canvas, artists, s) {
    if (canvas.width !== Math.round(width * s) || canvas.height !== Math.round(height * s)) {
      canvas.width = Math.round(width * s);
      canvas.height = Math.round(height * s);
      Object.assign(canvas.style, { width: `${width}px`, height: `${height}px` });
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const artist of artists) {
      const ax = figure.axes[artist.axes];
      const part = (name, fallback) => {
        const key = `${artist.name}.${name}`;
        return key in tables ? row(spec.parts[key], tables[key], index) : fallback;
      };
      ctx.save();
      // the axes' clip box, rounded to whole pixels as Agg rounds it
      const [bx, by, bw, bh] = ax.box;
      const x0 = round(bx * s), y0 = round(by * s), x1 = round((bx + bw) * s), y1 = round((by + bh) * s);
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, y1 - y0);
      ctx.clip();
      if (artist.kind === "line") drawLine(ctx, ax, artist, part("x", artist.x), part("y", artist.y), s);
      else drawBars(ctx, ax, artist, part("height", artist.height), part("bottom", artist.bottom), s);
      ctx.restore();
    }
  }

  function draw() {
    const s = window.devicePixelRatio || 1;
    for (const layer of layers) drawLayer(layer.canvas, layer.artists, s);
    let html = spec.literals[0];
    spec.fields.forEach((field, k) => {
      html += field.strings[row(field.table, fieldTables[k], index)[0]] + spec.literals[k + 1];
    });
    readout.innerHTML = html;
    controls.forEach((c, k) => c.set(index[k]));
    el.dispatchEvent(new CustomEvent("ce-live-drawn", { detail: index.slice() }));
  }

  function move(k, i) {
    if (index[k] === i) return;
    index = index.slice();
    index[k] = i;
    draw();
    model.set("index", index);
    model.save_changes();
  }

  const onIndex = () => {
    const next = model.get("index");
    if (next.some((i, k) => i !== index[k])) { index = next.slice(); draw(); }
  };
  model.on("change:index", onIndex);
  el.ceLive = { current, draw, spec };
  draw();
  return () => {
    model.off("change:index", onIndex);
    stills.forEach((img) => URL.revokeObjectURL(img.src));
  };
}

export default { render };
