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
      // Cost when prices are configured, else tokens (input of every kind and output).
      const priced = usage.data.some(row => row.cost_usd > 0);
      $("u-chart-caption").textContent = priced ? "Cost (US$) per group" : "Tokens per group (no prices configured)";
      SB.barChart($("u-chart"), usage.data.map(row => ({ label: label(row),
        value: priced ? row.cost_usd : row.input_tokens + row.cache_read_tokens + row.cache_write_tokens + row.output_tokens })), priced ? SB.usd : v => SB.number(v));
      document.body.dataset.loaded = "true";
    } catch (error) { SB.showError($("u-error"), error); }
  }
  form.addEventListener("submit", e => { e.preventDefault(); refresh(); });
  $("u-group").addEventListener("change", refresh);
  SB.every(5000, refresh);
})();
