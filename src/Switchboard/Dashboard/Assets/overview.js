"use strict";
(() => {
  let range = "hour";
  const $ = id => document.getElementById(id);
  async function refresh() {
    const t = await SB.api("/ui/api/traffic");
    const minute = t.last_minute, hour = t.last_hour;
    $("m-requests").textContent = SB.number(hour.requests);
    $("m-rps").textContent = SB.number(minute.requests_per_s, 2);
    $("m-tps").textContent = `${SB.number(minute.input_tokens_per_s, 1)} · ${SB.number(minute.cached_tokens_per_s, 1)} · ${SB.number(minute.output_tokens_per_s, 1)}`;
    $("m-errors").textContent = SB.percent(hour.error_rate);
    $("m-ttft").textContent = `${SB.ms(hour.ttft_ms_p50)} · ${SB.ms(hour.ttft_ms_p95)}`;
    $("m-overhead").textContent = `${SB.us(hour.overhead_us_p50)} · ${SB.us(hour.overhead_us_p99)}`;
    const s = t[range];
    SB.lineChart($("c-rps"), [s.requests_per_s], s.start, s.step_s, v => SB.number(v, 2));
    SB.lineChart($("c-tps"), [s.input_tokens_per_s, s.cached_tokens_per_s, s.output_tokens_per_s], s.start, s.step_s, v => SB.number(v, 1));
    SB.lineChart($("c-errors"), [s.error_rate], s.start, s.step_s, SB.percent);
    SB.lineChart($("c-ttft"), [s.ttft_ms_p50, s.ttft_ms_p95], s.start, s.step_s, v => SB.number(v, 1));
    SB.lineChart($("c-overhead"), [s.overhead_us_p50, s.overhead_us_p99], s.start, s.step_s, v => SB.number(v, 0));
    document.body.dataset.loaded = "true";
  }
  document.querySelectorAll('input[name="range"]').forEach(r => r.addEventListener("change", () => { range = r.value; refresh(); }));
  SB.every(2000, refresh);
})();
