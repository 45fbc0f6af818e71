namespace Strata.Diffing;

/// <summary>The kinds of object a rename decision can name.</summary>
public enum ObjectKind
{
    Schema,
    Enum,
    Sequence,
    Table,
    Column,
    Index,
    View,
    Domain,
}
