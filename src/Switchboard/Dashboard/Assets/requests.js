"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const form = $("req-form");
  let selected = null;
  const fieldsShown = [
    ["time", "Time (UTC)", SB.time], ["request_id", "Request id"], ["key_id", "Key"], ["front_door", "Front door"], ["model", "Model"],
    ["upstream", "Target upstream"], ["upstream_model", "Upstream model"], ["status", "Status"], ["error_kind", "Error"],
    ["input_tokens", "Input tokens", SB.number], ["cache_read_tokens", "Cache read tokens", SB.number], ["cache_write_tokens", "Cache write tokens", SB.number],
    ["output_tokens", "Output tokens", SB.number], ["reasoning_tokens", "Reasoning tokens", SB.number], ["cost_usd", "Cost", SB.usd],
    ["time_to_first_token_ms", "Time to first token", SB.ms], ["duration_ms", "Duration", SB.ms], ["overhead_us", "Switchboard overhead", SB.us]];

  function show(row) {
    selected = row.request_id;
    document.querySelectorAll("#req-table tbody tr").forEach(tr => tr.classList.toggle("selected", tr.dataset.request === selected));
    $("d-id").textContent = row.request_id;
    $("d-fields").replaceChildren(...fieldsShown.flatMap(([name, title, format]) =>
      [SB.el("dt", {}, title), SB.el("dd", { "data-field": name }, row[name] === null || row[name] === undefined || row[name] === "" ? "–" : (format ? format(row[name]) : String(row[name])))]));
    const attempts = row.attempts || [];
    $("d-attempts-none").hidden = attempts.length > 0;
    $("d-attempts").hidden = attempts.length === 0;
    $("d-attempts").tBodies[0].replaceChildren(...attempts.map((a, i) => SB.el("tr", { "data-attempt": i + 1 },
      SB.el("td", { class: "num" }, i + 1), SB.el("td", {}, a.upstream),
      SB.el("td", { class: a.outcome === "ok" ? null : "status-bad" }, a.outcome),
      SB.el("td", { class: "num" }, a.status ?? "–"), SB.el("td", { class: "num" }, SB.ms(a.duration_ms)))));
    $("req-detail").hidden = false;
  }

  async function refresh() {
    const p = new URLSearchParams({ limit: "200" });
    for (const [name, value] of new FormData(form)) if (String(value).trim()) p.set(name, String(value).trim());
    try {
      const rows = (await SB.api("/ui/api/admin/requests?" + p)).data;
      SB.showError($("r-error"), null);
      $("req-table").tBodies[0].replaceChildren(...rows.map(row => SB.el("tr", { "data-request": row.request_id, class: row.request_id === selected ? "selected" : null, onclick: () => show(row) },
        SB.el("td", {}, SB.time(row.time)), SB.el("td", {}, SB.el("code", {}, row.request_id)), SB.el("td", {}, row.key_id || "–"),
        SB.el("td", {}, row.front_door), SB.el("td", {}, row.model || "–"),
        SB.el("td", { class: row.status >= 400 ? "num status-bad" : "num" }, row.status),
        SB.el("td", { class: "num" }, SB.number(row.input_tokens)), SB.el("td", { class: "num" }, SB.number(row.output_tokens)),
        SB.el("td", { class: "num" }, SB.number(row.time_to_first_token_ms, 1)), SB.el("td", { class: "num" }, SB.number(row.duration_ms, 1)))));
      document.body.dataset.loaded = "true";
    } catch (error) { SB.showError($("r-error"), error); }
  }
  form.addEventListener("submit", e => { e.preventDefault(); refresh(); });
  SB.every(3000, refresh);
})();
