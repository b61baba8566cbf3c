"use strict";
// The playground calls Switchboard's public endpoints from this page, with the key typed or created here (kept in
// this page's memory only), and renders the stream as blocks (thinking, text, tool_use with its input) as they
// arrive, the raw server-sent events beside them.
(() => {
  const $ = id => document.getElementById(id);
  const weather = { name: "get_weather", description: "Current weather for a city", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
  let controller = null;
  let blocks = new Map();

  async function loadModels() {
    const models = await SB.api("/ui/api/models");
    $("pg-model").replaceChildren(...models.data.map(name => SB.el("option", { value: name }, name)));
  }

  $("pg-mint").addEventListener("click", async () => {
    try {
      const key = await SB.api("/ui/api/playground-key", { method: "POST" });
      $("pg-key").value = key.key;
      $("pg-note").textContent = `Created key ${key.id}, valid until ${SB.time(key.expires_at)} UTC; it is in this page only.`;
      SB.showError($("pg-error"), null);
    } catch (error) { SB.showError($("pg-error"), error); }
  });

  function request(door, model, message, tools, thinking, key) {
    const headers = { "content-type": "application/json", "accept": "text/event-stream" };
    if (door === "messages") {
      headers["anthropic-version"] = "2023-06-01";
      if (key) headers["x-api-key"] = key;
      const body = { model, max_tokens: 2048, stream: true, messages: [{ role: "user", content: message }] };
      if (tools) body.tools = [{ name: weather.name, description: weather.description, input_schema: weather.schema }];
      if (thinking) body.thinking = { type: "enabled", budget_tokens: 1024 };
      return { path: "/v1/messages", headers, body };
    }
    if (key) headers["authorization"] = "Bearer " + key;
    if (door === "chat") {
      const body = { model, stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: message }] };
      if (tools) body.tools = [{ type: "function", function: { name: weather.name, description: weather.description, parameters: weather.schema } }];
      if (thinking) body.reasoning_effort = "medium";
      return { path: "/v1/chat/completions", headers, body };
    }
    const body = { model, stream: true, input: message, store: false };
    if (tools) body.tools = [{ type: "function", name: weather.name, description: weather.description, parameters: weather.schema }];
    if (thinking) body.reasoning = { effort: "medium", summary: "auto" };
    return { path: "/v1/responses", headers, body };
  }

  function block(key, type, title) {
    let b = blocks.get(key);
    if (!b) {
      const body = SB.el("pre", { class: "block-body" });
      const head = SB.el("div", { class: "block-head" }, title || type);
      const node = SB.el("div", { class: `block ${type}`, "data-type": type, "data-state": "streaming" }, head, body);
      $("pg-blocks").append(node);
      b = { node, head, body, type, text: "" };
      blocks.set(key, b);
    }
    return b;
  }

  function append(key, type, text, title) {
    if (!text) return;
    const b = block(key, type, title);
    b.text += text;
    b.body.textContent = b.text;
  }

  function finish(key) {
    const b = blocks.get(key);
    if (!b || b.node.dataset.state === "done") return;
    if (b.type === "tool_use") {
      try { b.body.textContent = JSON.stringify(JSON.parse(b.text || "{}"), null, 2); } catch { /* shown as streamed */ }
    }
    b.node.dataset.state = "done";
  }

  function status(text) { $("pg-status").textContent = text; }

  function onMessagesEvent(name, data) {
    switch (data.type) {
      case "content_block_start": {
        const c = data.content_block;
        const b = block(data.index, c.type, c.type === "tool_use" ? `tool_use ${c.name}` : c.type);
        if (c.type === "text" && c.text) append(data.index, "text", c.text);
        return b;
      }
      case "content_block_delta": {
        const d = data.delta;
        if (d.type === "text_delta") append(data.index, "text", d.text);
        else if (d.type === "thinking_delta") append(data.index, "thinking", d.thinking);
        else if (d.type === "input_json_delta") append(data.index, "tool_use", d.partial_json);
        else if (d.type === "signature_delta") { const b = blocks.get(data.index); if (b) b.head.textContent = "thinking (signed)"; }
        return null;
      }
      case "content_block_stop": return finish(data.index);
      case "message_delta": return status(`stop_reason: ${data.delta?.stop_reason ?? "–"}; output tokens: ${data.usage?.output_tokens ?? "–"}`);
      case "error": return append("error", "error", `${data.error?.type}: ${data.error?.message}`);
      default: return null;
    }
  }

  function onChatEvent(name, data) {
    if (data.error) return append("error", "error", `${data.error.type || data.error.code}: ${data.error.message}`);
    const choice = data.choices?.[0];
    if (!choice) return null;
    const d = choice.delta || {};
    append("reasoning", "thinking", d.reasoning_content || d.reasoning);
    append("text", "text", d.content);
    for (const call of d.tool_calls || []) {
      const key = "tool" + call.index;
      block(key, "tool_use", `tool_use ${call.function?.name || ""}`.trim());
      append(key, "tool_use", call.function?.arguments);
    }
    if (choice.finish_reason) { for (const key of blocks.keys()) finish(key); status(`finish_reason: ${choice.finish_reason}`); }
    return null;
  }

  function onResponsesEvent(name, data) {
    const type = data.type || name;
    const key = data.output_index;
    switch (type) {
      case "response.output_item.added": {
        const item = data.item;
        if (item.type === "reasoning") block(key, "thinking");
        else if (item.type === "message") block(key, "text");
        else if (item.type === "function_call" || item.type === "custom_tool_call") block(key, "tool_use", `tool_use ${item.name}`);
        return null;
      }
      case "response.reasoning_text.delta": case "response.reasoning_summary_text.delta": return append(key, "thinking", data.delta);
      case "response.output_text.delta": return append(key, "text", data.delta);
      case "response.function_call_arguments.delta": case "response.custom_tool_call_input.delta": return append(key, "tool_use", data.delta);
      case "response.output_item.done": return finish(key);
      case "response.completed": case "response.incomplete": return status(`${type.slice(9)}; output tokens: ${data.response?.usage?.output_tokens ?? "–"}`);
      case "response.failed": return append("error", "error", data.response?.error?.message || "failed");
      case "error": return append("error", "error", `${data.code || data.error?.type}: ${data.message || data.error?.message}`);
      default: return null;
    }
  }

  async function send(event) {
    event.preventDefault();
    blocks = new Map();
    $("pg-blocks").replaceChildren();
    $("pg-raw").textContent = "";
    SB.showError($("pg-error"), null);
    status("sending…");
    const door = $("pg-door").value;
    const r = request(door, $("pg-model").value, $("pg-message").value, $("pg-tools").checked, $("pg-thinking").checked, $("pg-key").value.trim());
    const handle = door === "messages" ? onMessagesEvent : door === "chat" ? onChatEvent : onResponsesEvent;
    controller = new AbortController();
    $("pg-send").disabled = true;
    $("pg-stop").disabled = false;
    document.body.dataset.streaming = "true";
    try {
      const response = await fetch(r.path, { method: "POST", headers: r.headers, body: JSON.stringify(r.body), signal: controller.signal, credentials: "omit" });
      if (!response.ok || !(response.headers.get("content-type") || "").includes("text/event-stream")) {
        const text = await response.text();
        $("pg-raw").textContent = text;
        let message = text;
        try { const json = JSON.parse(text); message = json.error?.message || text; } catch { /* not JSON */ }
        append("error", "error", `HTTP ${response.status}: ${message}`);
        status(`HTTP ${response.status}`);
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
          $("pg-raw").append(raw + "\n\n");
          $("pg-raw").scrollTop = $("pg-raw").scrollHeight;
          let name = "message"; const data = [];
          for (const line of raw.split(/\r?\n/)) {
            if (line.startsWith("event:")) name = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          }
          const text = data.join("\n");
          if (!text || text === "[DONE]") continue;
          try { handle(name, JSON.parse(text)); } catch (error) { append("error", "error", `unreadable event: ${error.message}`); }
        }
      }
      for (const key of blocks.keys()) finish(key);
      if ($("pg-status").textContent === "sending…") status("done");
    } catch (error) {
      if (error.name !== "AbortError") SB.showError($("pg-error"), error); else status("stopped");
    } finally {
      controller = null;
      $("pg-send").disabled = false;
      $("pg-stop").disabled = true;
      document.body.dataset.streaming = "false";
    }
  }

  $("pg-form").addEventListener("submit", send);
  $("pg-stop").addEventListener("click", () => controller?.abort());
  loadModels().catch(error => SB.showError($("pg-error"), error));
})();
