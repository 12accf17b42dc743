namespace PbxRouter.Store.Tests;
