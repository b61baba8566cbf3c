using System.Text;

namespace Switchboard.Bench.FastUpstream;

/// <summary>
/// The Messages API answers (<c>/v1/messages</c>), built once at start like <see cref="CannedAnswers"/>: the same
/// text as one message, as a whole event stream, and as events for paced answers.
/// </summary>
internal sealed class CannedMessages
{
    private static readonly string[] Words =
    [
        " the", " function", " returns", " a", " value", " when", " called", " with", " an", " argument", " and",
        " file", " is", " read", " from", " disk", " so", " we", " check", " that", " path", " exists", " first", ".",
    ];

    public CannedMessages(UpstreamSettings settings)
    {
        var text = new StringBuilder();
        for (var i = 0; i < settings.Tokens; i++)
        {
            text.Append(Words[i % Words.Length]);
        }

        Message = Encoding.UTF8.GetBytes(
            "{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + CannedAnswers.Model + "\"," +
            "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null," +
            "\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + settings.Tokens + "}}");
        Start = Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" +
            CannedAnswers.Model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        Deltas = new byte[settings.Tokens][];
        for (var i = 0; i < settings.Tokens; i++)
        {
            Deltas[i] = Encoding.UTF8.GetBytes(
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + Words[i % Words.Length] + "\"}}\n\n");
        }

        Ending = Encoding.UTF8.GetBytes(
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + settings.Tokens + "}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        WholeStream = [.. Start, .. Deltas.SelectMany(d => d), .. Ending];
    }

    public byte[] Message { get; }

    /// <summary><c>message_start</c> and the text block's start.</summary>
    public byte[] Start { get; }

    public byte[][] Deltas { get; }

    /// <summary>The block's stop, <c>message_delta</c> and <c>message_stop</c>.</summary>
    public byte[] Ending { get; }

    public byte[] WholeStream { get; }
}
