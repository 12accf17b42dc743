namespace PbxRouter.Calls;
