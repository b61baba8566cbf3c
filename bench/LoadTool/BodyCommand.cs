using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Buffers;
using Switchboard.Configuration;
using Switchboard.Egress;
using Switchboard.Egress.OpenAIChat;
using Switchboard.Ingress.Anthropic;
using Switchboard.Routing;

namespace Switchboard.Bench.LoadTool;

/// <summary>
/// <c>body IN --stream true|false --anthropic OUT --chat OUT</c>: writes the request bodies a load run sends: the
/// Anthropic body compacted with <c>stream</c> set, and the Chat Completions body Switchboard itself would send
/// upstream for it (so going direct costs the upstream exactly what going through Switchboard does).
/// </summary>
internal static class BodyCommand
{
    public static int Run(string input, bool stream, string anthropicOut, string chatOut)
    {
        var node = JsonNode.Parse(File.ReadAllText(input), documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!.AsObject();
        node["stream"] = stream;
        var anthropic = JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        File.WriteAllBytes(anthropicOut, anthropic);

        using var document = JsonDocument.Parse(anthropic, new JsonDocumentOptions { MaxDepth = 256 });
        var request = MessagesRequestReader.Read(document.RootElement, new RequestReadNotes());
        using var http = new HttpClient();
        var upstream = new UpstreamEndpoint("default", new UpstreamOptions { BaseUrl = "http://127.0.0.1/v1" }, http);
        var route = new ModelRoute(request.Model, new ModelOptions { Name = "bench-model" }, upstream, "bench-model");
        using var chat = new BodyBuffer();
        ChatRequestWriter.Write(chat, request, route, stream);
        File.WriteAllBytes(chatOut, chat.WrittenSpan.ToArray());
        Console.WriteLine($"{Path.GetFileName(anthropicOut)}: {anthropic.Length} bytes; {Path.GetFileName(chatOut)}: {chat.Length} bytes");
        return 0;
    }
}
