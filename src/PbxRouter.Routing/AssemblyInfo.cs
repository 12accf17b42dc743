namespace PbxRouter.Routing;
