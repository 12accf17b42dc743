namespace PbxRouter.IntegrationTests;
