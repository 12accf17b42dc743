using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("PbxRouter.Calls.Tests")]
