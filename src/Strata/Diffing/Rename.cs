using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// A decision that an object of the old model is an object of the new one under another name.
/// Keys: schema <c>billing</c>; enum, sequence, table, view, index <c>schema.name</c>; column <c>schema.table.column</c>.
/// <see cref="From"/> is the key in the old model and <see cref="To"/> the key in the new one.
/// </summary>
public sealed record Rename(ObjectKind Kind, string From, string To);

/// <summary>A dropped object that may be one of several added ones renamed: the differ will not guess.</summary>
public sealed record RenameCandidate(ObjectKind Kind, string Dropped, ValueList<string> Added);
