"use strict";
(() => {
  const $ = id => document.getElementById(id);
  async function refresh() {
    const upstreams = await SB.api("/ui/api/upstreams");
    $("up-table").tBodies[0].replaceChildren(...upstreams.data.map(u => {
      const r = u.last_5_minutes;
      const failure = r.last_failure ? `${r.last_failure} at ${SB.time(r.last_failure_at).slice(11)} UTC` : (u.last_failure || "–");
      return SB.el("tr", { "data-upstream": u.upstream },
        SB.el("td", {}, u.upstream), SB.el("td", {}, u.api), SB.el("td", {}, u.host),
        SB.el("td", {}, SB.el("span", { class: `state ${u.state}` }, u.state)),
        SB.el("td", { class: "num" }, SB.number(u.in_flight)), SB.el("td", {}, SB.time(u.cooling_until)),
        SB.el("td", { class: "num requests" }, SB.number(r.requests)), SB.el("td", { class: "num failures" }, SB.number(r.failures)),
        SB.el("td", { class: "num" }, `${SB.number(r.ttft_ms_p50, 1)} · ${SB.number(r.ttft_ms_p95, 1)}`),
        SB.el("td", { class: "num" }, `${SB.number(r.duration_ms_p50, 1)} · ${SB.number(r.duration_ms_p95, 1)}`),
        SB.el("td", {}, failure));
    }));
    document.body.dataset.loaded = "true";
  }
  SB.every(2000, refresh);
})();
