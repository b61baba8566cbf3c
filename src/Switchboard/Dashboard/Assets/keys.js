"use strict";
(() => {
  const $ = id => document.getElementById(id);
  const form = $("key-form");
  let editing = null;
  const fields = ["rpm", "input_tpm", "output_tpm", "concurrency"];

  function settings() {
    const data = new FormData(form);
    const body = { name: data.get("name") };
    const models = String(data.get("models") || "").split(",").map(s => s.trim()).filter(Boolean);
    body.models = models.length ? models : null;
    for (const f of fields) body[f] = data.get(f) ? Number(data.get(f)) : null;
    body.budget_usd = data.get("budget_usd") ? Number(data.get("budget_usd")) : null;
    body.budget_period = body.budget_usd === null ? null : data.get("budget_period");
    body.expires_at = data.get("expires_at") || null;
    return body;
  }

  function edit(key) {
    editing = key.id;
    form.elements.name.value = key.name;
    form.elements.models.value = key.models.join(", ");
    for (const f of fields) form.elements[f].value = key[f] ?? "";
    form.elements.budget_usd.value = key.budget_usd ?? "";
    form.elements.budget_period.value = key.budget_period ?? "monthly";
    form.elements.expires_at.value = key.expires_at ? key.expires_at.slice(0, 10) : "";
    $("key-submit").textContent = `Save ${key.id}`;
    $("key-cancel").hidden = false;
    $("create-card").open = true;
    form.elements.name.focus();
  }

  function reset() {
    editing = null;
    form.reset();
    $("key-submit").textContent = "Create";
    $("key-cancel").hidden = true;
  }

  async function revoke(key) {
    if (!confirm(`Revoke key ${key.id} (${key.name})? Clients using it are refused from now on; this cannot be undone.`)) return;
    try { await SB.api(`/ui/api/admin/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" }); SB.showError($("key-error"), null); }
    catch (error) { SB.showError($("key-error"), error); }
    refresh();
  }

  async function toggle(key) {
    try { await SB.api(`/ui/api/admin/keys/${encodeURIComponent(key.id)}`, { method: "PATCH", body: { disabled: !key.disabled } }); }
    catch (error) { SB.showError($("key-error"), error); }
    refresh();
  }

  async function refresh() {
    const keys = await SB.api("/ui/api/admin/keys");
    $("keys-table").tBodies[0].replaceChildren(...keys.data.slice().reverse().map(key => {
      const live = key.status !== "revoked";
      return SB.el("tr", { "data-key": key.id },
        SB.el("td", {}, SB.el("code", {}, key.id)), SB.el("td", {}, key.name),
        SB.el("td", {}, SB.el("span", { class: `state ${key.status}` }, key.status)),
        SB.el("td", {}, key.models.length ? key.models.join(", ") : "all"),
        ...fields.map(f => SB.el("td", { class: "num" }, key[f] ?? "–")),
        SB.el("td", {}, key.budget_usd === null ? "–" : `${SB.usd(key.budget_usd)} ${key.budget_period}`),
        SB.el("td", {}, SB.time(key.expires_at)), SB.el("td", {}, SB.time(key.created_at)),
        SB.el("td", {}, live ? [
          SB.el("button", { type: "button", class: "secondary", onclick: () => edit(key) }, "Edit"), " ",
          SB.el("button", { type: "button", class: "secondary", onclick: () => toggle(key) }, key.disabled ? "Enable" : "Disable"), " ",
          SB.el("button", { type: "button", class: "danger", onclick: () => revoke(key) }, "Revoke")] : []));
    }));
    document.body.dataset.loaded = "true";
  }

  form.addEventListener("submit", async event => {
    event.preventDefault();
    try {
      if (editing) {
        await SB.api(`/ui/api/admin/keys/${encodeURIComponent(editing)}`, { method: "PATCH", body: settings() });
        $("new-key").hidden = true;
      } else {
        const body = settings();
        for (const name of Object.keys(body)) if (body[name] === null) delete body[name];
        const created = await SB.api("/ui/api/admin/keys", { method: "POST", body });
        $("new-key-value").textContent = created.key;
        $("new-key").hidden = false;
      }
      SB.showError($("key-error"), null);
      reset();
      refresh();
    } catch (error) { SB.showError($("key-error"), error); }
  });
  $("key-cancel").addEventListener("click", reset);
  refresh();
})();
