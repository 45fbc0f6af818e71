using System.Security.Cryptography;
using System.Text;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// The whole schema after one migration, as stored in that migration's <c>snapshot.json</c>.
/// <see cref="ParentId"/> is the id of the previous migration's snapshot (null for the first), which
/// is how two migrations generated on top of the same parent (a branch conflict) are detected.
/// </summary>
/// <param name="Renames">The rename decisions that led from the parent's schema to this one.</param>
public sealed record Snapshot(string Id, string? ParentId, DatabaseModel Schema, ValueList<Rename> Renames)
{
    /// <summary>The format version this Strata writes; older versions are upgraded when read.</summary>
    public const int CurrentVersion = 1;

    /// <summary>
    /// A deterministic id: SHA-256 over the parent id, the migration name and the schema's canonical
    /// JSON, as 32 lowercase hex characters. Regenerating the same migration gives the same id; the
    /// same schema reached along two branches does not.
    /// </summary>
    public static string ComputeId(string? parentId, string migrationName, DatabaseModel schema)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes((parentId ?? "") + "\n" + migrationName + "\n"));
        hash.AppendData(SnapshotSerializer.SerializeSchema(schema));
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
