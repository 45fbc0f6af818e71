using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Renaming;
using Strata.Testing;
using Npgsql;

namespace Strata.IntegrationTests.Comparison;

/// <summary>A whole push through the library (<see cref="SchemaPush.PushAsync"/>): the lock, the renames it asks about, the data loss it tells, and what it refuses.</summary>
public sealed class SchemaPushTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private const string UsersSql = "CREATE TABLE public.users (id integer PRIMARY KEY, name text); INSERT INTO public.users VALUES (1, 'ann'), (2, 'bo');";

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    private static DatabaseModel Users(string? nameColumn)
    {
        var builder = new SchemaBuilder();
        builder.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            if (nameColumn is not null)
                t.Column(nameColumn, Types.Text);
        });
        return builder.Build();
    }

    private static PushOptions Options(bool dryRun = false) =>
        new(Tracking, new IntrospectionOptions(), RenameDecisions.None, new SessionTimeouts(null, null), TimeSpan.FromMinutes(30), dryRun);

    private static PushCallbacks Accepting(bool accept, List<IReadOnlyList<DataLoss>>? told = null, IRenameQuestions? renames = null) => new()
    {
        Applying = (_, losses, _) =>
        {
            told?.Add(losses);
            return Task.FromResult(accept);
        },
        Renames = renames,
    };

    private static Task<string> ColumnsAsync(TestDatabase database) =>
        database.ScalarAsync<string>("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'");

    private sealed class RenamesToFirst : IRenameQuestions
    {
        public List<RenameCandidate> Asked { get; } = [];

        public string? Ask(RenameCandidate candidate, IReadOnlyList<string> open)
        {
            Asked.Add(candidate);
            return open[0];
        }
    }

    [Fact]
    public async Task A_push_waits_for_the_migration_lock_says_so_and_applies_once_it_is_free()
    {
        await using var database = await fixture.CreateDatabaseAsync("push_lock", UsersSql);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callbacks = new PushCallbacks { Applying = (_, _, _) => Task.FromResult(true), WaitingForLock = _ => waiting.TrySetResult() };
        var held = await MigrationLock.AcquireAsync(database.DataSource, Tracking, TimeSpan.FromMinutes(1), _ => { }, default);

        var push = SchemaPush.PushAsync(Live(database), Users(null), Options(), callbacks, default);
        // Held by another session: the push says it waits, and has read or changed nothing yet.
        await Task.WhenAny(waiting.Task, push).WaitAsync(TimeSpan.FromMinutes(30));
        Assert.True(waiting.Task.IsCompleted);
        Assert.False(push.IsCompleted);
        Assert.Equal("id,name", await ColumnsAsync(database));
        await held.DisposeAsync();
        var result = await push;

        Assert.True(result.Applied);
        Assert.Equal("id", await ColumnsAsync(database));
    }

    [Fact]
    public async Task A_possible_rename_that_nobody_can_decide_is_refused_and_one_that_is_answered_keeps_the_data()
    {
        await using var database = await fixture.CreateDatabaseAsync("push_rename", UsersSql);

        var refused = await Assert.ThrowsAsync<UnresolvedRenamesException>(() =>
            SchemaPush.PushAsync(Live(database), Users("full_name"), Options(), Accepting(true), default));
        Assert.Equal(ObjectKind.Column, refused.Candidates.Single().Kind);
        Assert.Equal("id,name", await ColumnsAsync(database));

        var questions = new RenamesToFirst();
        var result = await SchemaPush.PushAsync(Live(database), Users("full_name"), Options(), Accepting(false, renames: questions), default);

        Assert.True(result.Applied);
        Assert.Equal("public.users.name", questions.Asked.Single().Dropped);
        Assert.Equal("id,full_name", await ColumnsAsync(database));
        Assert.Equal("ann", await database.ScalarAsync<string>("SELECT full_name FROM public.users WHERE id = 1"));
    }

    [Fact]
    public async Task A_plan_that_loses_data_is_told_with_its_row_counts_and_applied_only_when_accepted()
    {
        await using var database = await fixture.CreateDatabaseAsync("push_loss", UsersSql);
        var told = new List<IReadOnlyList<DataLoss>>();

        await Assert.ThrowsAsync<DataLossNotAcceptedException>(() =>
            SchemaPush.PushAsync(Live(database), Users(null), Options(), Accepting(false, told), default));

        var loss = told.Single().Single();
        Assert.Equal(new QualifiedName("public", "users"), loss.Table);
        Assert.Equal(2L, loss.Rows);
        Assert.Equal("id,name", await ColumnsAsync(database));

        var result = await SchemaPush.PushAsync(Live(database), Users(null), Options(), Accepting(true, told), default);
        Assert.True(result.Applied);
        Assert.Equal(loss, result.Losses.Single());
        Assert.Equal("id", await ColumnsAsync(database));
    }

    [Fact]
    public async Task A_dry_run_plans_and_changes_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("push_dry", UsersSql);
        var told = new List<IReadOnlyList<DataLoss>>();

        var result = await SchemaPush.PushAsync(Live(database), Users(null), Options(dryRun: true), Accepting(true, told), default);

        Assert.False(result.Applied);
        Assert.True(result.Plan.LosesData);
        Assert.Contains("DROP COLUMN", result.Plan.Script.Text);
        Assert.Empty(told);
        Assert.Equal("id,name", await ColumnsAsync(database));
    }
}
