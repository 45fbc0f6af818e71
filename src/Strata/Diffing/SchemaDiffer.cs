using Strata.Model;

namespace Strata.Diffing;

/// <summary>Compares two models and returns the ordered changes from the first to the second.</summary>
public static class SchemaDiffer
{
    public static SchemaDiff Diff(DatabaseModel from, DatabaseModel to, RenameDecisions renames)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(renames);
        var changes = new List<SchemaChange>();
        var oldSchemas = from.Schemas.ToHashSet();
        foreach (var schema in to.Schemas.Where(s => !oldSchemas.Contains(s)))
            changes.Add(new CreateSchema(schema));
        var oldEnums = from.Enums.Select(e => e.QualifiedName).ToHashSet();
        foreach (var enumType in to.Enums.Where(e => !oldEnums.Contains(e.QualifiedName)))
            changes.Add(new CreateEnum(enumType));
        var oldTables = from.Tables.Select(t => t.QualifiedName).ToHashSet();
        foreach (var table in to.Tables.Where(t => !oldTables.Contains(t.QualifiedName)))
            changes.Add(new CreateTable(table));
        return new SchemaDiff(changes, []);
    }
}
