global using NUnit.Framework;
global using NodaTime;

namespace PbxRouter.Routing.Tests;
