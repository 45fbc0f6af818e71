namespace Strata.Model;

/// <summary>
/// COMMENT ON SCHEMA: the comment of <paramref name="Schema"/>, kept only where it differs from the one PostgreSQL gives
/// the schema itself (<see cref="DatabaseModel.DefaultSchemaComment"/>), so that a model that says nothing about its
/// schemas' comments carries none, <c>public</c>'s 'standard public schema' included.
/// </summary>
/// <param name="Comment">The comment; null for none, which only <c>public</c> needs to say (its comment removed).</param>
public sealed record SchemaComment(string Schema, string? Comment);

/// <summary>The comments on a model's schemas.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>
    /// The comment initdb gives <c>public</c> (PostgreSQL 15 and every version before it), which <c>pg_dump</c> leaves
    /// out of its dump: a model leaves it out too.
    /// </summary>
    public const string PublicSchemaComment = "standard public schema";

    /// <summary>The comments on schemas that differ from <see cref="DefaultSchemaComment"/>, by schema once normalised.</summary>
    public ValueList<SchemaComment> SchemaComments { get; init; }

    /// <summary>The comment a schema has when nothing sets one: <see cref="PublicSchemaComment"/> on <c>public</c>, none on another.</summary>
    public static string? DefaultSchemaComment(string schema) => schema == QualifiedName.DefaultSchema ? PublicSchemaComment : null;

    /// <summary>The comment <paramref name="schema"/> has under this model: its own, else <see cref="DefaultSchemaComment"/>.</summary>
    public string? CommentOnSchema(string schema)
    {
        foreach (var comment in SchemaComments)
        {
            if (comment.Schema == schema)
                return comment.Comment;
        }
        return DefaultSchemaComment(schema);
    }

    /// <summary>The comments in canonical order, one per schema (the last one given wins), those equal to the default left out.</summary>
    private ValueList<SchemaComment> NormalizedSchemaComments() =>
        SchemaComments.Count == 0 ? SchemaComments
        : SchemaComments.GroupBy(c => c.Schema, StringComparer.Ordinal).Select(g => g.Last())
            .Where(c => c.Comment != DefaultSchemaComment(c.Schema))
            .OrderBy(c => c.Schema, StringComparer.Ordinal).ToValueList();
}
