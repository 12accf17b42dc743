namespace PbxRouter.Ari.Tests;
