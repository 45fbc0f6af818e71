using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Tests.Sql;

namespace Strata.Tests.Migrations;

public class MigrationWriterTests
{
    private static readonly DatabaseModel Users = MigrationSql.Build(db => db.Table("users", t =>
    {
        t.Column("id", Types.BigInt).PrimaryKey();
        t.Column("name", Types.Text).NotNull();
    }));

    private static readonly DatabaseModel UsersWithEmail = MigrationSql.Build(db => db.Table("users", t =>
    {
        t.Column("id", Types.BigInt).PrimaryKey();
        t.Column("name", Types.Text).NotNull();
        t.Column("email", Types.Text);
    }));

    [Fact]
    public async Task A_change_is_written_as_up_down_and_a_snapshot_chained_to_the_previous_one_and_recorded_in_strata_sum()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        var first = await MigrationWriter.WriteChangesAsync(directory, "0000_users", previous: null, Users,
            SchemaDiffer.Diff(DatabaseModel.Empty, Users, RenameDecisions.None), RenameDecisions.None, default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var previous = await directory.LatestSnapshotAsync();
        var second = await MigrationWriter.WriteChangesAsync(directory, "0001_email", previous, UsersWithEmail,
            SchemaDiffer.Diff(Users, UsersWithEmail, RenameDecisions.None), RenameDecisions.None, default);

        Assert.Contains("CREATE TABLE \"public\".\"users\"", await File.ReadAllTextAsync(first.Migration.UpPath));
        Assert.Equal(["ALTER TABLE \"public\".\"users\" ADD COLUMN \"email\" text;"], second.Statements.Select(s => s.Sql));
        Assert.Contains("ALTER TABLE \"public\".\"users\" ADD COLUMN \"email\" text;", await File.ReadAllTextAsync(second.Migration.UpPath));
        Assert.Contains("ALTER TABLE \"public\".\"users\" DROP COLUMN \"email\";", await File.ReadAllTextAsync(second.Migration.DownPath));

        directory = await MigrationDirectory.LoadAsync(folder.Path);
        Assert.Equal(["0000_users", "0001_email"], directory.Migrations.Select(m => m.Id));
        Assert.Empty(await directory.VerifySumAsync());
        var snapshot = await directory.Migrations[1].ReadSnapshotAsync();
        Assert.Equal(previous!.Id, snapshot.ParentId);
        Assert.Equal(UsersWithEmail.Normalize(), snapshot.Schema.Normalize());
    }

    [Fact]
    public async Task A_custom_migration_holds_only_instructions_and_the_previous_schema()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteChangesAsync(directory, "0000_users", previous: null, Users,
            SchemaDiffer.Diff(DatabaseModel.Empty, Users, RenameDecisions.None), RenameDecisions.None, default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var previous = await directory.LatestSnapshotAsync();

        var custom = await MigrationWriter.WriteCustomAsync(directory, "0001_backfill", previous, default);

        Assert.Empty(custom.Statements);
        Assert.Equal(MigrationWriter.CustomUp, await File.ReadAllTextAsync(custom.Migration.UpPath));
        Assert.Equal(MigrationWriter.CustomDown, await File.ReadAllTextAsync(custom.Migration.DownPath));
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        Assert.Empty(await directory.VerifySumAsync());
        Assert.Equal(Users.Normalize(), (await directory.Migrations[1].ReadSnapshotAsync()).Schema.Normalize());
    }

    [Fact]
    public async Task A_baseline_creates_the_extensions_first_and_its_down_leaves_them()
    {
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);

        var baseline = await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", Users,
            [new UnmodelledObject(UnmodelledObject.ExtensionKind, "citext", null, "public"), new UnmodelledObject("function", "public.f", null, "public")], default);

        Assert.Equal("CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\";", baseline.Statements[0].Sql);
        Assert.Contains(baseline.Statements, s => s.Sql.StartsWith("CREATE TABLE \"public\".\"users\"", StringComparison.Ordinal));
        Assert.DoesNotContain("public.f", string.Join("\n", baseline.Statements.Select(s => s.Sql)));
        var up = await File.ReadAllTextAsync(baseline.Migration.UpPath);
        Assert.True(up.IndexOf("CREATE EXTENSION", StringComparison.Ordinal) < up.IndexOf("CREATE TABLE", StringComparison.Ordinal), up);
        var down = await File.ReadAllTextAsync(baseline.Migration.DownPath);
        Assert.Contains("DROP TABLE \"public\".\"users\"", down);
        Assert.DoesNotContain("EXTENSION", down);
        var snapshot = await baseline.Migration.ReadSnapshotAsync();
        Assert.Null(snapshot.ParentId);
        Assert.Equal(Users.Normalize(), snapshot.Schema.Normalize());
    }
}
