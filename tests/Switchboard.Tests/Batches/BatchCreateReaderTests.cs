using System.Text;
using Switchboard.Batches;
using Switchboard.Canonical;
using Switchboard.Configuration;
using Switchboard.Ingress.Anthropic;

namespace Switchboard.Tests.Batches;

public sealed class BatchCreateReaderTests
{
    private const string Params = """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";

    private static readonly BatchDoor Door = new(new AnthropicDoor(new ThinkingKey(new SwitchboardOptions())));

    private static BatchPlan Read(string json, int max = 100) => BatchCreateReader.Read(Encoding.UTF8.GetBytes(json), Door, max);

    private static string Refusal(string json, int max = 100)
    {
        var refusal = Assert.Throws<ApiException>(() => Read(json, max));
        Assert.Equal(ApiErrorKind.InvalidRequest, refusal.Error.Kind);
        return refusal.Error.Message;
    }

    [Fact]
    public void A_valid_body_gives_each_custom_id_and_its_params_text_exactly_as_sent()
    {
        var spaced = """{ "model" : "m", "max_tokens": 5, "messages": [{"role":"user","content":"é \u00e9 ✓"}] }""";
        var body = $$"""{"requests":[{"custom_id":"a-1","params":{{Params}}},{"params":{{spaced}},"custom_id":"B_2"}]}""";
        var plan = Read(body);

        var rows = plan.Rows(Encoding.UTF8.GetBytes(body)).ToList();
        Assert.Equal([new(0, "a-1", Params), new(1, "B_2", spaced)], rows);
    }

    [Theory]
    [InlineData("[]", "Request body must be a JSON object")]
    [InlineData("{}", "requests: Field required")]
    [InlineData("""{"requests":{}}""", "requests: Input should be a valid list")]
    [InlineData("""{"requests":[]}""", "requests: List should have at least 1 item after validation, not 0")]
    [InlineData("""{"requests":[1]}""", "requests.0: Input should be an object")]
    [InlineData("""{"requests":[{"custom_id":"a"}]}""", "requests.0.params: Field required")]
    [InlineData("""{"requests":[{"params":{}}]}""", "requests.0.params.model: Field required")]
    [InlineData("""{"requests":[{"custom_id":"a","params":[]}]}""", "requests.0.params: Input should be an object")]
    [InlineData("""{"requests":[{"custom_id":"","params":{}}]}""", "requests.0.custom_id: String should have at least 1 character")]
    [InlineData("""{"requests":[{"custom_id":7,"params":{}}]}""", "requests.0.custom_id: Input should be a valid string")]
    [InlineData("""{"requests":[{"custom_id":"a b","params":{}}]}""", "requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'")]
    [InlineData("""{"requests":[{"custom_id":"a","params":{},"extra":1}]}""", "requests.0.params.model: Field required")]
    [InlineData("""{"requests":[],"model":"x"}""", "requests: List should have at least 1 item after validation, not 0")]
    [InlineData("""{"model":"x","requests":[]}""", "model: Extra inputs are not permitted")]
    public void Each_problem_is_refused_naming_its_path(string body, string message) => Assert.Equal(message, Refusal(body));

    [Fact]
    public void A_params_problem_is_named_under_its_request_by_the_doors_own_reader()
    {
        var bad = """{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""";
        var message = Refusal($$"""{"requests":[{"custom_id":"a","params":{{Params}}},{"custom_id":"b","params":{{bad}}}]}""");
        Assert.StartsWith("requests.1.params.max_tokens: ", message);

        var noRole = """{"model":"m","max_tokens":1,"messages":[{"content":"hi"}]}""";
        Assert.Equal("requests.0.params.messages.0.role: Field required", Refusal($$"""{"requests":[{"custom_id":"a","params":{{noRole}}}]}"""));
    }

    [Fact]
    public void Streaming_unknown_fields_duplicates_long_ids_and_too_many_requests_are_refused()
    {
        var streaming = """{"model":"m","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        Assert.StartsWith("requests.0.params.stream: ", Refusal($$"""{"requests":[{"custom_id":"a","params":{{streaming}}}]}"""));
        Assert.Equal("requests.0.extra: Extra inputs are not permitted", Refusal($$"""{"requests":[{"custom_id":"a","extra":1,"params":{{Params}}}]}"""));
        Assert.Equal(
            "requests.2.custom_id: 'a' is also the custom_id of requests.0; each custom_id must be unique within the batch",
            Refusal($$"""{"requests":[{"custom_id":"a","params":{{Params}}},{"custom_id":"b","params":{{Params}}},{"custom_id":"a","params":{{Params}}}]}"""));
        var longId = new string('x', 65);
        Assert.Equal("requests.0.custom_id: String should have at most 64 characters", Refusal($$"""{"requests":[{"custom_id":"{{longId}}","params":{{Params}}}]}"""));
        Assert.Single(Read($$"""{"requests":[{"custom_id":"{{longId[..64]}}","params":{{Params}}}]}""").Items);
        Assert.Equal(
            "requests: List should have at most 2 items after validation, not more",
            Refusal($$"""{"requests":[{"custom_id":"a","params":{{Params}}},{"custom_id":"b","params":{{Params}}},{"custom_id":"c","params":{{Params}}}]}""", max: 2));
    }

    [Fact]
    public void A_body_that_is_not_json_is_refused_as_such()
    {
        Assert.StartsWith("Request body is not valid JSON", Refusal("""{"requests":[{"custom_id":"a","params":"""));
        Assert.StartsWith("Request body is not valid JSON", Refusal($$"""{"requests":[{"custom_id":"a","params":{{Params}}}]} x"""));
    }

    [Theory]
    [InlineData("messages: Field required", "requests.3.params.messages: Field required")]
    [InlineData("Request body must be a JSON object", "requests.3.params: Request body must be a JSON object")]
    [InlineData("thinking.budget_tokens: must be less than max_tokens", "requests.3.params.thinking.budget_tokens: must be less than max_tokens")]
    public void Reader_messages_are_rooted_under_the_request(string message, string rooted) =>
        Assert.Equal(rooted, BatchCreateReader.Rooted("requests.3.params", message));
}
