// Shared helpers of the dashboard's pages: calls with the session's CSRF token, formatting, DOM building and
// small SVG charts. No dependencies; text is always inserted as text, never as HTML.
"use strict";
const SB = (() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const svgNs = "http://www.w3.org/2000/svg";

  async function api(path, options = {}) {
    const headers = Object.assign({ "accept": "application/json" }, options.headers || {});
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.method && options.method !== "GET") headers["x-csrf-token"] = csrf;
    const response = await fetch(path, { method: options.method || "GET", headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), credentials: "same-origin" });
    if (response.status === 401) { location.href = "/ui/login"; throw new Error("signed out"); }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(json?.error?.message || `HTTP ${response.status}`);
    return json;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const number = (n, digits = 0) => n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const usd = n => n === null || n === undefined ? "–" : "$" + Number(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  const percent = n => n === null || n === undefined ? "–" : (n * 100).toFixed(1) + "%";
  const ms = n => n === null || n === undefined ? "–" : n >= 1000 ? (n / 1000).toFixed(2) + " s" : n.toFixed(n < 10 ? 1 : 0) + " ms";
  const us = n => n === null || n === undefined ? "–" : n >= 1000 ? (n / 1000).toFixed(2) + " ms" : n.toFixed(0) + " µs";
  const time = iso => iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "–";

  function showError(node, error) {
    if (!node) return;
    if (error) { node.textContent = error.message || String(error); node.hidden = false; } else { node.textContent = ""; node.hidden = true; }
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    return node;
  }

  // Lines over time: series = [[values…], …] (null: no point), start (ms), step (s).
  function lineChart(container, series, start, step, format) {
    const width = 600, height = 140, left = 48, bottom = 18, top = 8;
    const all = series.flat().filter(v => v !== null && v !== undefined);
    const max = Math.max(...all, 0) || 1;
    const count = Math.max(...series.map(s => s.length), 2);
    const x = i => left + (width - left - 4) * i / (count - 1);
    const y = v => top + (height - top - bottom) * (1 - v / max);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
    root.append(svg("line", { x1: left, y1: y(0), x2: width, y2: y(0), class: "axis" }));
    root.append(svg("line", { x1: left, y1: top, x2: left, y2: y(0), class: "axis" }));
    const label = (text, attrs) => { const t = svg("text", attrs); t.textContent = text; root.append(t); };
    label(format(max), { x: left - 4, y: top + 8, "text-anchor": "end" });
    label(format(0), { x: left - 4, y: y(0), "text-anchor": "end" });
    const clock = ms => new Date(ms).toISOString().slice(11, 16);
    label(clock(start), { x: left, y: height - 4 });
    label(clock(start + (count - 1) * step * 1000), { x: width - 2, y: height - 4, "text-anchor": "end" });
    series.forEach((values, index) => {
      let points = [];
      const flush = () => {
        if (points.length > 1) root.append(svg("polyline", { points: points.join(" "), class: `line${index}` }));
        else if (points.length === 1) { const [cx, cy] = points[0].split(","); root.append(svg("circle", { cx, cy, r: 2.5, class: `line${index}` })); }
        points = [];
      };
      values.forEach((v, i) => { if (v === null || v === undefined) flush(); else points.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`); });
      flush();
    });
    container.replaceChildren(root);
  }

  // Bars: [{label, value}].
  function barChart(container, bars, format) {
    const width = 1000, height = 200, left = 64, bottom = 24, top = 8;
    const max = Math.max(...bars.map(b => b.value), 0) || 1;
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
    root.append(svg("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }));
    const label = (text, attrs) => { const t = svg("text", attrs); t.textContent = text; root.append(t); };
    label(format(max), { x: left - 4, y: top + 8, "text-anchor": "end" });
    const slot = (width - left) / Math.max(bars.length, 1);
    bars.forEach((bar, i) => {
      const h = (height - top - bottom) * bar.value / max;
      const barWidth = Math.min(slot * 0.7, 90);
      const rect = svg("rect", { x: left + (i + 0.5) * slot - barWidth / 2, y: height - bottom - h, width: barWidth, height: Math.max(h, 0.5), class: "bar" });
      const title = svg("title", {}); title.textContent = `${bar.label}: ${format(bar.value)}`; rect.append(title);
      root.append(rect);
      label(bar.label.length > 28 ? bar.label.slice(0, 27) + "…" : bar.label, { x: left + (i + 0.5) * slot, y: height - bottom + 14, "text-anchor": "middle" });
    });
    container.replaceChildren(root);
  }

  // Refreshes every `ms` while the page is visible.
  function every(ms, task) {
    const run = () => { if (!document.hidden) task(); };
    run();
    return setInterval(run, ms);
  }

  document.getElementById("logout")?.addEventListener("submit", async event => {
    event.preventDefault();
    await fetch("/ui/logout", { method: "POST", headers: { "x-csrf-token": csrf }, credentials: "same-origin" });
    location.href = "/ui/login";
  });

  return { api, el, number, usd, percent, ms, us, time, showError, lineChart, barChart, every, csrf };
})();
