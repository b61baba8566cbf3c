using System.Text.Json;
using Switchboard.Canonical;
using static Switchboard.Ingress.OpenAIFields;

namespace Switchboard.Ingress.OpenAIChat;

/// <summary>
/// <c>response_format</c>: <c>text</c> (the default, nothing to constrain), <c>json_object</c>, or
/// <c>json_schema</c> with its name, description, schema and strictness, passed to model servers that enforce it.
/// </summary>
internal static class ChatResponseFormatReader
{
    public static ResponseFormat? Read(JsonElement root)
    {
        if (!TryGetObject(root, "response_format", OpenAIPath.Body, out var format))
        {
            return null;
        }

        var at = OpenAIPath.Root("response_format");
        var type = ChatContentReader.RequiredType(format, at);
        if (type.ValueEquals("text"u8))
        {
            return null;
        }

        if (type.ValueEquals("json_object"u8))
        {
            return new ResponseFormat(ResponseFormatKind.JsonObject);
        }

        if (!type.ValueEquals("json_schema"u8))
        {
            throw BadValue(at.Name("type"), type, "'text', 'json_object', and 'json_schema'");
        }

        var schema = Required(format, "json_schema", at);
        var schemaAt = at.Child("json_schema");
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(at.Name("json_schema"), "an object", schema);
        }

        return new ResponseFormat(ResponseFormatKind.JsonSchema)
        {
            Name = RequiredString(schema, "name", schemaAt),
            Description = OptionalString(schema, "description", schemaAt),
            Schema = TryGetObject(schema, "schema", schemaAt, out var value) ? value : null,
            Strict = OptionalBool(schema, "strict", schemaAt),
        };
    }
}
