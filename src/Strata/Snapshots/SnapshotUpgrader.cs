using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Snapshots;

/// <summary>One step of the upgrade chain: rewrites a document of version <see cref="FromVersion"/> into version <c>FromVersion + 1</c>.</summary>
internal sealed record SnapshotUpgrade(int FromVersion, Action<JsonObject> Apply);

/// <summary>
/// Brings a snapshot document of an older format version up to the current one, one version at a
/// time, on the JSON tree before it is mapped. Version 1 is the first format, so the chain is empty
/// for now; the next format change adds a step here instead of teaching the reader two formats.
/// </summary>
internal sealed class SnapshotUpgrader(IReadOnlyList<SnapshotUpgrade> steps, int currentVersion = Snapshot.CurrentVersion)
{
    public static SnapshotUpgrader Default { get; } = new([]);

    public int CurrentVersion { get; } = currentVersion;

    /// <summary>The document's format version; refuses a version newer than this Strata reads.</summary>
    public int VersionOf(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
            throw new SnapshotPathException("", "the file must hold a JSON object");
        if (!document.TryGetProperty("version", out var value))
            throw new SnapshotPathException("", "the property \"version\" (the format version) is missing");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var version))
            throw new SnapshotPathException("version", "the format \"version\" must be a whole number");
        if (version > CurrentVersion)
        {
            throw new SnapshotPathException("version",
                $"the snapshot is in format version {version}, written by a newer Strata; this Strata reads versions up to {CurrentVersion}",
                "update Strata (dotnet tool update strata) to the version the rest of the team uses");
        }
        return version;
    }

    /// <summary>Rewrites a document of <paramref name="version"/> (older than the current one) into the current format.</summary>
    public JsonObject Upgrade(JsonObject document, int version)
    {
        while (version < CurrentVersion)
        {
            var step = steps.FirstOrDefault(s => s.FromVersion == version)
                ?? throw new SnapshotPathException("version", $"format version {version} is unknown: Strata cannot upgrade it to version {CurrentVersion}");
            step.Apply(document);
            version++;
            document["version"] = version;
        }
        return document;
    }
}
