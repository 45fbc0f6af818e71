using Strata.Snapshots;

namespace Strata.Model;

/// <summary>What kind of object an expression reads.</summary>
public enum ReadKind
{
    /// <summary>A column of a table or view (<see cref="ReadObject.Column"/> names it).</summary>
    [SnapshotName("column")]
    Column,
    /// <summary>A table or view as a whole (a view reads one it takes no column from, as in <c>count(*)</c>).</summary>
    [SnapshotName("relation")]
    Relation,
    /// <summary>A user-defined type (an enum): the type of a constant, a cast or an operand.</summary>
    [SnapshotName("type")]
    Type,
    /// <summary>A sequence (<c>nextval('s'::regclass)</c>).</summary>
    [SnapshotName("sequence")]
    Sequence,
    /// <summary>A user-defined function.</summary>
    [SnapshotName("function")]
    Function,
}

/// <summary>One object an expression reads: a relation, type, sequence or function by name, or a relation's column.</summary>
/// <remarks>
/// A class, not a struct: the sets, lists and sorts of a Strata value type are CoreLib generic code that
/// ReadyToRun cannot precompile into Strata's image, and pull, push and check JIT-compiled some 40 methods
/// of them (HashSet, List, ImmutableArray, Distinct, Order of ReadObject); over a reference type they are
/// shared code, already compiled.
/// </remarks>
public sealed record ReadObject(ReadKind Kind, QualifiedName Name, string? Column = null) : IComparable<ReadObject>
{
    public static ReadObject OfColumn(QualifiedName relation, string column) => new(ReadKind.Column, relation, column);

    public int CompareTo(ReadObject? other)
    {
        if (other is null)
            return 1;
        var byKind = ((int)Kind).CompareTo((int)other.Kind);
        if (byKind != 0)
            return byKind;
        var byName = Name.CompareTo(other.Name);
        return byName != 0 ? byName : string.CompareOrdinal(Column, other.Column);
    }

    public override string ToString() => Column is null ? $"{Kind.ToString().ToLowerInvariant()} {Name}" : $"column {Name}.{Column}";
}

/// <summary>
/// What a piece of opaque SQL (a check, an index's expressions and predicate, a default, a generated
/// column, a view's query) reads, as PostgreSQL recorded it in <c>pg_depend</c> (and <c>pg_rewrite</c> for a
/// view) when the object was created: the introspector fills it, a snapshot keeps it, and the differ takes
/// its decisions from it. <see cref="Unknown"/> (the default) where no database was asked: a model built
/// from the DSL, or read from a snapshot written before Strata recorded them.
/// </summary>
/// <remarks>
/// Equality ignores it: the reads follow from the definition (the same expression over the same schema
/// reads the same objects), so a model read from a database and the same model built from the DSL, which
/// does not know its reads, are equal, and the differ never sees a change where only the knowledge differs.
/// </remarks>
public readonly struct ExpressionReads : IEquatable<ExpressionReads>
{
    private readonly ValueList<ReadObject> _objects;

    /// <summary>Known reads: <paramref name="objects"/> in canonical order, each once.</summary>
    public ExpressionReads(IEnumerable<ReadObject> objects)
    {
        _objects = objects.Distinct().Order().ToValueList();
        IsKnown = true;
    }

    public static ExpressionReads Unknown => default;

    public static ExpressionReads Nothing { get; } = new([]);

    /// <summary>Whether PostgreSQL said what the expression reads; when false, <see cref="Objects"/> is empty and means nothing.</summary>
    public bool IsKnown { get; }

    public ValueList<ReadObject> Objects => _objects;

    /// <summary>The names of the columns of <paramref name="relation"/> it reads.</summary>
    public IEnumerable<string> ColumnsOf(QualifiedName relation)
    {
        foreach (var read in Objects)
        {
            if (read.Kind == ReadKind.Column && read.Name == relation)
                yield return read.Column!;
        }
    }

    /// <summary>Whether it reads the type (a constant of an enum, a cast to it, a column of it as an operand).</summary>
    public bool ReadsType(QualifiedName type) => Objects.Any(r => r.Kind == ReadKind.Type && r.Name == type);

    /// <summary>The same reads with each object renamed by <paramref name="map"/> (the old model's names in the new model's terms).</summary>
    public ExpressionReads Map(Func<ReadObject, ReadObject> map) => IsKnown ? new ExpressionReads(Objects.Select(map)) : this;

    /// <summary>The reads of both (a table's checks together, say); unknown if either is.</summary>
    public ExpressionReads With(ExpressionReads other) => IsKnown && other.IsKnown ? new ExpressionReads(Objects.Concat(other.Objects)) : Unknown;

    public bool Equals(ExpressionReads other) => true;

    public override bool Equals(object? obj) => obj is ExpressionReads;

    public override int GetHashCode() => 0;

    public override string ToString() => IsKnown ? Objects.ToString() : "unknown";

    public static bool operator ==(ExpressionReads left, ExpressionReads right) => true;

    public static bool operator !=(ExpressionReads left, ExpressionReads right) => false;
}
