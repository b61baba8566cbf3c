using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Ingress.Anthropic;

/// <summary>A main-turn request as Claude Code 2.1.330 sends it (second turn of a tool loop).</summary>
public sealed class ClaudeCodeRequestTests
{
    internal const string Body = """
        {
          "model": "my-model",
          "max_tokens": 32000,
          "stream": true,
          "system": [
            {"type": "text", "text": "x-anthropic-billing-header: cc_version=2.1.330.55b; cc_entrypoint=sdk-cli;"},
            {"type": "text", "text": "You are a Claude agent, built on Anthropic's Claude Agent SDK.", "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": "\nYou are an agent working with the user toward their goals.", "cache_control": {"type": "ephemeral"}}
          ],
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "<system-reminder>\nAttribution for git commits.\n</system-reminder>"},
              {"type": "text", "text": "run the marker command"}]},
            {"role": "system", "content": "# Environment\nYou have been invoked in the following environment."},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "Let me think about this briefly.", "signature": "sig-2270"},
              {"type": "text", "text": "I'll run a command."},
              {"type": "tool_use", "id": "toolu_b129", "name": "Bash",
               "input": {"command": "echo mock-tool-ran > ./tool_marker.txt && echo done", "description": "write marker"}}]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_b129", "content": "done", "is_error": false,
               "cache_control": {"type": "ephemeral"}}]}
          ],
          "tools": [
            {"name": "Agent", "description": "Launch a new agent.", "input_schema": {"type": "object", "properties": {"prompt": {"type": "string"}}, "required": ["prompt"]}},
            {"name": "Bash", "description": "Executes a bash command.", "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"], "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#"}},
            {"name": "DeferredToolPlaceholder", "description": "Placeholder.", "input_schema": {"type": "object", "properties": {}}, "defer_loading": true}
          ],
          "metadata": {"user_id": "{\"device_id\":\"01da\",\"account_uuid\":\"\",\"session_id\":\"874a0126\"}"},
          "thinking": {"type": "adaptive", "display": "updates"},
          "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
          "output_config": {"effort": "high"}
        }
        """;

    [Fact]
    public void Reads_cleanly_into_the_canonical_request()
    {
        using var document = JsonDocument.Parse(Body);
        var notes = new RequestReadNotes();

        var request = MessagesRequestReader.Read(document.RootElement, notes);

        Assert.Equal("my-model", request.Model);
        Assert.Equal(32000, request.MaxTokens);
        Assert.True(request.Stream);
        Assert.Equal(
            "You are a Claude agent, built on Anthropic's Claude Agent SDK.\n\nYou are an agent working with the user toward their goals.",
            request.System);
        Assert.Equal(["Agent", "Bash", "DeferredToolPlaceholder"], request.Tools.Select(t => t.Name));
        Assert.Equal("{\"device_id\":\"01da\",\"account_uuid\":\"\",\"session_id\":\"874a0126\"}", request.UserId);
        Assert.Equal(new ThinkingConfig(ThinkingMode.Adaptive, null), request.Thinking);
        Assert.Equal("high", request.Effort);
        Assert.Null(request.ToolChoice);
        Assert.Null(request.Temperature);

        Assert.Equal([Role.User, Role.System, Role.Assistant, Role.User], request.Messages.Select(m => m.Role));
        Assert.Equal(
            [new TextBlock("<system-reminder>\nAttribution for git commits.\n</system-reminder>"), new TextBlock("run the marker command")],
            request.Messages[0].Content);
        Assert.Equal([new TextBlock("# Environment\nYou have been invoked in the following environment.")], request.Messages[1].Content);
        Assert.Equal(
            [
                new ThinkingBlock("Let me think about this briefly.", "sig-2270"),
                new TextBlock("I'll run a command."),
                new ToolUseBlock(
                    "toolu_b129",
                    "Bash",
                    """{"command": "echo mock-tool-ran > ./tool_marker.txt && echo done", "description": "write marker"}"""),
            ],
            request.Messages[2].Content);
        var result = Assert.IsType<ToolResultBlock>(Assert.Single(request.Messages[3].Content));
        Assert.Equal("toolu_b129", result.ToolUseId);
        Assert.False(result.IsError);
        Assert.Equal([new TextBlock("done")], result.Content);

        Assert.Equal(["system.0: Claude Code billing header block dropped (it defeats prefix caching)"], notes.Items);
    }
}
