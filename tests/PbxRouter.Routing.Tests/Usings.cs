namespace PbxRouter.Routing.Tests;
