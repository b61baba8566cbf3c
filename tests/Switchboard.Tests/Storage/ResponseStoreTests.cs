using Dapper;
using Switchboard.Storage;
using Switchboard.Tenancy;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Storage;

public abstract class ResponseStoreTests(StoreDialect dialect) : StoreTestBase(dialect)
{
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static StoredResponse Response(string id, DateTimeOffset created, string? keyId = "key-a", string outputId = "msg_out", string inputId = "msg_in") => new()
    {
        Id = id,
        KeyId = keyId,
        CreatedAt = created,
        ResponseJson = $$"""{"id":"{{id}}","object":"response","output":[{"type":"message","id":"{{outputId}}","role":"assistant","content":[{"type":"output_text","text":"hé ✓","annotations":[]}]}]}""",
        InputItemsJson = $$"""[{"type":"message","id":"{{inputId}}","role":"user","content":"hi"}]""",
    };

    [Fact]
    public async Task A_saved_response_is_found_as_written_and_saving_it_again_replaces_it()
    {
        var first = Response("resp_1", Day1.AddMilliseconds(123));
        await Store.Responses.SaveAsync(first, CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_open", Day1, keyId: null), CancellationToken.None);

        Assert.Equal(first, await Store.Responses.FindAsync("resp_1", CancellationToken.None));
        Assert.Null((await Store.Responses.FindAsync("resp_open", CancellationToken.None))!.KeyId);
        Assert.Null(await Store.Responses.FindAsync("resp_2", CancellationToken.None));

        var replaced = first with { ResponseJson = """{"id":"resp_1","status":"completed","output":[]}""", InputItemsJson = "[]" };
        await Store.Responses.SaveAsync(replaced, CancellationToken.None);
        Assert.Equal(replaced, await Store.Responses.FindAsync("resp_1", CancellationToken.None));

        // Its items were re-indexed: the old output item no longer leads to it.
        Assert.Null(await Store.Responses.FindByItemAsync("msg_out", "key-a", CancellationToken.None));
    }

    [Fact]
    public async Task An_item_id_finds_the_newest_response_of_the_same_key_holding_it()
    {
        await Store.Responses.SaveAsync(Response("resp_old", Day1, outputId: "msg_a", inputId: "msg_q"), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_new", Day1.AddHours(1), outputId: "msg_b", inputId: "msg_q"), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_other", Day1.AddHours(2), keyId: "key-b", outputId: "msg_c", inputId: "msg_q"), CancellationToken.None);
        await Store.Responses.SaveAsync(Response("resp_open", Day1.AddHours(3), keyId: null, outputId: "msg_d", inputId: "msg_q"), CancellationToken.None);

        Assert.Equal("resp_old", (await Store.Responses.FindByItemAsync("msg_a", "key-a", CancellationToken.None))?.Id);
        Assert.Equal("resp_new", (await Store.Responses.FindByItemAsync("msg_q", "key-a", CancellationToken.None))?.Id);
        Assert.Equal("resp_other", (await Store.Responses.FindByItemAsync("msg_q", "key-b", CancellationToken.None))?.Id);
        Assert.Equal("resp_open", (await Store.Responses.FindByItemAsync("msg_q", null, CancellationToken.None))?.Id);
        Assert.Null(await Store.Responses.FindByItemAsync("msg_c", "key-a", CancellationToken.None));
        Assert.Null(await Store.Responses.FindByItemAsync("msg_a", null, CancellationToken.None));
        Assert.Null(await Store.Responses.FindByItemAsync("msg_zzz", "key-a", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_response_and_its_items_and_says_whether_there_was_one()
    {
        await Store.Responses.SaveAsync(Response("resp_1", Day1), CancellationToken.None);

        Assert.True(await Store.Responses.DeleteAsync("resp_1", CancellationToken.None));
        Assert.False(await Store.Responses.DeleteAsync("resp_1", CancellationToken.None));
        Assert.Null(await Store.Responses.FindAsync("resp_1", CancellationToken.None));
        Assert.Null(await Store.Responses.FindByItemAsync("msg_out", "key-a", CancellationToken.None));
        Assert.Equal(0, await CountAsync("response_items"));
    }

    [Fact]
    public async Task Deleting_old_responses_goes_in_batches_and_keeps_newer_ones()
    {
        var old = Enumerable.Range(0, SqlResponseStore.DeleteBatch + 3)
            .Select(i => Response("resp_old" + i, Day1.AddMilliseconds(i), outputId: "msg_o" + i, inputId: "msg_i" + i));
        foreach (var response in old)
        {
            await Store.Responses.SaveAsync(response, CancellationToken.None);
        }

        await Store.Responses.SaveAsync(Response("resp_new", Day1.AddDays(10), outputId: "msg_new"), CancellationToken.None);

        Assert.Equal(SqlResponseStore.DeleteBatch + 3, await Store.Responses.DeleteOlderThanAsync(Day1.AddDays(1), CancellationToken.None));
        Assert.Equal(1, await CountAsync("responses"));
        Assert.Equal(2, await CountAsync("response_items"));
        Assert.NotNull(await Store.Responses.FindAsync("resp_new", CancellationToken.None));
        Assert.Null(await Store.Responses.FindAsync("resp_old0", CancellationToken.None));
        Assert.Equal(0, await Store.Responses.DeleteOlderThanAsync(Day1.AddDays(1), CancellationToken.None));
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = await Store.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }
}

public sealed class SqliteResponseStoreTests() : ResponseStoreTests(StoreDialect.Sqlite);

public sealed class PostgresResponseStoreTests() : ResponseStoreTests(StoreDialect.PostgreSql);
