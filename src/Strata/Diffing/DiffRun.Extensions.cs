using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Extensions: created first (after their schema, before the types, tables, defaults and indexes that may use what they
/// provide), updated to another version, moved to another schema, and dropped last (after everything that used them,
/// before their schema). Matched by name, which is unique in a database. The changes this part plans are declared at
/// the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // With the user types, though an extension takes no name in pg_type: the run's first place for a kind, after the schemas.
    internal static readonly DiffPart DiffExtensionsPart = Part(DiffPhase.MatchTypes, order: 3, static run => run.DiffExtensions());

    // After the schemas are created (Renames + 100) and before every create; dropped after the types (Releases + 50),
    // before the schemas (Releases + 200).
    private const int CreateExtensionRank = ChangeRank.Renames + 150;
    private const int DropExtensionRank = ChangeRank.Releases + 190;

    private void DiffExtensions()
    {
        var oldByName = new Dictionary<string, Extension>(StringComparer.Ordinal);
        foreach (var extension in _old.Extensions)
            oldByName[extension.Name] = extension;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in _new.Extensions)
        {
            if (!oldByName.TryGetValue(extension.Name, out var old))
            {
                var create = Add(CreateExtensionRank, new CreateExtension(extension));
                UsesNewSchema(create, extension.Schema);
                if (extension.Comment is not null)
                    Add(CreateExtensionRank, new CommentOnExtension(extension.Name, extension.Comment));
                continue;
            }
            kept.Add(extension.Name);
            if (MapSchema(old.Schema) != extension.Schema)
            {
                var move = Add(CreateExtensionRank, new MoveExtension(extension.Name, extension.Schema));
                UsesNewSchema(move, extension.Schema);
                UsesOldSchema(move, old.Schema);
            }
            if (old.Version != extension.Version)
                Add(CreateExtensionRank, new UpdateExtension(extension.Name, extension.Version));
            if (old.Comment != extension.Comment)
                Add(CreateExtensionRank, new CommentOnExtension(extension.Name, extension.Comment));
        }
        foreach (var old in _old.Extensions)
        {
            if (kept.Contains(old.Name))
                continue;
            var drop = Add(DropExtensionRank, new DropExtension(old));
            // A schema dropped (not renamed) goes once its extensions are gone.
            if (MapSchema(old.Schema) == old.Schema && !_new.Schemas.Contains(old.Schema))
                drop.Precede(FactState.Gone, ObjectRef.Schema(old.Schema));
        }
    }
}

/// <summary>CREATE EXTENSION IF NOT EXISTS … WITH SCHEMA … [VERSION …].</summary>
public sealed record CreateExtension(Extension Extension) : SchemaChange;

/// <summary>DROP EXTENSION: refused by PostgreSQL while an object outside it (a column of its type) still uses it.</summary>
public sealed record DropExtension(Extension Extension) : SchemaChange;

/// <summary>ALTER EXTENSION … UPDATE TO <see cref="Version"/> (null: to the default version).</summary>
public sealed record UpdateExtension(string Name, string? Version) : SchemaChange;

/// <summary>ALTER EXTENSION … SET SCHEMA: moves the extension's objects (a relocatable extension only).</summary>
public sealed record MoveExtension(string Name, string Schema) : SchemaChange;

/// <summary>COMMENT ON EXTENSION (an extension's name has no schema; null: the comment removed).</summary>
public sealed record CommentOnExtension(string Name, string? Comment) : SchemaChange;
