using Strata.Snapshots;

namespace Strata.Diffing;

/// <summary>The kinds of object a rename decision can name.</summary>
public enum ObjectKind
{
    [SnapshotName("schema")]
    Schema,
    [SnapshotName("enum")]
    Enum,
    [SnapshotName("sequence")]
    Sequence,
    [SnapshotName("table")]
    Table,
    [SnapshotName("column")]
    Column,
    [SnapshotName("index")]
    Index,
    [SnapshotName("view")]
    View,
    [SnapshotName("domain")]
    Domain,
}
