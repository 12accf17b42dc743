namespace PbxRouter.Store;
