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

    public JsonObject Upgrade(JsonObject document)
    {
        var version = document["version"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number)
            ? number
            : throw new SnapshotPathException(document.ContainsKey("version") ? "version" : "", "the format \"version\" must be a whole number");
        if (version > CurrentVersion)
        {
            throw new SnapshotPathException("version",
                $"the snapshot is in format version {version}, written by a newer Strata; this Strata reads versions up to {CurrentVersion}",
                "update Strata (dotnet tool update strata) to the version the rest of the team uses");
        }

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
