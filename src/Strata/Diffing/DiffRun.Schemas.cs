using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>Schemas: renamed, created, or dropped once what they hold is gone.</summary>
internal sealed partial class DiffRun
{
    private const int RenameSchemaRank = ChangeRank.Renames;

    // A new schema may take the old name of a renamed one, and tables may move into a new schema.
    private const int CreateSchemaRank = ChangeRank.Renames + 100;

    private const int DropSchemaRank = ChangeRank.Releases + 200;

    private void DiffSchemas()
    {
        var oldSchemas = _old.Schemas.ToHashSet(StringComparer.Ordinal);
        var newSchemas = _new.Schemas.ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == ObjectKind.Schema))
        {
            var (from, to) = (ObjectKey.Schema(rename.From), ObjectKey.Schema(rename.To));
            if (oldSchemas.Contains(from) && newSchemas.Contains(to) && !_schemaMap.ContainsKey(from) && taken.Add(to))
                _schemaMap[from] = to;
        }
        var dropped = new List<string>();
        foreach (var schema in _old.Schemas)
        {
            if (_schemaMap.TryGetValue(schema, out var renamed))
            {
                Add(RenameSchemaRank, new RenameSchema(schema, renamed))
                    .Need(FactState.Gone, ObjectRef.Schema(renamed))
                    .Provide(FactState.Gone, ObjectRef.Schema(schema))
                    .Provide(FactState.Exists, ObjectRef.Schema(renamed));
            }
            else if (newSchemas.Contains(schema) && !taken.Contains(schema))
                taken.Add(schema);
            else
                dropped.Add(schema);
        }
        var added = _new.Schemas.Where(s => !taken.Contains(s)).ToList();
        foreach (var schema in added)
        {
            Add(CreateSchemaRank, new CreateSchema(schema))
                .Need(FactState.Gone, ObjectRef.Schema(schema))
                .Provide(FactState.Exists, ObjectRef.Schema(schema));
        }
        foreach (var schema in dropped)
        {
            // What the schema holds goes first: each object there is dropped or moved out.
            var drop = Add(DropSchemaRank, new DropSchema(schema)).Provide(FactState.Gone, ObjectRef.Schema(schema));
            foreach (var table in _old.Tables.Where(t => t.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.Table, table.QualifiedName);
            foreach (var view in _old.Views.Where(v => v.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.View, view.QualifiedName);
            foreach (var enumType in _old.Enums.Where(e => e.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.TypeName, enumType.QualifiedName);
            foreach (var sequence in _old.Sequences.Where(s => s.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.RelationName, sequence.QualifiedName);
        }
        AddCandidates(ObjectKind.Schema, dropped.Select(s => ObjectKey.Of(s)), added.Select(s => ObjectKey.Of(s)));
        DiffSchemaComments(added);
    }
}
