using System.Net;
using System.Text.Json;
using Switchboard.EndToEnd.Fixtures;
using Switchboard.FakeUpstream;
using Switchboard.Testing;

namespace Switchboard.EndToEnd.Documents;

/// <summary>
/// PDFs and images given by URL, fetched by Switchboard (under the outbound fetch rules) for an upstream that cannot
/// fetch them: a PDF's text reaches the model; an image is inlined where the upstream asks for it. A web server on
/// loopback stands in for the web; <c>localhost</c> is allow-listed where a fetch should succeed.
/// </summary>
public sealed class RemoteAttachmentTests : IAsyncLifetime
{
    private static readonly byte[] Pdf = TestPdf.Pages("The invoice total is 4217 euros", "Payment is due in March");

    // A 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static readonly string[] AllowLocalhost = ["--Switchboard:WebFetch:AllowedHosts:0=localhost"];

    private FakeWebServer _web = null!;

    public async Task InitializeAsync()
    {
        _web = await FakeWebServer.StartAsync();
        _web.Serve("/invoice.pdf", "application/pdf", Pdf);
        _web.Serve("/page.html", "text/html", "<html><body>not a pdf</body></html>");
        _web.Serve("/dot.png", "application/octet-stream", Png);
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    private static string PdfByUrl(Uri url) => $$$"""
        {"model":"fake-model","max_tokens":64,"messages":[{"role":"user","content":[
          {"type":"document","title":"Invoice 7","source":{"type":"url","url":"{{{url}}}"}},
          {"type":"text","text":"What is the total?"}]}]}
        """;

    private static string ImageByUrl(Uri url) => $$$"""
        {"model":"fake-model","max_tokens":64,"messages":[{"role":"user","content":[
          {"type":"image","source":{"type":"url","url":"{{{url}}}"}},
          {"type":"text","text":"What is in it?"}]}]}
        """;

    private static async Task<(HttpStatusCode Status, string Type, string Message)> ErrorOf(HttpResponseMessage response)
    {
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        return (response.StatusCode, error.GetProperty("type").GetString()!, error.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task A_pdf_given_by_url_reaches_an_openai_compatible_upstream_as_its_text()
    {
        await using var host = await SwitchboardHost.StartAsync(args: AllowLocalhost);
        host.Upstream.Enqueue(ScriptedReply.Text("4217 euros."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/invoice.pdf"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = UpstreamBody.Text(UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1]);
        Assert.Equal(
            "Document: Invoice 7 (PDF, text extracted by page)\n\n--- Page 1 ---\nThe invoice total is 4217 euros\n--- Page 2 ---\nPayment is due in March\nWhat is the total?",
            text);
        Assert.Equal(1, _web.Count("/invoice.pdf"));
    }

    [Fact]
    public async Task A_pdf_is_fetched_once_per_request_although_the_request_fails_over_to_a_second_replica()
    {
        await using var host = await Pools.PoolHost.StartAsync(2, priorities: [0, 1], args: AllowLocalhost);
        host.Replicas[0].Enqueue(new ScriptedReply { Error = new ScriptedError { Status = 503, Body = """{"error":{"message":"Service Unavailable","type":"server_error"}}""" } });

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/invoice.pdf")).Replace("fake-model", Pools.PoolHost.Model, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1], host.ReplicasThatSaw("The invoice total is 4217 euros"));
        Assert.Equal(1, _web.Count("/invoice.pdf"));
    }

    [Fact]
    public async Task A_pdf_url_on_a_private_address_is_refused_with_a_400_and_never_fetched()
    {
        await using var host = await SwitchboardHost.StartAsync();

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/invoice.pdf"))));

        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the PDF could not be fetched from its URL: the host 'localhost' has a private, loopback, link-local or reserved address, which Switchboard does not fetch from"),
            await ErrorOf(response));
        Assert.Empty(_web.Hits);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_redirect_to_cloud_metadata_is_refused()
    {
        _web.Redirect("/moved.pdf", "http://169.254.169.254/latest/meta-data/");
        await using var host = await SwitchboardHost.StartAsync(args: AllowLocalhost);

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/moved.pdf"))));
        var (status, _, message) = await ErrorOf(response);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("the host '169.254.169.254' has a private, loopback, link-local or reserved address", message, StringComparison.Ordinal);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_url_that_is_not_a_pdf_or_not_found_is_a_400_naming_the_reason()
    {
        await using var host = await SwitchboardHost.StartAsync(args: AllowLocalhost);

        using var html = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/page.html"))));
        using var missing = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/gone.pdf"))));

        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the PDF could not be fetched from its URL: the URL gave 'text/html', not a PDF"),
            await ErrorOf(html));
        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the PDF could not be fetched from its URL: the server answered HTTP 404"),
            await ErrorOf(missing));
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_pdf_larger_than_the_fetch_limit_is_refused()
    {
        await using var host = await SwitchboardHost.StartAsync(args: [.. AllowLocalhost, "--Switchboard:WebFetch:MaxBytes=1024"]);

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(PdfByUrl(_web.Url("/invoice.pdf"))));

        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the PDF could not be fetched from its URL: the body is larger than 1024 bytes, the most fetched"),
            await ErrorOf(response));
    }

    [Fact]
    public async Task A_responses_input_file_with_a_file_url_reaches_the_upstream_as_its_text()
    {
        await using var host = await SwitchboardHost.StartAsync(args: AllowLocalhost);
        host.Upstream.Enqueue(ScriptedReply.Text("4217 euros."));

        using var response = await OpenAIResponses.ResponsesSdk.PostAsync(host, $$"""
            {"model":"fake-model","input":[{"role":"user","content":[
              {"type":"input_file","filename":"invoice.pdf","file_url":"{{_web.Url("/invoice.pdf")}}"},
              {"type":"input_text","text":"What is the total?"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = UpstreamBody.Text(UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1]);
        Assert.StartsWith("Document: invoice.pdf (PDF, text extracted by page)\n\n--- Page 1 ---\nThe invoice total is 4217 euros", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_url_is_inlined_as_base64_for_an_upstream_with_InlineImageUrls()
    {
        await using var host = await SwitchboardHost.StartAsync(args: [.. AllowLocalhost, "--Switchboard:Upstreams:default:InlineImageUrls=true"]);
        host.Upstream.Enqueue(ScriptedReply.Text("A dot."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(ImageByUrl(_web.Url("/dot.png"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1].GetProperty("content");
        var image = content.EnumerateArray().Single(part => part.GetProperty("type").GetString() == "image_url");
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), image.GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal(1, _web.Count("/dot.png"));
    }

    [Fact]
    public async Task An_image_url_is_passed_on_as_it_is_by_default()
    {
        await using var host = await SwitchboardHost.StartAsync(args: AllowLocalhost);
        host.Upstream.Enqueue(ScriptedReply.Text("A dot."));

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(ImageByUrl(_web.Url("/dot.png"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var content = UpstreamBody.Messages(Assert.Single(host.Upstream.Requests).Body)[^1].GetProperty("content");
        var image = content.EnumerateArray().Single(part => part.GetProperty("type").GetString() == "image_url");
        Assert.Equal(_web.Url("/dot.png").ToString(), image.GetProperty("image_url").GetProperty("url").GetString());
        Assert.Empty(_web.Hits);
    }

    [Fact]
    public async Task An_image_url_to_a_private_address_or_not_an_image_is_refused_when_inlining()
    {
        await using var host = await SwitchboardHost.StartAsync(args: ["--Switchboard:Upstreams:default:InlineImageUrls=true"]);

        using var loopback = await host.Http.PostAsync("/v1/messages", RawRequests.Json(ImageByUrl(_web.Url("/dot.png", "127.0.0.1"))));

        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the image could not be fetched from its URL: the host '127.0.0.1' has a private, loopback, link-local or reserved address, which Switchboard does not fetch from"),
            await ErrorOf(loopback));
        Assert.Empty(_web.Hits);
        Assert.Empty(host.Upstream.Requests);
    }

    [Fact]
    public async Task A_fetched_file_that_is_not_an_image_is_refused_when_inlining()
    {
        await using var host = await SwitchboardHost.StartAsync(args: [.. AllowLocalhost, "--Switchboard:Upstreams:default:InlineImageUrls=true"]);

        using var response = await host.Http.PostAsync("/v1/messages", RawRequests.Json(ImageByUrl(_web.Url("/page.html"))));

        Assert.Equal(
            (HttpStatusCode.BadRequest, "invalid_request_error", "messages.0.content.0: the image could not be fetched from its URL: the URL gave 'text/html', not a PNG, JPEG, GIF or WebP image"),
            await ErrorOf(response));
        Assert.Empty(host.Upstream.Requests);
    }
}
