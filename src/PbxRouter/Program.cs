using System.CommandLine;
using PbxRouter.Cli;

// No termination timeout from the command-line library (its default kills the process 2 s after SIGTERM): `serve` and
// `watchdog` stop through the host's own console lifetime, which hands calls over and lets the call records drain
// within the host's shutdown timeout; the short commands end on their own.
return await CliRoot.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
