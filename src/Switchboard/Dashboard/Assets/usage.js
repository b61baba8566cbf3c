"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const form = $("usage-form");
  function params() {
    const p = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) p.set(name, value);
    return p;
  }
  async function refresh() {
    const p = params();
    $("u-csv").href = "/ui/api/usage.csv?" + p;
    try {
      const usage = await SB.api("/ui/api/admin/usage?" + p);
      SB.showError($("u-error"), null);
      const field = usage.group_by === "key" ? "key_id" : usage.group_by;
      $("u-group-head").textContent = usage.group_by;
      const label = row => usage.group_by === "key" ? (row.name ? `${row.name} (${row.key_id})` : row.key_id || "(no key)") : (row[field] || "(none)");
      const figures = row => [SB.number(row.requests), SB.number(row.input_tokens), SB.number(row.cache_read_tokens), SB.number(row.cache_write_tokens), SB.number(row.output_tokens), SB.number(row.reasoning_tokens), SB.usd(row.cost_usd)];
      $("u-table").tBodies[0].replaceChildren(...usage.data.map(row =>
        SB.el("tr", { "data-group": row[field] }, SB.el("td", {}, label(row)), ...figures(row).map(v => SB.el("td", { class: "num" }, v)))));
      $("u-table").tFoot.replaceChildren(SB.el("tr", {}, SB.el("td", {}, "total"), ...figures(usage.total).map(v => SB.el("td", { class: "num" }, v))));
      SB.barChart($("u-chart"), usage.data.map(row => ({ label: label(row), value: row.cost_usd })), v => SB.usd(v));
      document.body.dataset.loaded = "true";
    } catch (error) { SB.showError($("u-error"), error); }
  }
  form.addEventListener("submit", e => { e.preventDefault(); refresh(); });
  $("u-group").addEventListener("change", refresh);
  SB.every(5000, refresh);
})();
