namespace PbxRouter.Ari;
