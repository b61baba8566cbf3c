using Switchboard.Canonical;
using Switchboard.Egress.Documents;

namespace Switchboard.Egress;

/// <summary>
/// The per-target step that decides what becomes of the parts of a request Switchboard does not interpret (raw
/// blocks and tools, kept in the client's dialect). An upstream of that dialect takes them as sent, except the gated
/// ones (PDFs, Anthropic's server tools), which pass only where the upstream allows them. Any other upstream gets a
/// PDF's extracted text, refuses a request with another gated part, and passes an ungated block on as its text or
/// leaves it (or an ungated tool) out, logging each decision. The door worded the refusals and notes; this step only applies them.
/// </summary>
public static class RequestLowering
{
    /// <summary>True when the request holds a part only its own dialect can carry.</summary>
    public static bool HasRawParts(MessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RawTools.Count > 0)
        {
            return true;
        }

        foreach (var message in request.Messages)
        {
            foreach (var block in message.Content)
            {
                if (block is RawBlock || (block is ToolResultBlock result && result.Content.Any(static b => b is RawBlock)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// For an upstream that speaks <paramref name="dialect"/>: throws the first gated part's refusal unless
    /// <paramref name="allowGated"/>. Parts of another dialect are lowered as for <see cref="ForOtherDialect"/>.
    /// </summary>
    public static MessageRequest ForDialect(MessageRequest request, string dialect, bool allowGated, ICollection<string> notes, PdfLimits? pdf = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HasRawParts(request) ? Lower(request, dialect, allowGated, notes, pdf ?? PdfLimits.Default) : request;
    }

    /// <summary>
    /// For an upstream of another dialect: refusals thrown, blocks passed on as text or left out, tools left out,
    /// deferred tools offered once referenced (<see cref="DeferredTools"/>).
    /// </summary>
    public static MessageRequest ForOtherDialect(MessageRequest request, ICollection<string> notes, PdfLimits? pdf = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lowered = HasRawParts(request) ? Lower(request, null, allowGated: false, notes, pdf ?? PdfLimits.Default) : request;
        return DeferredTools.Offer(lowered, request);
    }

    private static MessageRequest Lower(MessageRequest request, string? dialect, bool allowGated, ICollection<string> notes, PdfLimits pdf)
    {
        // A turn left empty is skipped without ending the turn before it, so neighbours never share a role (as the
        // door's reader does for blocks it leaves out itself).
        var messages = new List<Message>(request.Messages.Count);
        var extracted = false;
        foreach (var message in request.Messages)
        {
            var content = LowerBlocks(message.Content, dialect, allowGated, notes, pdf, ref extracted);
            if (content.Count == 0)
            {
                continue;
            }

            if (messages.Count > 0 && messages[^1].Role == message.Role)
            {
                messages[^1] = messages[^1] with { Content = [.. messages[^1].Content, .. content] };
            }
            else
            {
                messages.Add(message with { Content = content });
            }
        }

        if (messages.Count == 0)
        {
            throw new ApiException(ApiErrorKind.InvalidRequest, "messages: at least one message must have content that can be passed to the model");
        }

        var tools = new List<RawTool>(request.RawTools.Count);
        foreach (var tool in request.RawTools)
        {
            if (tool.Dialect == dialect && (tool.Refusal is null || allowGated))
            {
                tools.Add(tool);
            }
            else if (tool.Refusal is { } refusal)
            {
                throw new ApiException(ApiErrorKind.InvalidRequest, refusal);
            }
            else
            {
                notes.Add(tool.Note);
            }
        }

        // A PDF replaced by its text: the client's bytes no longer say what is sent, so the request loses its source
        // (and is written from the canonical model).
        return extracted ? request with { Messages = messages, RawTools = tools, Source = null } : request with { Messages = messages, RawTools = tools };
    }

    private static List<ContentBlock> LowerBlocks(IReadOnlyList<ContentBlock> content, string? dialect, bool allowGated, ICollection<string> notes, PdfLimits pdf, ref bool extracted)
    {
        var lowered = new List<ContentBlock>(content.Count);
        foreach (var block in content)
        {
            switch (block)
            {
                case RawBlock raw when raw.Dialect == dialect && (raw.Refusal is null || allowGated):
                    lowered.Add(raw);
                    break;
                case RawBlock { Pdf: { } document }:
                    // Not readable by this upstream as a PDF: its text, page by page.
                    notes.Add($"{document.Location}: PDF document passed on as its extracted text");
                    lowered.Add(new TextBlock(PdfText.Extract(document, pdf.MaxPages, pdf.MaxChars)));
                    extracted = true;
                    break;
                case RawBlock { Refusal: { } refusal }:
                    throw new ApiException(ApiErrorKind.InvalidRequest, refusal);
                case RawBlock raw:
                    notes.Add(raw.Note);
                    if (raw.FallbackText is { } text)
                    {
                        lowered.Add(new TextBlock(text));
                    }

                    break;
                case ToolResultBlock result when result.Content.Any(static b => b is RawBlock):
                    lowered.Add(result with { Content = LowerBlocks(result.Content, dialect, allowGated, notes, pdf, ref extracted) });
                    break;
                default:
                    lowered.Add(block);
                    break;
            }
        }

        return lowered;
    }
}
