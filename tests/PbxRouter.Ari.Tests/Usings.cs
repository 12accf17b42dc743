global using NUnit.Framework;

namespace PbxRouter.Ari.Tests;
