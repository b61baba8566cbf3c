using static Switchboard.Tests.Ingress.OpenAIChat.ChatBodies;

namespace Switchboard.Tests.Ingress.OpenAIChat;

/// <summary>Every refusal is a 400 whose <c>param</c> names the field at fault, in OpenAI's wording and codes.</summary>
public sealed class ChatRequestRefusalTests
{
    [Theory]
    [InlineData("{'messages':[{'role':'user','content':'hi'}]}", "model", "missing_required_parameter", "Missing required parameter: 'model'.")]
    [InlineData("{'model':'m'}", "messages", "missing_required_parameter", "Missing required parameter: 'messages'.")]
    [InlineData("{'model':3,'messages':[{'role':'user','content':'hi'}]}", "model", "invalid_type", "Invalid type for 'model': expected a string, but got an integer instead.")]
    [InlineData("{'model':'','messages':[{'role':'user','content':'hi'}]}", "model", "empty_string", null)]
    [InlineData("{'model':'m','messages':{}}", "messages", "invalid_type", "Invalid type for 'messages': expected an array, but got an object instead.")]
    [InlineData("{'model':'m','messages':[]}", "messages", "empty_array", null)]
    [InlineData("{'model':'m','messages':['hi']}", "messages[0]", "invalid_type", "Invalid type for 'messages[0]': expected an object, but got a string instead.")]
    [InlineData("{'model':'m','messages':[{'content':'hi'}]}", "messages[0].role", "missing_required_parameter", null)]
    [InlineData("{'model':'m','messages':[{'role':'bot','content':'hi'}]}", "messages[0].role", "invalid_value",
        "Invalid value: 'bot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.")]
    [InlineData("{'model':'m','messages':[{'role':'user'}]}", "messages[0].content", "missing_required_parameter", null)]
    [InlineData("{'model':'m','messages':[{'role':'user','content':5}]}", "messages[0].content", "invalid_type",
        "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.")]
    [InlineData("[1]", null, "invalid_type", null)]
    public void Malformed_bodies_name_the_param(string body, string? param, string code, string? message)
    {
        var error = Rejection(body);

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
    }

    [Theory]
    [InlineData("[{'role':'user','content':[{'type':'text','text':'hi'},{'type':'input_audio','input_audio':{'data':'AAA=','format':'wav'}}]}]", "messages[0].content[1]", "audio input")]
    [InlineData("[{'role':'user','content':[{'type':'file','file':{'file_id':'file-abc'}}]}]", "messages[0].content[0]", "file inputs")]
    [InlineData("[{'role':'user','content':[{'type':'video','video':{}}]}]", "messages[0].content[0].type", "Invalid value: 'video'")]
    [InlineData("[{'role':'user','content':[{'text':'hi'}]}]", "messages[0].content[0].type", "Missing required parameter")]
    [InlineData("[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://x/y.png'}}]}]", "messages[0].content[0].image_url.url", "http(s) URL")]
    [InlineData("[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}]", "messages[0].content[0].image_url.url", "base64")]
    [InlineData("[{'role':'user','content':[{'type':'image_url','image_url':{}}]}]", "messages[0].content[0].image_url.url", "Missing required parameter")]
    [InlineData("[{'role':'system','content':[{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}]", "messages[0].content[0].type", "Supported values are: 'text'.")]
    [InlineData("[{'role':'user','content':'q'},{'role':'tool','tool_call_id':'call_x','content':'r'}]", "messages[1].role", "must be a response to a preceeding message with 'tool_calls'")]
    [InlineData("[{'role':'user','content':'q'},{'role':'tool','content':'r'}]", "messages[1].tool_call_id", "Missing required parameter")]
    [InlineData("[{'role':'user','content':'q'},{'role':'function','name':'f','content':'r'}]", "messages[1].role", "'function_call' of the same name")]
    [InlineData("[{'role':'user','content':'q'},{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{'name':'f','arguments':'[1]'}}]}]",
        "messages[1].tool_calls[0].function.arguments", "JSON object encoded as a string")]
    [InlineData("[{'role':'user','content':'q'},{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{'name':'f','arguments':{'a':1}}}]}]",
        "messages[1].tool_calls[0].function.arguments", "expected a string")]
    [InlineData("[{'role':'user','content':'q'},{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f','arguments':'{}'}}]}]",
        "messages[1].tool_calls[0].id", "Missing required parameter")]
    [InlineData("[{'role':'user','content':'q'},{'role':'assistant','tool_calls':[{'id':'c','type':'custom','custom':{'name':'patch','input':'x'}}]}]",
        "messages[1].tool_calls[0].type", "custom (freeform) tool calls")]
    [InlineData("[{'role':'user','content':'q'},{'role':'assistant','content':'a','reasoning_content':7}]", "messages[1].reasoning_content", "expected a string")]
    public void Bad_messages_name_the_part_at_fault(string messages, string param, string fragment)
    {
        var error = Rejection(With(messages));

        Assert.Equal(param, error.Param);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'temperature':2.5", "temperature", "decimal_above_max_value", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.")]
    [InlineData("'temperature':-0.1", "temperature", "decimal_below_min_value", null)]
    [InlineData("'temperature':'hot'", "temperature", "invalid_type", "Invalid type for 'temperature': expected a decimal, but got a string instead.")]
    [InlineData("'top_p':1.5", "top_p", "decimal_above_max_value", null)]
    [InlineData("'frequency_penalty':3", "frequency_penalty", "decimal_above_max_value", null)]
    [InlineData("'presence_penalty':-2.5", "presence_penalty", "decimal_below_min_value", null)]
    [InlineData("'max_tokens':0", "max_tokens", "integer_below_min_value", null)]
    [InlineData("'max_completion_tokens':1.5", "max_completion_tokens", "invalid_type", null)]
    [InlineData("'n':2", "n", "unsupported_value", "Invalid 'n': Switchboard returns one choice per request (n = 1); send separate requests for more completions.")]
    [InlineData("'n':0", "n", "integer_below_min_value", null)]
    [InlineData("'seed':'x'", "seed", "invalid_type", null)]
    [InlineData("'logit_bias':{'50256':-101}", "logit_bias.50256", "decimal_below_min_value", null)]
    [InlineData("'logit_bias':{'50256':'x'}", "logit_bias.50256", "invalid_type", null)]
    [InlineData("'logit_bias':[1]", "logit_bias", "invalid_type", null)]
    [InlineData("'top_logprobs':3", "top_logprobs", "invalid_value", null)]
    [InlineData("'logprobs':true,'top_logprobs':21", "top_logprobs", "integer_above_max_value", null)]
    [InlineData("'logprobs':'yes'", "logprobs", "invalid_type", null)]
    [InlineData("'stop':['a','b','c','d','e']", "stop", "array_above_max_length", null)]
    [InlineData("'stop':['a',1]", "stop[1]", "invalid_type", null)]
    [InlineData("'stop':5", "stop", "invalid_type", null)]
    [InlineData("'stream':'yes'", "stream", "invalid_type", null)]
    [InlineData("'stream':true,'stream_options':{'include_usage':'yes'}", "stream_options.include_usage", "invalid_type", null)]
    [InlineData("'reasoning_effort':'extreme'", "reasoning_effort", "invalid_value",
        "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', and 'max'.")]
    [InlineData("'response_format':{'type':'yaml'}", "response_format.type", "invalid_value", null)]
    [InlineData("'response_format':{'type':'json_schema'}", "response_format.json_schema", "missing_required_parameter", null)]
    [InlineData("'response_format':{'type':'json_schema','json_schema':{'schema':{}}}", "response_format.json_schema.name", "missing_required_parameter", null)]
    [InlineData("'response_format':{'type':'json_schema','json_schema':{'name':'a','schema':[]}}", "response_format.json_schema.schema", "invalid_type", null)]
    [InlineData("'response_format':'json'", "response_format", "invalid_type", null)]
    [InlineData("'audio':{'voice':'alloy','format':'wav'}", "audio", "unsupported_value", null)]
    [InlineData("'modalities':['text','audio']", "modalities[1]", "unsupported_value", null)]
    [InlineData("'web_search_options':{}", "web_search_options", "unsupported_value", null)]
    [InlineData("'user':5", "user", "invalid_type", null)]
    [InlineData("'top_k':-2", "top_k", "integer_below_min_value", null)]
    public void Bad_top_level_fields_are_named(string field, string param, string code, string? message)
    {
        var error = Rejection(With(extra: field));

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
    }

    private const string Tools = "'tools':[{'type':'function','function':{'name':'now'}}]";

    [Theory]
    [InlineData("'tools':{}", "tools", "invalid_type")]
    [InlineData("'tools':[{'function':{'name':'a'}}]", "tools[0].type", "missing_required_parameter")]
    [InlineData("'tools':[{'type':'function'}]", "tools[0].function", "missing_required_parameter")]
    [InlineData("'tools':[{'type':'function','function':{'description':'x'}}]", "tools[0].function.name", "missing_required_parameter")]
    [InlineData("'tools':[{'type':'function','function':{'name':''}}]", "tools[0].function.name", "empty_string")]
    [InlineData("'tools':[{'type':'function','function':{'name':'a','parameters':'{}'}}]", "tools[0].function.parameters", "invalid_type")]
    [InlineData("'tools':[{'type':'function','function':{'name':'a','strict':'yes'}}]", "tools[0].function.strict", "invalid_type")]
    [InlineData("'tools':[{'type':'custom','custom':{'name':'patch'}}]", "tools[0].type", "unsupported_value")]
    [InlineData("'tools':[{'type':'web_search'}]", "tools[0].type", "invalid_value")]
    [InlineData("'functions':[{'description':'x'}]", "functions[0].name", "missing_required_parameter")]
    [InlineData(Tools + ",'tool_choice':'any'", "tool_choice", "invalid_value")]
    [InlineData(Tools + ",'tool_choice':{'type':'function','function':{'name':'later'}}", "tool_choice.function.name", "invalid_value")]
    [InlineData(Tools + ",'tool_choice':{'type':'function'}", "tool_choice.function", "missing_required_parameter")]
    [InlineData(Tools + ",'tool_choice':{'type':'custom','custom':{'name':'now'}}", "tool_choice.type", "unsupported_value")]
    [InlineData(Tools + ",'tool_choice':{'type':'allowed_tools','allowed_tools':{'mode':'none','tools':[]}}", "tool_choice.allowed_tools.mode", "invalid_value")]
    [InlineData(Tools + ",'tool_choice':{'type':'allowed_tools','allowed_tools':{'mode':'auto','tools':[{'type':'function','function':{'name':'x'}}]}}",
        "tool_choice.allowed_tools.tools[0].function.name", "invalid_value")]
    [InlineData(Tools + ",'tool_choice':3", "tool_choice", "invalid_type")]
    [InlineData(Tools + ",'function_call':'required'", "function_call", "invalid_value")]
    [InlineData(Tools + ",'function_call':{'name':'gone'}", "function_call.name", "invalid_value")]
    [InlineData(Tools + ",'parallel_tool_calls':'no'", "parallel_tool_calls", "invalid_type")]
    public void Bad_tools_and_choices_are_named(string fields, string param, string code)
    {
        var error = Rejection(With(extra: fields));

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Refusal_messages_never_echo_long_client_values_in_full()
    {
        var longRole = new string('x', 500);

        var error = Rejection(With("[{'role':'" + longRole + "','content':'hi'}]"));

        Assert.True(error.Message.Length < 200, error.Message);
    }
}
