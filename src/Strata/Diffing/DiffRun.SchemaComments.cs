using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// COMMENT ON SCHEMA: set on a new schema, changed or removed on a kept one (a renamed schema keeps its comment), and
/// <c>public</c>'s against PostgreSQL's 'standard public schema' when the model says nothing of it.
/// </summary>
internal sealed partial class DiffRun
{
    /// <param name="created">The schemas the plan creates: they start without a comment.</param>
    private void DiffSchemaComments(IReadOnlyCollection<string> created)
    {
        if (_old.SchemaComments.Count == 0 && _new.SchemaComments.Count == 0)
            return;
        var oldNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var schema in _old.Schemas.Append(QualifiedName.DefaultSchema))
            oldNames[MapSchema(schema)] = schema;
        foreach (var schema in _new.Schemas.Append(QualifiedName.DefaultSchema).Distinct(StringComparer.Ordinal))
        {
            var oldComment = created.Contains(schema) || !oldNames.TryGetValue(schema, out var oldName) ? null : _old.CommentOnSchema(oldName);
            var newComment = _new.CommentOnSchema(schema);
            if (oldComment != newComment)
                UsesNewSchema(Add(CommentRank, new CommentOnSchema(schema, newComment)), schema);
        }
    }
}

/// <summary>COMMENT ON SCHEMA (null: the comment removed).</summary>
public sealed record CommentOnSchema(string Schema, string? Comment) : SchemaChange;
