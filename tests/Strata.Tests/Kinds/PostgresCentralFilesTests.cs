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
    ];

    [Theory]
    [MemberData(nameof(CentralFiles))]
    public void A_central_file_names_no_domain_outside_its_comments(string file)
    {
        var source = File.ReadAllText(Path.Combine(Docs.DocCommandTests.RepositoryRoot, file));

        var code = LineComment().Replace(source, "");

        Assert.DoesNotMatch(Domain(), code);
    }

    // From // to the end of the line (also ///); a // inside a string literal cuts the line short, which only checks less.
    [GeneratedRegex("//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex("domain", RegexOptions.IgnoreCase)]
    private static partial Regex Domain();
}
