using System.Text.RegularExpressions;
using Strata.Model;
using Strata.Tests.Docs;

namespace Strata.Tests.Kinds;

/// <summary>
/// A kind of object lives in one file per step of the pipeline (model, DSL, snapshot record, differ, SQL, introspection):
/// shown by domains, the kind added through the registries. Reads the source tree, as a reviewer would.
/// </summary>
public sealed partial class KindFilesTests
{
    /// <summary>The one file of each step that holds domain code.</summary>
    private static readonly string[] DomainFiles =
    [
        "src/Strata/Model/ColumnType.cs",
        "src/Strata/Dsl/Domains.cs",
        "src/Strata/Snapshots/DomainDocument.cs",
        "src/Strata/Diffing/DiffRun.Domains.cs",
        "src/Strata.Postgres/Sql/DomainSql.cs",
        "src/Strata.Postgres/Introspection/DomainCatalog.cs",
    ];

    /// <summary>
    /// Files that name domains without being part of the kind: reset drops every kind of PostgreSQL object it finds in
    /// the catalog, whatever Strata models, so it names PostgreSQL's kinds, functions and types included.
    /// </summary>
    private static readonly string[] CatalogWideFiles = ["src/Strata.Postgres/Migrations/ManagedObjects.cs"];

    [Fact]
    public void Domain_code_lives_in_one_file_per_step()
    {
        var root = DocCommandTests.RepositoryRoot;
        var naming = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => DomainWord().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(DomainFiles.Concat(CatalogWideFiles).Order(StringComparer.Ordinal), naming);
    }

    [Fact]
    public void Every_model_kind_is_registered_once_with_an_order_of_its_own()
    {
        var kinds = typeof(DatabaseModel).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ModelKind)) && !t.IsAbstract)
            .Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.FullName, b.FullName)))
            .ToList();

        Assert.NotEmpty(kinds);
        Assert.Equal(kinds.Count, DatabaseModel.Kinds.Length);
        Assert.All(kinds, k => Assert.Single(DatabaseModel.Kinds, registered => registered.GetType() == k));
        Assert.Equal(DatabaseModel.Kinds.Length, DatabaseModel.Kinds.Select(k => k.Order).Distinct().Count());
    }

    // "domain" as a word or the start of an identifier (DomainName, domains), not inside one (AppDomain) and not SQL's DOMAIN.
    [GeneratedRegex("(?<![A-Za-z])[Dd]omain")]
    private static partial Regex DomainWord();
}
