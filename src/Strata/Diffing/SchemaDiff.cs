using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// The ordered changes that take one model to another. <see cref="Unresolved"/> lists the drop + add
/// pairs that may be renames: they are diffed as drop + add, and no migration may be written while any remain.
/// </summary>
public sealed record SchemaDiff(ValueList<SchemaChange> Changes, ValueList<RenameCandidate> Unresolved)
{
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>
    /// The objects whose reads a decision needed and whose model did not know them (a model built from the DSL,
    /// a snapshot written without reads), so that the decision was taken from their text; empty when every
    /// decision came from recorded reads or needed none. Sorted, each once.
    /// </summary>
    public ValueList<TextDecision> DecidedFromText { get; init; }
}
