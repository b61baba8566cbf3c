using System.Reflection;
using NetArchTest.Rules;
using Switchboard.Hosting;

namespace Switchboard.Tests.Architecture;

/// <summary>
/// The dependency rules of docs/ARCHITECTURE.md, checked on the compiled code (every type reference in signatures
/// and method bodies): requests flow Ingress → Pipeline → Egress, and each direction knows only its own dialect.
/// </summary>
public sealed class DependencyRulesTests
{
    private static readonly Assembly Product = typeof(SwitchboardApp).Assembly;

    private static readonly string[] Ingresses = ["Switchboard.Ingress.Anthropic", "Switchboard.Ingress.OpenAIChat", "Switchboard.Ingress.OpenAIResponses"];

    [Fact]
    public void Canonical_depends_on_nothing_of_Switchboard()
    {
        var others = Product.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Switchboard.", StringComparison.Ordinal) && !n.StartsWith("Switchboard.Canonical", StringComparison.Ordinal))
            .Distinct().ToArray();
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Canonical").Should().NotHaveDependencyOnAny(others));
    }

    [Fact]
    public void No_ingress_references_an_egress()
    {
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Ingress").Should().NotHaveDependencyOnAny("Switchboard.Egress"));
    }

    [Fact]
    public void No_ingress_references_another_ingress()
    {
        foreach (var ingress in Ingresses)
        {
            var others = Ingresses.Where(i => i != ingress).ToArray();
            AssertHolds(Types.InAssembly(Product).That().ResideInNamespace(ingress).Should().NotHaveDependencyOnAny(others));
        }
    }

    [Fact]
    public void No_egress_references_an_ingress()
    {
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Egress").Should().NotHaveDependencyOnAny("Switchboard.Ingress"));
    }

    [Fact]
    public void Requests_flow_one_way_the_pipeline_knows_no_door_and_the_egress_no_pipeline()
    {
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Pipeline").Should().NotHaveDependencyOnAny("Switchboard.Ingress"));
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Egress").Should().NotHaveDependencyOnAny("Switchboard.Pipeline"));
    }

    [Fact]
    public void Tenancy_wraps_the_pipeline_and_knows_no_door_no_upstream_and_no_database()
    {
        // The pipeline sees a caller, an admission lease and settlements through its own interfaces.
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Pipeline")
            .Should().NotHaveDependencyOnAny("Switchboard.Tenancy", "Switchboard.Storage"));
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Tenancy")
            .Should().NotHaveDependencyOnAny("Switchboard.Egress", "Switchboard.Storage", "Npgsql", "Microsoft.Data.Sqlite", "StackExchange.Redis"));
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Storage")
            .Should().NotHaveDependencyOnAny("Switchboard.Ingress", "Switchboard.Egress", "Switchboard.Pipeline"));
    }

    [Fact]
    public void The_dashboard_reads_through_Tenancy_Routing_and_the_settle_stage_only()
    {
        // It shows what the admin API, the health view and the request records say; it speaks no wire dialect and
        // opens no database.
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Dashboard")
            .Should().NotHaveDependencyOnAny("Switchboard.Ingress", "Switchboard.Egress", "Switchboard.Storage", "Npgsql", "Microsoft.Data.Sqlite", "StackExchange.Redis"));
        AssertHolds(Types.InAssembly(Product).That().DoNotResideInNamespace("Switchboard.Dashboard").And().DoNotResideInNamespace("Switchboard.Hosting")
            .Should().NotHaveDependencyOnAny("Switchboard.Dashboard"));
    }

    [Fact]
    public void Batches_run_requests_through_the_pipeline_and_only_Hosting_knows_them()
    {
        // The batch runner uses the pipeline and the Anthropic door like an endpoint, and its store through a port.
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.Batches")
            .Should().NotHaveDependencyOnAny("Switchboard.Egress", "Switchboard.Storage", "Npgsql", "Microsoft.Data.Sqlite", "StackExchange.Redis"));
        AssertHolds(Types.InAssembly(Product).That().DoNotResideInNamespace("Switchboard.Batches")
            .And().DoNotResideInNamespace("Switchboard.Hosting").Should().NotHaveDependencyOnAny("Switchboard.Batches"));
    }

    [Fact]
    public void Server_tools_run_behind_a_pipeline_interface_and_only_Hosting_knows_them()
    {
        // The loop sends through the pipeline's send stage and reads answers through the egress contract; it speaks
        // no door's dialect beyond the tool declarations it runs, and keeps nothing in the store.
        AssertHolds(Types.InAssembly(Product).That().ResideInNamespace("Switchboard.ServerTools")
            .Should().NotHaveDependencyOnAny("Switchboard.Ingress", "Switchboard.Tenancy", "Switchboard.Storage", "Switchboard.Batches", "Npgsql", "Microsoft.Data.Sqlite", "StackExchange.Redis"));
        AssertHolds(Types.InAssembly(Product).That().DoNotResideInNamespace("Switchboard.ServerTools")
            .And().DoNotResideInNamespace("Switchboard.Hosting").Should().NotHaveDependencyOnAny("Switchboard.ServerTools"));
    }

    [Fact]
    public void Only_Hosting_references_Hosting()
    {
        AssertHolds(Types.InAssembly(Product).That().DoNotResideInNamespace("Switchboard.Hosting")
            .And().DoNotHaveName("Program").Should().NotHaveDependencyOnAny("Switchboard.Hosting"));
    }

    [Fact]
    public void Options_types_live_in_Configuration()
    {
        var misplaced = Product.GetTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.Namespace != "Switchboard.Configuration" && !t.IsNested)
            .Select(t => t.FullName).ToArray();
        Assert.Empty(misplaced);
    }

    private static void AssertHolds(ConditionList rule)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful, "Breaks the rule: " + string.Join(", ", (result.FailingTypes ?? []).Select(t => t.FullName)));
    }
}
