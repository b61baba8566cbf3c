using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Switchboard.Egress.Web;

/// <summary>
/// An HTML document's readable text, Markdown-like: headings as <c>#</c> lines, paragraphs and blocks on their own
/// lines, list items as <c>-</c> (or numbers), links as <c>[text](url)</c> with the URL made absolute, table rows as
/// cells joined by <c>|</c>, preformatted text kept; scripts, styles, navigation, forms, embedded frames and hidden
/// elements left out.
/// </summary>
internal static class HtmlReducer
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "nav",
        "button", "select", "input", "textarea", "head", "dialog", "map", "audio", "video",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "figure", "figcaption",
        "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "form", "fieldset", "address", "details",
        "summary", "hr", "center",
    };

    public static string Reduce(IDocument document, Uri baseUrl)
    {
        var writer = new Writer();
        if (document.Body is { } body)
        {
            Walk(body, writer, baseUrl);
        }

        return writer.ToString();
    }

    private static void Walk(INode node, Writer writer, Uri baseUrl)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    writer.Inline(text.Data);
                    break;
                case IElement element:
                    Element(element, writer, baseUrl);
                    break;
            }
        }
    }

    private static void Element(IElement element, Writer writer, Uri baseUrl)
    {
        var name = element.LocalName;
        if (Skipped.Contains(name) || element.HasAttribute("hidden")
            || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        switch (name)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                writer.Block();
                writer.Raw(new string('#', name[1] - '0') + " ");
                Walk(element, writer, baseUrl);
                writer.Block();
                return;
            case "br":
                writer.Line();
                return;
            case "li":
                writer.Line();
                var ordered = element.ParentElement is IHtmlOrderedListElement;
                writer.Raw(ordered ? $"{Index(element)}. " : "- ");
                Walk(element, writer, baseUrl);
                writer.Line();
                return;
            case "tr":
                writer.Line();
                var first = true;
                foreach (var cell in element.Children.Where(static c => c.LocalName is "td" or "th"))
                {
                    if (!first)
                    {
                        writer.Raw(" | ");
                    }

                    first = false;
                    Walk(cell, writer, baseUrl);
                }

                writer.Line();
                return;
            case "pre":
                writer.Block();
                writer.Raw("```\n" + element.TextContent.TrimEnd() + "\n```");
                writer.Block();
                return;
            case "a":
                Link(element, writer, baseUrl);
                return;
            case "img":
                if (element.GetAttribute("alt") is { Length: > 0 } alt && alt.Trim().Length > 0)
                {
                    writer.Inline($"[image: {alt.Trim()}]");
                }

                return;
        }

        var block = Blocks.Contains(name);
        if (block)
        {
            writer.Block();
        }

        Walk(element, writer, baseUrl);
        if (block)
        {
            writer.Block();
        }
    }

    private static void Link(IElement element, Writer writer, Uri baseUrl)
    {
        var text = Collapse(element.TextContent);
        var href = element.GetAttribute("href");
        if (text.Length == 0)
        {
            return;
        }

        if (href is { Length: > 0 } && Uri.TryCreate(baseUrl, href.Trim(), out var target)
            && (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps))
        {
            writer.Inline($"[{text}]({target.AbsoluteUri})");
        }
        else
        {
            writer.Inline(text);
        }
    }

    private static int Index(IElement item)
    {
        var index = 1;
        for (var sibling = item.PreviousElementSibling; sibling is not null; sibling = sibling.PreviousElementSibling)
        {
            if (sibling.LocalName == "li")
            {
                index++;
            }
        }

        return index;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Collapses whitespace in running text and keeps at most one blank line between blocks.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _newlines = 2;
        private bool _space;

        public void Inline(string text)
        {
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    _space = _newlines == 0;
                    continue;
                }

                if (_space)
                {
                    _text.Append(' ');
                    _space = false;
                }

                _text.Append(c);
                _newlines = 0;
            }
        }

        public void Raw(string text)
        {
            if (_space && _newlines == 0)
            {
                _text.Append(' ');
            }

            _space = false;
            _text.Append(text);
            _newlines = text.EndsWith('\n') ? 1 : 0;
        }

        public void Line() => Break(1);

        public void Block() => Break(2);

        private void Break(int count)
        {
            _space = false;
            while (_newlines < count)
            {
                _text.Append('\n');
                _newlines++;
            }
        }

        public override string ToString() => _text.ToString().Trim();
    }
}
