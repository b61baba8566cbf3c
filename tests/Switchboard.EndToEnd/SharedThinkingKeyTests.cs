using Anthropic.Models.Messages;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;

namespace Switchboard.EndToEnd;

/// <summary>
/// Without a configured ThinkingSignatureKey, the signing secret is generated once and kept in the store: a thinking
/// block signed by one Switchboard is verified by every other one on the same store (another replica, or the same
/// one after a restart), so it goes back to the model and the upstream's prefix cache survives.
/// </summary>
public sealed class SharedThinkingKeyTests
{
    private const string Model = "Qwen/Qwen3-8B";

    private const string Reasoning = "Need the weather in Oslo.";

    [Fact]
    public async Task A_thinking_block_signed_by_one_host_is_kept_by_another_on_the_same_data_directory()
    {
        var shared = "--Switchboard:Storage:DataDirectory=" + TestDataRoot.FreshDirectory();
        var signed = await SignedTurnAsync(shared);

        Assert.Equal(Reasoning, await ReasoningSentUpstreamAsync(signed, shared));
    }

    [Fact]
    public async Task A_thinking_block_signed_by_one_host_is_kept_by_another_on_the_same_postgresql_database()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var shared = "--Switchboard:Storage:PostgreSql=" + database.ConnectionString;
        var signed = await SignedTurnAsync(shared);

        Assert.Equal(Reasoning, await ReasoningSentUpstreamAsync(signed, shared));
    }

    [Fact]
    public async Task A_host_on_another_store_drops_the_block_as_foreign()
    {
        var signed = await SignedTurnAsync(TestDataRoot.FreshDirectoryArg());

        Assert.Null(await ReasoningSentUpstreamAsync(signed, TestDataRoot.FreshDirectoryArg()));
    }

    [Fact]
    public async Task A_configured_key_wins_over_the_stored_one()
    {
        var shared = "--Switchboard:Storage:DataDirectory=" + TestDataRoot.FreshDirectory();
        var signed = await SignedTurnAsync(shared, "--Switchboard:ThinkingSignatureKey=configured-secret-1");

        Assert.Null(await ReasoningSentUpstreamAsync(signed, shared));
        Assert.Equal(Reasoning, await ReasoningSentUpstreamAsync(signed, TestDataRoot.FreshDirectoryArg(), "--Switchboard:ThinkingSignatureKey=configured-secret-1"));
    }

    /// <summary>One host answers with thinking; its signed blocks, as the client would send them back.</summary>
    private static async Task<List<ContentBlockParam>> SignedTurnAsync(params string[] args)
    {
        await using var host = await StartAsync(args);
        host.Upstream.Enqueue(new ScriptedReply { Content = $"<think>{Reasoning}</think>\nIt is cold.", ChunkSize = 5 });

        var turn = await host.Client.Messages.Create(Sdk.Ask("Weather in Oslo?", model: Model));

        Assert.True(turn.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(Reasoning, thinking.Thinking);
        Assert.True(turn.Content[1].TryPickText(out var text));
        return [new ThinkingBlockParam { Thinking = thinking.Thinking, Signature = thinking.Signature }, new TextBlockParam(text.Text)];
    }

    /// <summary>Another host gets the conversation back; what it sends the model as the earlier turn's reasoning.</summary>
    private static async Task<string?> ReasoningSentUpstreamAsync(List<ContentBlockParam> signedTurn, params string[] args)
    {
        await using var host = await StartAsync(args);
        host.Upstream.Enqueue(ScriptedReply.Text("Still cold."));
        var question = Sdk.Ask("Weather in Oslo?", model: Model);

        await host.Client.Messages.Create(question with
        {
            Messages = [.. question.Messages, new AssistantMessageParam(signedTurn), new UserMessageParam("And tomorrow?")],
        });

        var assistant = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body).Single(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal("It is cold.", UpstreamBody.Text(assistant).Trim());
        return assistant.TryGetProperty("reasoning_content", out var reasoning) ? reasoning.GetString() : null;
    }

    private static Task<SwitchboardHost> StartAsync(string[] args) =>
        SwitchboardHost.StartAsync(new FakeServerOptions { Models = [Model] }, ["--model", Model, .. args], quickstartModel: false);
}
