using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// The ordered changes that take one model to another. <see cref="Unresolved"/> lists the drop + add
/// pairs that may be renames: they are diffed as drop + add, and no migration may be written while any remain.
/// </summary>
public sealed record SchemaDiff(ValueList<SchemaChange> Changes, ValueList<RenameCandidate> Unresolved)
{
    public bool IsEmpty => Changes.Count == 0;
}
