using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Postgres.Comparison;

/// <summary>
/// The tables and views of a model as PostgreSQL printed them the last time <see cref="ScratchDatabase"/>
/// built them, kept in <c>.strata/printed/</c> next to strata.json, so that a push or check whose schema did
/// not change needs no scratch database at all, and one that changed a few tables builds only those.
/// </summary>
/// <remarks>
/// How PostgreSQL prints a table's expressions depends on the table's own definition, the enums and
/// sequences its defaults and checks may name, the extensions, and the server version; that context is
/// hashed into the file name, so a change to any of it starts a new file. Within one context a table is
/// reused when its declared definition equals (record equality) the one it was printed from; a view when
/// it and every table or view it reads are reused. Losing the file costs only time: everything is built
/// again. Written to a temporary file and moved into place, so two runs at once cannot leave half a file.
/// </remarks>
public sealed class PrintedFormCache
{
    // 2: printed forms carry what their expressions read (pg_depend); a file written before is built again,
    // so that the differ decides from recorded reads rather than falling back to the text.
    // 3: so do the defaults and checks of the objects in the printed context (those that are not tables or views).
    private const int FormatVersion = 3;

    private readonly string? _path;
    private readonly Dictionary<QualifiedName, (Table Declared, Table Printed)> _tables;
    private readonly Dictionary<QualifiedName, (View Declared, View Printed)> _views;

    private PrintedFormCache(string? path, Dictionary<QualifiedName, (Table, Table)> tables, Dictionary<QualifiedName, (View, View)> views, DatabaseModel? printedContext)
    {
        _path = path;
        _tables = tables;
        _views = views;
        PrintedContext = printedContext;
    }

    /// <summary>.strata/printed next to strata.json (git-ignored with the rest of .strata/).</summary>
    public static string Folder(string projectRoot) => Path.Combine(projectRoot, ".strata", "printed");

    /// <summary>The schemas, enums and sequences as printed for this context; null when nothing was cached yet.</summary>
    public DatabaseModel? PrintedContext { get; private set; }

    /// <summary>The cache for <paramref name="declared"/>'s context on this server, empty when there is none (or no folder).</summary>
    public static PrintedFormCache Load(string? folder, DatabaseModel declared, int serverVersion, IReadOnlyList<string> extensions)
    {
        if (folder is null)
            return new(null, [], [], null);
        var path = Path.Combine(folder, $"printed-{ContextHash(declared, serverVersion, extensions)}.json");
        try
        {
            if (File.Exists(path))
            {
                var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                if ((int?)document["version"] == FormatVersion)
                {
                    var before = SnapshotSerializer.Deserialize((string)document["declared"]!, path).Schema;
                    var after = SnapshotSerializer.Deserialize((string)document["printed"]!, path).Schema;
                    var tables = before.Tables.Select(t => (t, after.FindTable(t.QualifiedName)))
                        .Where(p => p.Item2 is not null)
                        .ToDictionary(p => p.t.QualifiedName, p => (p.t, p.Item2!));
                    var views = before.Views.Select(v => (v, after.FindView(v.QualifiedName)))
                        .Where(p => p.Item2 is not null)
                        .ToDictionary(p => p.v.QualifiedName, p => (p.v, p.Item2!));
                    return new(path, tables, views, after with { Tables = [], Views = [] });
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or SnapshotFormatException or InvalidOperationException)
        {
            // A damaged or unreadable cache is no cache: everything is built again and the file rewritten.
        }
        return new(path, [], [], null);
    }

    /// <summary>The printed form of <paramref name="declared"/> when it was printed before, else null.</summary>
    public Table? Find(Table declared) =>
        _tables.TryGetValue(declared.QualifiedName, out var entry) && entry.Declared == declared ? entry.Printed : null;

    /// <summary>The printed form of <paramref name="declared"/> when it and everything it reads were printed before, else null.</summary>
    public View? Find(View declared, DatabaseModel model) =>
        _views.TryGetValue(declared.QualifiedName, out var entry) && entry.Declared == declared
        && declared.DependsOn.All(d => model.FindTable(d) is { } table ? Find(table) is not null
            : model.FindView(d) is not { } view || (view != declared && Find(view, model) is not null))
            ? entry.Printed
            : null;

    /// <summary>Records what a scratch database printed for the declared objects it built, and saves the file.</summary>
    public void Save(DatabaseModel declaredBuilt, DatabaseModel printed)
    {
        foreach (var table in declaredBuilt.Tables)
        {
            if (printed.FindTable(table.QualifiedName) is { } printedTable)
                _tables[table.QualifiedName] = (table, printedTable);
        }
        foreach (var view in declaredBuilt.Views)
        {
            if (printed.FindView(view.QualifiedName) is { } printedView)
                _views[view.QualifiedName] = (view, printedView);
        }
        PrintedContext = printed with { Tables = [], Views = [] };
        if (_path is null)
            return;

        var declared = DatabaseModel.Empty with { Tables = _tables.Values.Select(e => e.Declared).ToValueList(), Views = _views.Values.Select(e => e.Declared).ToValueList() };
        var printedAll = PrintedContext with { Tables = _tables.Values.Select(e => e.Printed).ToValueList(), Views = _views.Values.Select(e => e.Printed).ToValueList() };
        var document = new JsonObject
        {
            ["version"] = FormatVersion,
            ["declared"] = SnapshotSerializer.Serialize(new Snapshot("declared", null, declared.Normalize(), [])),
            ["printed"] = SnapshotSerializer.Serialize(new Snapshot("printed", null, printedAll.Normalize(), [])),
        };
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            File.WriteAllText(temporary, document.ToJsonString());
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a speed-up: a folder that cannot be written means the next run builds again.
        }
    }

    private static string ContextHash(DatabaseModel declared, int serverVersion, IReadOnlyList<string> extensions)
    {
        var context = declared with { Tables = [], Views = [] };
        var text = $"{FormatVersion}\n{serverVersion}\n{string.Join(",", extensions)}\n"
            + SnapshotSerializer.Serialize(new Snapshot("context", null, context.Normalize(), []));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
