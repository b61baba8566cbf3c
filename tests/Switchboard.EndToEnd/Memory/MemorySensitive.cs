namespace Switchboard.EndToEnd.Memory;

/// <summary>Tests that measure a process's memory run alone: neighbours' load changes when its GC runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemorySensitive
{
    public const string Name = "memory-sensitive";
}
