using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Introspection;
using Strata.Testing;
using Xunit.Abstractions;

namespace Strata.IntegrationTests.Introspection;

public sealed class IntrospectionScaleTests(PostgresFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task The_number_of_queries_sent_does_not_grow_with_the_number_of_tables()
    {
        await using var small = await fixture.CreateDatabaseAsync("scale_small", Schema(tables: 1));
        await using var large = await fixture.CreateDatabaseAsync("scale_large", Schema(tables: 200));

        var (smallExecutions, smallModel) = await ReadCountingAsync(small);
        var (largeExecutions, largeModel) = await ReadCountingAsync(large);

        Assert.Single(smallModel.Tables);
        Assert.Equal(200, largeModel.Tables.Count);
        Assert.Equal(200 + 199, largeModel.Tables.Sum(t => t.Indexes.Count + t.ForeignKeys.Count));
        // One batch (two SETs and the catalog queries; BEGIN rides along with it) and the COMMIT, whatever the size.
        string[] expected = [$"batch of {CatalogQueries.All.Count + 2}", "CommittedTransaction"];
        Assert.Equal(expected, smallExecutions);
        Assert.Equal(expected, largeExecutions);
    }

    [Fact]
    public async Task A_thousand_tables_are_read_in_a_few_seconds_at_most()
    {
        await using var database = await fixture.CreateDatabaseAsync("scale_1000", Schema(tables: 1000));
        await using var connection = await database.OpenConnectionAsync();
        await PostgresIntrospector.ReadAsync(connection); // warm the catalog caches and the code

        var clock = Stopwatch.StartNew();
        var model = await PostgresIntrospector.ReadAsync(connection);
        clock.Stop();

        output.WriteLine($"1000 tables, {model.Tables.Sum(t => t.Columns.Count)} columns read in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1000, model.Tables.Count);
        // The aim is under 2 s on a quiet machine; the bound leaves room for a loaded CI box.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    /// <summary>Tables with 11 columns, a default, a check, a unique, an index and a foreign key to the previous table each.</summary>
    private static string Schema(int tables)
    {
        var sql = new StringBuilder("CREATE TYPE state AS ENUM ('draft', 'live');\n");
        for (var i = 0; i < tables; i++)
        {
            sql.Append($"""
                CREATE TABLE t{i} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    code varchar(20) NOT NULL UNIQUE,
                    name text NOT NULL DEFAULT '',
                    amount numeric(12,2) CHECK (amount >= 0),
                    state state NOT NULL DEFAULT 'draft',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    tags text[],
                    data jsonb,
                    flag boolean DEFAULT false,
                    ratio double precision,
                    parent_id bigint{(i > 0 ? $" REFERENCES t{i - 1} (id)" : "")}
                );
                CREATE INDEX t{i}_created_idx ON t{i} (created_at DESC);

                """);
        }
        return sql.ToString();
    }

    private static async Task<(List<string> Executions, Model.DatabaseModel Model)> ReadCountingAsync(TestDatabase database)
    {
        var log = new CommandLog();
        await using var dataSource = new NpgsqlDataSourceBuilder(database.ConnectionString)
            .UseLoggerFactory(log)
                        .Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        log.Executions.Clear();
        var model = await PostgresIntrospector.ReadAsync(connection);
        return (log.Executions.ToList(), model);
    }

    /// <summary>Records each round trip Npgsql makes: a command, a batch (with its number of statements), a commit.</summary>
    private sealed class CommandLog : ILoggerFactory
    {
        public ConcurrentQueue<string> Executions { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(CommandLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var name = eventId.Name ?? "";
                if (category == "Npgsql.Command" && name.StartsWith("ExecutingBatch", StringComparison.Ordinal))
                {
                    var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                    var statements = fields.Single(f => f.Key == "BatchCommands").Value as Array;
                    log.Executions.Enqueue($"batch of {statements?.Length}");
                }
                else if (category == "Npgsql.Command" && name.StartsWith("ExecutingCommand", StringComparison.Ordinal))
                {
                    log.Executions.Enqueue("command");
                }
                else if (category == "Npgsql.Transaction" && name is "CommittedTransaction" or "RolledBackTransaction")
                {
                    log.Executions.Enqueue(name);
                }
            }
        }
    }
}
