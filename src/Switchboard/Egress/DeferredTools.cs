using Switchboard.Canonical;

namespace Switchboard.Egress;

/// <summary>
/// Tool search for a model without it: a tool declared with <c>defer_loading</c> is offered only once a
/// <c>tool_reference</c> in the conversation names it, as Anthropic's API does. Loaded deferred tools follow all the
/// others, in the order the client declared them, so loading one only appends to the prompt's tool list and the
/// upstream's cached prefix stays valid.
/// </summary>
public static class DeferredTools
{
    /// <param name="request">The request to offer tools for.</param>
    /// <param name="conversation">The conversation to look for references in (before lowering turned them into text).</param>
    public static MessageRequest Offer(MessageRequest request, MessageRequest conversation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(conversation);
        if (!request.Tools.Any(static t => t.DeferLoading))
        {
            return request;
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in conversation.Messages)
        {
            foreach (var block in message.Content)
            {
                Collect(block, referenced);
                if (block is ToolResultBlock result)
                {
                    foreach (var inner in result.Content)
                    {
                        Collect(inner, referenced);
                    }
                }
            }
        }

        var tools = new List<ToolDefinition>(request.Tools.Count);
        tools.AddRange(request.Tools.Where(static t => !t.DeferLoading));
        tools.AddRange(request.Tools.Where(t => t.DeferLoading && referenced.Contains(t.Name)));
        return request with { Tools = tools };
    }

    private static void Collect(ContentBlock block, HashSet<string> into)
    {
        if (block is RawBlock { ToolReference: { } name })
        {
            into.Add(name);
        }
    }
}
