export {
  AccessTokenCache,
  type TAccessTokenCacheOptions,
  type TFetchedToken,
} from "./access-token.cache.js";
export { credentialHint } from "./credential-hint.js";
export {
  CREDENTIAL_KINDS,
  CREDENTIAL_SCHEMAS,
  ZCredentialKind,
  isCredentialKind,
  parseCredentialPayload,
  type TCredentialKind,
  type TCredentialPayload,
  type TCredentialPayloads,
} from "./credential-kinds.schema.js";
export {
  CredentialVault,
  createVault,
  type TCredentialDescription,
  type TVaultOptions,
} from "./credential.vault.js";
export {
  countCredentialsByKeyVersion,
  rotateMasterKey,
  type TRotationFailure,
  type TRotationOptions,
  type TRotationProgress,
  type TRotationResult,
} from "./key-rotation.js";
export { ZMasterKeyEnv, loadMasterKeyring, type TMasterKeyEnv } from "./master-key.config.js";
export { MASTER_KEY_BYTES, MasterKeyring, generateMasterKey } from "./master-keyring.js";
export { VaultError, type TVaultErrorCode } from "./vault.errors.js";
