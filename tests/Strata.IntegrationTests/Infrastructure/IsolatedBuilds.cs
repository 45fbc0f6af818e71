using System.Runtime.CompilerServices;

namespace Strata.IntegrationTests.Infrastructure;

/// <summary>
/// Every build these tests start (strata building a schema project, the tool fixture's dotnet pack) gets MSBuild
/// worker nodes of its own. With node reuse, a build takes over idle nodes that other builds on the machine left
/// behind, and when one of those is shut down under it the build fails with MSB4166 "Child node exited
/// prematurely": seen here twice, each time in the tool fixture's pack while other builds ran on the machine
/// (the same cure as microsoft/testfx#7375 and dotnet/runtime#11188). Child processes inherit the variable.
/// </summary>
internal static class IsolatedBuilds
{
    [ModuleInitializer]
    internal static void DisableNodeReuse() => Environment.SetEnvironmentVariable("MSBUILDDISABLENODEREUSE", "1");
}
