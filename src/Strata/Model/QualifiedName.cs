namespace Strata.Model;

/// <summary>A schema-qualified object name such as <c>public.users</c>.</summary>
public readonly record struct QualifiedName(string Schema, string Name) : IComparable<QualifiedName>
{
    public const string DefaultSchema = "public";

    public int CompareTo(QualifiedName other)
    {
        var bySchema = string.CompareOrdinal(Schema, other.Schema);
        return bySchema != 0 ? bySchema : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Parses <c>name</c> or <c>schema.name</c> (no quoting: names containing dots need the two-argument form).</summary>
    public static QualifiedName Parse(string text)
    {
        var dot = text.IndexOf('.');
        return dot < 0 ? new(DefaultSchema, text) : new(text[..dot], text[(dot + 1)..]);
    }

    public override string ToString() => Schema + "." + Name;
}
