using System.Text.Json;
using Switchboard.Canonical;
using Switchboard.Pipeline;
using static Switchboard.Tests.Ingress.OpenAIResponses.ResponsesBodies;

namespace Switchboard.Tests.Ingress.OpenAIResponses;

public sealed class ResponsesRequestReaderTests
{
    [Fact]
    public void A_string_input_is_one_user_message_and_instructions_lead_the_system_prompt()
    {
        var request = Request(With("'Hi'", "'instructions':'Be brief.'"));

        Assert.Equal("Be brief.", request.System);
        var message = Assert.Single(request.Messages);
        Assert.Equal(Role.User, message.Role);
        Assert.Equal("Hi", Assert.IsType<TextBlock>(Assert.Single(message.Content)).Text);
        Assert.Null(request.MaxTokens);
    }

    [Fact]
    public void Leading_developer_and_system_messages_join_the_system_prompt_and_later_ones_are_inline_system_turns()
    {
        var request = Request(With("""
            [{'type':'message','id':'msg_x','role':'developer','content':[{'type':'input_text','text':'Rules.'}]},
             {'role':'system','content':'More rules.'},
             {'role':'user','content':'Hi'},
             {'role':'developer','content':'Reminder.'}]
            """, "'instructions':'First.'"));

        Assert.Equal("First.\n\nRules.\n\nMore rules.", request.System);
        Assert.Equal([Role.User, Role.System], request.Messages.Select(m => m.Role));
        Assert.Equal("Reminder.", Assert.IsType<TextBlock>(request.Messages[1].Content[0]).Text);
    }

    [Fact]
    public void Assistant_history_output_text_and_refusal_are_assistant_text()
    {
        var request = Request(With("""
            [{'role':'user','content':'Hi'},
             {'type':'message','id':'msg_1','status':'completed','role':'assistant','content':[{'type':'output_text','text':'Hello','annotations':[]},{'type':'refusal','refusal':'No.'}]}]
            """));

        var assistant = request.Messages[1];
        Assert.Equal(Role.Assistant, assistant.Role);
        Assert.Equal(["Hello", "No."], assistant.Content.Cast<TextBlock>().Select(t => t.Text));
    }

    [Fact]
    public void Images_by_url_and_data_uri_are_canonical_images()
    {
        var request = Request(With("""
            [{'role':'user','content':[{'type':'input_image','image_url':'https://example.com/a.png','detail':'high'},
                                       {'type':'input_image','image_url':'data:image/png;base64,iVBOR'}]}]
            """));

        var blocks = request.Messages[0].Content.Cast<ImageBlock>().ToList();
        Assert.Equal("https://example.com/a.png", blocks[0].Url);
        Assert.Equal(("image/png", "iVBOR"), (blocks[1].MediaType, blocks[1].Base64Data));
    }

    [Fact]
    public void An_inline_text_file_is_its_text_a_pdf_a_document_block_and_a_file_id_is_refused_naming_the_part()
    {
        var text = Convert.ToBase64String("line one"u8.ToArray());
        var request = Request(With($"[{{'role':'user','content':[{{'type':'input_file','filename':'notes.txt','file_data':'data:text/plain;base64,{text}'}},{{'type':'input_file','filename':'a.pdf','file_data':'data:application/pdf;base64,JVBERi0='}}]}}]"));
        var error = Rejection(With("[{'role':'user','content':[{'type':'input_text','text':'Read'},{'type':'input_file','file_id':'file-1'}]}]"));

        Assert.Contains("line one", Assert.IsType<TextBlock>(request.Messages[0].Content[0]).Text, StringComparison.Ordinal);
        var pdf = Assert.IsType<RawBlock>(request.Messages[0].Content[1]).Pdf!;
        Assert.Equal(("JVBERi0=", "a.pdf", "input[0].content[1]"), (pdf.Base64Data, pdf.Title, pdf.Location));
        Assert.Equal("input[0].content[1]", error.Param);
        Assert.Contains("input_file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parallel_calls_and_their_outputs_group_into_one_assistant_and_one_user_turn()
    {
        var request = Request(With("""
            [{'role':'user','content':'Go'},
             {'type':'function_call','id':'fc_1','call_id':'call_a','name':'read','arguments':'{\"p\":1}','status':'completed'},
             {'type':'function_call','id':'fc_2','call_id':'call_b','name':'close_agent','namespace':'multi_agent_v1','arguments':''},
             {'type':'function_call_output','call_id':'call_a','output':'one'},
             {'type':'function_call_output','call_id':'call_b','output':[{'type':'input_text','text':'two'},{'type':'input_image','image_url':'data:image/png;base64,AAAA'}]}]
            """));

        Assert.Equal([Role.User, Role.Assistant, Role.User], request.Messages.Select(m => m.Role));
        var calls = request.Messages[1].Content.Cast<ToolUseBlock>().ToList();
        Assert.Equal(("call_a", "read", "{\"p\":1}"), (calls[0].Id, calls[0].Name, calls[0].InputJson));
        Assert.Equal(("call_b", "multi_agent_v1__close_agent", "{}"), (calls[1].Id, calls[1].Name, calls[1].InputJson));
        var results = request.Messages[2].Content.Cast<ToolResultBlock>().ToList();
        Assert.Equal(["call_a", "call_b"], results.Select(r => r.ToolUseId));
        Assert.IsType<ImageBlock>(results[1].Content[1]);
    }

    [Fact]
    public void A_custom_tool_call_is_the_canonical_call_with_its_text_under_input()
    {
        var request = Request(With("""
            [{'role':'user','content':'Patch'},
             {'type':'custom_tool_call','id':'ctc_1','call_id':'call_1','name':'apply_patch','input':'*** Begin Patch\n\"x\"'},
             {'type':'custom_tool_call_output','call_id':'call_1','output':'ok'}]
            """));

        var call = Assert.IsType<ToolUseBlock>(request.Messages[1].Content[0]);
        Assert.Equal("*** Begin Patch\n\"x\"", JsonDocument.Parse(call.InputJson).RootElement.GetProperty("input").GetString());
        Assert.Equal("call_1", Assert.IsType<ToolResultBlock>(request.Messages[2].Content[0]).ToolUseId);
    }

    [Fact]
    public void A_sealed_reasoning_item_is_signed_thinking_the_replay_filter_keeps()
    {
        var blob = Seal.Seal("I should greet.");
        var request = Request(With($$"""
            [{'role':'user','content':'Hi'},
             {'type':'reasoning','id':'rs_1','summary':[{'type':'summary_text','text':'shown'}],'content':null,'encrypted_content':'{{blob}}'},
             {'role':'assistant','content':'Hello'}]
            """));

        var thinking = Assert.IsType<ThinkingBlock>(request.Messages[1].Content[0]);
        Assert.Equal("I should greet.", thinking.Thinking);
        Assert.False(thinking.Unsigned);
        Assert.True(ThinkingSignature.Verify(Key, thinking.Thinking, thinking.Signature));
        Assert.Same(request.Messages, ThinkingReplay.KeepOwn(request.Messages, Key, out var dropped));
        Assert.Equal(0, dropped);
    }

    [Fact]
    public void A_foreign_or_edited_blob_is_left_out_with_a_note_and_no_blob_is_the_clients_unsigned_text()
    {
        var edited = Seal.Seal("Thought.")[..^2] + "AA";
        var notes = new List<string>();
        var request = Request(With($$"""
            [{'role':'user','content':'Hi'},
             {'type':'reasoning','id':'rs_1','summary':[],'encrypted_content':'gAAAA-opaque'},
             {'type':'reasoning','id':'rs_2','summary':[],'encrypted_content':'{{edited}}'},
             {'type':'reasoning','id':'rs_3','summary':[{'type':'summary_text','text':'Summary.'}],'encrypted_content':null},
             {'type':'reasoning','id':'rs_4','summary':[{'type':'summary_text','text':'S'}],'content':[{'type':'reasoning_text','text':'Raw.'}]},
             {'role':'assistant','content':'Hello'}]
            """), notes);

        var thinking = request.Messages[1].Content.OfType<ThinkingBlock>().ToList();
        Assert.Equal(["Summary.", "Raw."], thinking.Select(t => t.Thinking));
        Assert.All(thinking, t => Assert.True(t.Unsigned));
        Assert.Equal(2, notes.Count(n => n.Contains("encrypted_content", StringComparison.Ordinal)));
    }

    [Fact]
    public void Tools_function_custom_namespace_and_hosted()
    {
        var notes = new List<string>();
        var (request, info) = Read(With("'Hi'", """
            'tools':[{'type':'function','name':'exec_command','strict':true,'parameters':{'type':'object','properties':{'cmd':{'type':'string'}}}},
                     {'type':'custom','name':'apply_patch','description':'Patch files.','format':{'type':'grammar','syntax':'lark','definition':'start: /.+/'}},
                     {'type':'namespace','name':'functions','description':'','tools':[{'type':'custom','name':'exec'},{'type':'function','name':'wait'}]},
                     {'type':'web_search','external_web_access':false},{'type':'file_search','vector_store_ids':[]}]
            """), notes);

        Assert.Equal(["exec_command", "apply_patch", "functions__exec", "functions__wait"], request.Tools.Select(t => t.Name));
        Assert.True(request.Tools[0].Strict);
        Assert.True(request.Tools[1].Freeform);
        Assert.Equal("string", request.Tools[1].InputSchema.GetProperty("properties").GetProperty("input").GetProperty("type").GetString());
        Assert.StartsWith("Patch files.", request.Tools[1].Description, StringComparison.Ordinal);
        Assert.Equal(("functions", "exec", true), (request.Tools[2].Group, request.Tools[2].ClientName, request.Tools[2].Freeform));
        Assert.Equal(("functions", "wait", false), (request.Tools[3].Group, request.Tools[3].ClientName, request.Tools[3].Freeform));
        Assert.Equal(2, notes.Count(n => n.Contains("hosted tool", StringComparison.Ordinal)));
        Assert.Equal(new("exec", "functions", true), info.ToolFor("functions__exec"));
        Assert.Equal(new("apply_patch", null, true), info.ToolFor("apply_patch"));
        Assert.Equal(new("exec_command", null, false), info.ToolFor("exec_command"));
    }

    [Fact]
    public void Codex_additional_tools_join_the_tool_list()
    {
        var request = Request(With("""
            [{'type':'additional_tools','id':'at_1','role':'developer','tools':[{'type':'namespace','name':'collaboration','description':'','tools':[{'type':'function','name':'spawn_agent'}]}]},
             {'role':'user','content':'Hi'}]
            """));

        Assert.Equal("collaboration__spawn_agent", Assert.Single(request.Tools).Name);
        Assert.Single(request.Messages);
    }

    [Fact]
    public void A_namespace_member_whose_flat_name_is_taken_by_another_tool_is_refused_naming_both()
    {
        var error = Assert.Throws<ApiException>(() => Request(With("'Hi'", """
            'tools':[{'type':'function','name':'agents__close'},
                     {'type':'namespace','name':'agents','description':'','tools':[{'type':'function','name':'close'}]}]
            """))).Error;

        Assert.Equal(("tools[1].tools[0].name", ApiErrorKind.InvalidRequest), (error.Param, error.Kind));
        Assert.Contains("'agents__close'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'tools[0]'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_tool_offered_twice_is_offered_once_and_two_different_ones_under_one_name_are_refused()
    {
        var request = Request(With("""
            [{'type':'additional_tools','id':'at_1','role':'developer','tools':[{'type':'function','name':'read','description':'Read.'}]},
             {'role':'user','content':'Hi'}]
            """, "'tools':[{'type':'function','name':'read','description':'Read.'}]"));
        Assert.Equal("read", Assert.Single(request.Tools).Name);

        var error = Assert.Throws<ApiException>(() => Request(With("'Hi'",
            "'tools':[{'type':'function','name':'read','description':'Read.'},{'type':'custom','name':'read'}]"))).Error;
        Assert.Equal("tools[1].name", error.Param);
        Assert.StartsWith("Duplicate tool name 'read'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'auto'", ToolChoiceKind.Auto, null)]
    [InlineData("'required'", ToolChoiceKind.Any, null)]
    [InlineData("'none'", ToolChoiceKind.None, null)]
    [InlineData("{'type':'function','name':'read'}", ToolChoiceKind.Tool, "read")]
    [InlineData("{'type':'function','name':'close_agent'}", ToolChoiceKind.Tool, "agents__close_agent")]
    [InlineData("{'type':'custom','name':'close_agent','namespace':'agents'}", ToolChoiceKind.Tool, "agents__close_agent")]
    public void Tool_choice_names_resolve_to_canonical_tools(string choice, ToolChoiceKind kind, string? name)
    {
        var request = Request(With("'Hi'", $$"""
            'tools':[{'type':'function','name':'read'},{'type':'namespace','name':'agents','description':'','tools':[{'type':'function','name':'close_agent'}]}],
            'tool_choice':{{choice}},'parallel_tool_calls':false
            """));

        Assert.Equal(new ToolChoice(kind, name, DisableParallelToolUse: true), request.ToolChoice);
    }

    [Fact]
    public void Allowed_tools_narrow_the_tool_list()
    {
        var request = Request(With("'Hi'", """
            'tools':[{'type':'function','name':'read'},{'type':'function','name':'write'}],
            'tool_choice':{'type':'allowed_tools','mode':'required','tools':[{'type':'function','name':'write'}]}
            """));

        Assert.Equal("write", Assert.Single(request.Tools).Name);
        Assert.Equal(ToolChoiceKind.Any, request.ToolChoice!.Kind);
    }

    [Fact]
    public void Generation_fields_text_format_and_reasoning_effort()
    {
        var (request, info) = Read(With("'Hi'", """
            'max_output_tokens':400,'temperature':0.2,'top_p':0.9,'user':'u1','stream':true,'store':false,
            'include':['reasoning.encrypted_content'],'reasoning':{'effort':'high','summary':'auto'},
            'text':{'format':{'type':'json_schema','name':'x','strict':true,'schema':{'type':'object'}},'verbosity':'low'},
            'metadata':{'k':'v'},'prompt_cache_key':'s1','truncation':'disabled','client_metadata':{'a':'b'}
            """));

        Assert.Equal((400, 0.2, 0.9, "u1", true), (request.MaxTokens, request.Temperature, request.TopP, request.UserId, request.Stream));
        Assert.Equal("high", request.Effort);
        Assert.Equal(ResponseFormatKind.JsonSchema, request.ResponseFormat!.Kind);
        Assert.Equal(("x", true), (request.ResponseFormat.Name, request.ResponseFormat.Strict));
        Assert.False(info.Store);
        Assert.True(info.IncludeEncryptedReasoning);
        Assert.True(info.ReasoningAsSummary);
        Assert.Equal("s1", info.PromptCacheKey);
        Assert.Empty(request.PassThrough);
    }

    [Theory]
    [InlineData("none", ThinkingMode.Disabled, null)]
    [InlineData("minimal", null, "low")]
    [InlineData("medium", null, "medium")]
    public void Reasoning_effort_maps_as_chat_reasoning_effort_does(string effort, ThinkingMode? mode, string? canonical)
    {
        var request = Request(With("'Hi'", $"'reasoning':{{'effort':'{effort}'}}"));

        Assert.Equal(mode, request.Thinking?.Mode);
        Assert.Equal(canonical, request.Effort);
    }

    [Theory]
    [InlineData("'input':42", "input")]
    [InlineData("'input':'Hi','max_output_tokens':15", "max_output_tokens")]
    [InlineData("'input':'Hi','background':true", "background")]
    [InlineData("'input':'Hi','conversation':'conv_1'", "conversation")]
    [InlineData("'input':[{'type':'item_reference','id':'msg_1'}]", "input[0]")]
    [InlineData("'input':[{'role':'tool','content':'x'}]", "input[0].role")]
    [InlineData("'input':[{'role':'user','content':[{'type':'input_image','file_id':'file_1'}]}]", "input[0].content[0].file_id")]
    [InlineData("'input':[{'type':'function_call','call_id':'c','name':'f','arguments':'[1]'}]", "input[0].arguments")]
    [InlineData("'input':'Hi','tools':[{'type':'function'}]", "tools[0].name")]
    [InlineData("'input':'Hi','tool_choice':{'type':'function','name':'nope'}", "tool_choice.name")]
    [InlineData("'input':'Hi','text':{'format':{'type':'yaml'}}", "text.format.type")]
    [InlineData("'input':'Hi','reasoning':{'effort':'huge'}", "reasoning.effort")]
    public void Bad_fields_are_refused_naming_them(string fields, string param)
    {
        var error = Rejection("{'model':'m'," + fields + "}");

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Items_carried_over_from_a_stored_response_come_before_the_request_input()
    {
        var previous = Parse("[{'role':'user','content':'I am Ada.'},{'type':'message','role':'assistant','content':[{'type':'output_text','text':'Hi Ada.'}]}]")
            .EnumerateArray().ToList();

        var (request, _) = Read(With("'Name?'", "'previous_response_id':'resp_1'"), previous: previous);

        Assert.Equal([Role.User, Role.Assistant, Role.User], request.Messages.Select(m => m.Role));
        Assert.Equal("Name?", Assert.IsType<TextBlock>(request.Messages[2].Content[0]).Text);
    }

    [Fact]
    public void An_item_reference_names_an_item_of_the_stored_conversation()
    {
        var previous = Parse("[{'type':'message','id':'msg_u','role':'user','content':'I am Ada.'},{'type':'message','id':'msg_a','role':'assistant','content':[{'type':'output_text','text':'Hi Ada.'}]}]")
            .EnumerateArray().ToList();

        var (request, _) = Read(With("[{'type':'item_reference','id':'msg_u'}]", "'previous_response_id':'resp_1'"), previous: previous);
        var error = Assert.Throws<ApiException>(() => Read(With("[{'type':'item_reference','id':'msg_nope'}]"), previous: previous)).Error;

        Assert.Equal([Role.User, Role.Assistant, Role.User], request.Messages.Select(m => m.Role));
        Assert.Equal("I am Ada.", Assert.IsType<TextBlock>(request.Messages[2].Content[0]).Text);
        Assert.Equal("input[0]", error.Param);
    }

    [Fact]
    public void A_count_reads_the_prompt_without_generation_fields()
    {
        var (request, _) = Read("{'model':'m','input':'Hi','max_output_tokens':1}", countOnly: true);

        Assert.Single(request.Messages);
    }
}
