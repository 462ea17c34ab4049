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
  return axis.a * (axis.scale === "log" ? Math.log10(value) : value) + axis.b;
}

function marker(ctx, kind, x, y, size) {
  const r = size / 2;
  ctx.beginPath();
  if (kind === "o") ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (kind === "s") ctx.rect(x - r, y - r, size, size);
  else if (kind === "D") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); }
  else if (kind === "^") { ctx.moveTo(x, y - r); ctx.lineTo(x + r, y + r); ctx.lineTo(x - r, y + r); }
  else if (kind === "v") { ctx.moveTo(x, y + r); ctx.lineTo(x + r, y - r); ctx.lineTo(x - r, y - r); }
  ctx.closePath();
}

function drawLine(ctx, ax, artist, xs, ys) {
  const n = Math.max(xs.length, ys.length);
  const at = (data, i) => (data.length === 1 ? data[0] : data[i]);
  const points = [];
  for (let i = 0; i < n; i++) {
    const x = at(xs, i), y = at(ys, i);
    points.push(Number.isFinite(x) && Number.isFinite(y) ? [pixels(ax.x, x), pixels(ax.y, y)] : null);
  }
  if (artist.style !== "None" && artist.width > 0) {
    ctx.strokeStyle = rgba(artist.colour, artist.alpha);
    ctx.lineWidth = artist.width;
    ctx.setLineDash(artist.dashes);
    ctx.lineCap = artist.cap;
    ctx.lineJoin = artist.join;
    ctx.beginPath();
    let pen = false;
    for (const p of points) {
      if (p === null) { pen = false; continue; }
      if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (artist.marker) {
    for (const p of points) {
      if (p === null) continue;
      marker(ctx, artist.marker, p[0], p[1], artist.size);
      ctx.fillStyle = rgba(artist.face, artist.alpha);
      ctx.fill();
      if (artist.edgewidth > 0) {
        ctx.strokeStyle = rgba(artist.edge, artist.alpha);
        ctx.lineWidth = artist.edgewidth;
        ctx.stroke();
      }
    }
  }
}

function drawBars(ctx, ax, artist, heights, bottoms) {
  const at = (data, i) => (data.length === 1 ? data[0] : data[i]);
  artist.x.forEach((x, i) => {
    const h = at(heights, i), b = at(bottoms, i);
    if (!Number.isFinite(h) || !Number.isFinite(b)) return;
    const x0 = pixels(ax.x, x), x1 = pixels(ax.x, x + artist.width[i]);
    const y0 = pixels(ax.y, b), y1 = pixels(ax.y, b + h);
    ctx.beginPath();
    ctx.rect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    ctx.fillStyle = rgba(artist.colour, null);
    ctx.fill();
    if (artist.edgewidth > 0 && artist.edge[3] > 0) {
      ctx.strokeStyle = rgba(artist.edge, null);
      ctx.lineWidth = artist.edgewidth;
      ctx.stroke();
    }
  });
}

function control(spec, index, onMove) {
  const box = document.createElement("div");
  box.className = "ce-live-control";
  const label = document.createElement("label");
  label.textContent = spec.label;
  box.appendChild(label);
  const shown = document.createElement("output");
  let set;
  if (spec.kind === "range") {
    const input = document.createElement("input");
    Object.assign(input, { type: "range", min: 0, max: spec.texts.length - 1, step: 1, value: index });
    input.setAttribute("aria-label", spec.label);
    input.setAttribute("aria-valuetext", spec.texts[index]);
    input.addEventListener("input", () => onMove(Number(input.value)));
    label.appendChild(input);
    set = (i) => { input.value = i; input.setAttribute("aria-valuetext", spec.texts[i]); shown.textContent = spec.texts[i]; };
    box.appendChild(shown);
  } else {
    const group = document.createElement("span");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-label", spec.label);
    const name = `ce-live-${spec.name}-${Math.random().toString(36).slice(2)}`;
    const radios = spec.texts.map((text, i) => {
      const option = document.createElement("label");
      const radio = Object.assign(document.createElement("input"), { type: "radio", name, value: i });
      radio.addEventListener("change", () => { if (radio.checked) onMove(i); });
      option.append(radio, text);
      group.appendChild(option);
      return radio;
    });
    box.appendChild(group);
    set = (i) => { radios[i].checked = true; };
  }
  set(index);
  return { element: box, set };
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
  const [width, height] = figure.size;
  const frame = document.createElement("div");
  frame.className = "ce-live-figure";
  Object.assign(frame.style, { width: `${width}px`, height: `${height}px` });
  const still = document.createElement("img");
  const stillBytes = model.get("still");
  still.src = URL.createObjectURL(new Blob([new Uint8Array(stillBytes.buffer, stillBytes.byteOffset, stillBytes.byteLength)], { type: "image/png" }));
  Object.assign(still, { width, height, alt: "the still part of the figure" });
  const canvas = document.createElement("canvas");
  frame.append(still, canvas);
  el.replaceChildren(panel, readout, frame);

  function current() {
    const parts = {};
    for (const [key, entry] of Object.entries(spec.parts)) parts[key] = Array.from(row(entry, tables[key], index));
    const fields = spec.fields.map((field, k) => field.strings[row(field.table, fieldTables[k], index)[0]]);
    return { index: index.slice(), parts, fields, readout: readout.innerHTML };
  }

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      Object.assign(canvas.style, { width: `${width}px`, height: `${height}px` });
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    for (const artist of figure.artists) {
      const ax = figure.axes[artist.axes];
      const part = (name, fallback) => {
        const key = `${artist.name}.${name}`;
        return key in tables ? row(spec.parts[key], tables[key], index) : fallback;
      };
      ctx.save();
      ctx.beginPath();
      ctx.rect(...ax.box);
      ctx.clip();
      if (artist.kind === "line") drawLine(ctx, ax, artist, part("x", artist.x), part("y", artist.y));
      else drawBars(ctx, ax, artist, part("height", artist.height), part("bottom", artist.bottom));
      ctx.restore();
    }
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

  model.on("change:index", () => {
    const next = model.get("index");
    if (next.some((i, k) => i !== index[k])) { index = next.slice(); draw(); }
  });
  el.ceLive = { current, draw };
  draw();
  return () => URL.revokeObjectURL(still.src);
}

export default { render };
