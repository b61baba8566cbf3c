using System.Net;
using System.Text.Json;
using Anthropic.Models.Messages;
using Switchboard.EndToEnd.AnthropicUpstream;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.EndToEnd.OpenAIChat;
using Switchboard.FakeUpstream;
using Switchboard.Testing;

namespace Switchboard.EndToEnd.Documents;

/// <summary>
/// PDF documents reach a model that cannot read PDFs as their text, page by page, from every door; an upstream
/// allowed PDFs (<c>AllowServerTools</c>) gets the document itself.
/// </summary>
public sealed class PdfDocumentTests
{
    private static readonly string Pdf = TestPdf.Base64("The invoice total is 4217 euros", "Payment is due in March");

    private const string Expected =
        "Document: Invoice 7 (PDF, text extracted by page)\nContext: Sent by ACME\n\n--- Page 1 ---\nThe invoice total is 4217 euros\n--- Page 2 ---\nPayment is due in March";

    private static string MessagesBody(string model, string data) => $$$"""
        {"model":"{{{model}}}","max_tokens":64,"messages":[{"role":"user","content":[
          {"type":"document","title":"Invoice 7","context":"Sent by ACME","citations":{"enabled":true},"source":{"type":"base64","media_type":"application/pdf","data":"{{{data}}}"}},
          {"type":"text","text":"What is the total?"}]}]}
        """;

    [Fact]
    public async Task The_anthropic_sdk_sends_a_pdf_whose_text_reaches_an_openai_compatible_upstream()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("4217 euros."));

        var message = await host.Client.Messages.Create(Sdk.Ask("unused") with
        {
            Messages =
            [
                new UserMessageParam(new List<ContentBlockParam>
                {
                    new DocumentBlockParam { Source = new Base64PdfSource { Data = Pdf }, Title = "Invoice 7", Context = "Sent by ACME" },
                    new TextBlockParam("What is the total?"),
                }),
            ],
        });

        Assert.Equal("4217 euros.", Sdk.TextOf(message));
        var last = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1];
        Assert.Equal(Expected + "\nWhat is the total?", UpstreamBody.Text(last));
    }

    [Fact]
    public async Task A_damaged_pdf_is_a_400_naming_the_block_and_nothing_reaches_the_upstream()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(MessagesBody("fake-model", "JVBERi0xLjQK")));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid_request_error", "messages.0.content.0: the PDF could not be read (damaged or not a PDF)"),
            (error.GetProperty("type").GetString(), error.GetProperty("message").GetString()));
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task The_page_limit_is_the_upstreams_setting()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Upstreams:default:PdfMaxPages=1"]);

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(MessagesBody("fake-model", Pdf)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("messages.0.content.0: the PDF has 2 pages; at most 1 can be sent to this model as text", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_chat_completions_file_part_with_a_pdf_reaches_the_upstream_as_its_text()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("4217 euros."));

        using var response = await OpenAIChatClient.PostAsync(host, $$$"""
            {"model":"fake-model","messages":[{"role":"user","content":[
              {"type":"file","file":{"filename":"invoice.pdf","file_data":"data:application/pdf;base64,{{{Pdf}}}"}},
              {"type":"text","text":"What is the total?"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = UpstreamBody.Text(UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1]);
        Assert.StartsWith("Document: invoice.pdf (PDF, text extracted by page)\n\n--- Page 1 ---\nThe invoice total is 4217 euros\n--- Page 2 ---", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_responses_input_file_with_a_pdf_reaches_the_upstream_as_its_text()
    {
        await using var host = await SwitchboardHost.StartAsync();
        host.Upstream.Enqueue(ScriptedReply.Text("4217 euros."));

        using var response = await OpenAIResponses.ResponsesSdk.PostAsync(host, $$"""
            {"model":"fake-model","input":[{"role":"user","content":[
              {"type":"input_file","filename":"invoice.pdf","file_data":"data:application/pdf;base64,{{Pdf}}"},
              {"type":"input_text","text":"What is the total?"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = UpstreamBody.Text(UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1]);
        Assert.Contains("--- Page 2 ---\nPayment is due in March", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anthropic_upstream_without_the_switch_gets_the_text_and_with_it_the_pdf()
    {
        await using var plain = await AnthropicUpstreamHost.StartAsync();
        using var lowered = await plain.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", MessagesBody("claude-sonnet-4-5", Pdf)));

        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        var content = Assert.Single(plain.Upstream.MessagesRequests).Body.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text,text", string.Join(",", content.EnumerateArray().Select(b => b.GetProperty("type").GetString())));
        Assert.Equal(Expected, content[0].GetProperty("text").GetString());

        using var streamed = await plain.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", MessagesBody("claude-sonnet-4-5", Pdf).Replace("\"max_tokens\":64,", "\"max_tokens\":64,\"stream\":true,", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Contains("event: message_stop", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Expected, plain.Upstream.MessagesRequests[^1].Body.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());

        await using var allowing = await AnthropicUpstreamHost.StartAsync(null, "--Switchboard:Upstreams:default:AllowServerTools=true");
        using var passed = await allowing.Http.SendAsync(AnthropicUpstreamHost.Post("/v1/messages", MessagesBody("claude-sonnet-4-5", Pdf)));

        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        var document = Assert.Single(allowing.Upstream.MessagesRequests).Body.GetProperty("messages")[0].GetProperty("content")[0];
        Assert.Equal(("document", Pdf), (document.GetProperty("type").GetString(), document.GetProperty("source").GetProperty("data").GetString()));
    }
}
