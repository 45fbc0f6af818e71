using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Compares two models and returns the ordered changes from the first to the second
/// (Atlas' and EF Core's <c>Sort(Diff(from, to))</c>): typed changes first, then ordering as a separate phase.
/// </summary>
public static class SchemaDiffer
{
    /// <summary>
    /// The changes that take <paramref name="from"/> to <paramref name="to"/>. Rename decisions that do
    /// not apply (their old object is missing from <paramref name="from"/> or their new one from
    /// <paramref name="to"/>) are ignored; drop + add pairs that may be renames are listed in
    /// <see cref="SchemaDiff.Unresolved"/>.
    /// </summary>
    public static SchemaDiff Diff(DatabaseModel from, DatabaseModel to, RenameDecisions renames)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(renames);
        return new DiffRun(from.Normalize(), to.Normalize(), renames).Run();
    }
}
