using System.Text.RegularExpressions;

namespace Strata.Tests.Kinds;

/// <summary>
/// The central files of the SQL and introspection steps loop over the kinds registered from the kinds' own files
/// (Sql/DomainSql.cs, Introspection/DomainCatalog.cs) and name no kind of their own: adding a kind does not touch them.
/// </summary>
public sealed partial class PostgresCentralFilesTests
{
    public static TheoryData<string> CentralFiles =>
    [
        "src/Strata.Postgres/Sql/PostgresSqlGenerator.cs",
        "src/Strata.Postgres/Sql/KindSql.cs",
        "src/Strata.Postgres/Introspection/CatalogQueries.cs",
        "src/Strata.Postgres/Introspection/ModelReader.cs",
        "src/Strata.Postgres/Introspection/ColumnTypes.cs",
    ];

    [Theory]
    [MemberData(nameof(CentralFiles))]
    public void A_central_file_names_no_domain_outside_its_comments(string file)
    {
        var source = File.ReadAllText(Path.Combine(Docs.DocCommandTests.RepositoryRoot, file));

        var code = LineComment().Replace(source, "");

        Assert.DoesNotMatch(Domain(), code);
    }

    [Fact]
    public void Strata_Postgres_names_domains_only_in_their_own_files()
    {
        var root = Docs.DocCommandTests.RepositoryRoot;
        var naming = Directory.GetFiles(Path.Combine(root, "src", "Strata.Postgres"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Domain().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

        // ManagedObjects drops every kind of PostgreSQL object of a schema on reset (DROP DOMAIN for typtype 'd'),
        // modelled or not: it is not the model's domain code.
        Assert.Equal(
        [
            "src/Strata.Postgres/Introspection/DomainCatalog.cs",
            "src/Strata.Postgres/Migrations/ManagedObjects.cs",
            "src/Strata.Postgres/Sql/DomainSql.cs",
        ], naming);
    }

    // From // to the end of the line (also ///); a // inside a string literal cuts the line short, which only checks less.
    [GeneratedRegex("//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex("domain", RegexOptions.IgnoreCase)]
    private static partial Regex Domain();
}
