namespace Switchboard.Bench.FastUpstream;

/// <summary>
/// <c>POST /v1/messages</c> (an Anthropic-compatible server): drains the body, finds <c>"stream": true</c> the way
/// <see cref="ChatEndpoint"/> does, and answers from <see cref="CannedMessages"/>; <c>count_tokens</c> answers a
/// fixed count.
/// </summary>
internal sealed class MessagesEndpoint(UpstreamSettings settings, CannedMessages answers)
{
    private static readonly byte[] Count = "{\"input_tokens\":1000}"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var stream = await ChatEndpoint.ReadStreamFlagAsync(context.Request.BodyReader, context.RequestAborted);
        if (settings.DelayMs > 0)
        {
            await Task.Delay(settings.DelayMs, context.RequestAborted);
        }

        var response = context.Response;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = answers.Message.Length;
            await response.BodyWriter.WriteAsync(answers.Message, context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        if (settings.Rate <= 0)
        {
            await response.BodyWriter.WriteAsync(answers.WholeStream, context.RequestAborted);
            return;
        }

        await response.BodyWriter.WriteAsync(answers.Start, context.RequestAborted);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.Rate));
        foreach (var delta in answers.Deltas)
        {
            if (!await timer.WaitForNextTickAsync(context.RequestAborted))
            {
                return;
            }

            await response.BodyWriter.WriteAsync(delta, context.RequestAborted);
        }

        await response.BodyWriter.WriteAsync(answers.Ending, context.RequestAborted);
    }

    public async Task CountTokensAsync(HttpContext context)
    {
        await ChatEndpoint.ReadStreamFlagAsync(context.Request.BodyReader, context.RequestAborted);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Count.Length;
        await context.Response.BodyWriter.WriteAsync(Count, context.RequestAborted);
    }
}
