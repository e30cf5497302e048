// Public API of @rchat/crypto: pure (no Node built-ins, no DOM), runs in Node 20 and browsers.

// Identity and device certificates
export {
  generateIdentityKeyPair,
  encodeIdentityKeyPair,
  decodeIdentityKeyPair,
  type IdentityKeyPair,
  type IdentityKeyPairDecoding,
} from './identity/identity-key.ts';
export {
  issueDeviceCertificate,
  certificateVersion,
  type DeviceCertificate,
  type DeviceCertificateFields,
  type IssueCertificateInput,
} from './certificate/device-certificate.ts';
export {
  encodeDeviceCertificate,
  decodeDeviceCertificate,
  deviceCertificateToBase64,
  deviceCertificateFromBase64,
  type CertificateDecoding,
} from './certificate/certificate-codec.ts';
export {
  verifyDeviceCertificate,
  keyFingerprint,
  deviceKeyFingerprint,
  type CertificateExpectations,
  type CertificateVerification,
} from './certificate/verify-certificate.ts';

// Cipher suites (operator policy)
export {
  defaultCipherSuite,
  supportedCipherSuites,
  isSupportedCipherSuite,
  isPostQuantumCipherSuite,
  cipherSuiteName,
  chooseCipherSuite,
  type CipherSuiteId,
  type CipherSuiteChoice,
} from './mls/cipher-suites.ts';

// Devices, trust and the Authentication Service
export {
  createDeviceKeys,
  renewDeviceKeys,
  generateDeviceSignatureKeyPair,
  encodeDeviceKeys,
  decodeDeviceKeys,
  type DeviceKeys,
  type CreateDeviceKeysInput,
  type SignatureKeyPair,
  type DeviceKeysDecoding,
} from './mls/device-keys.ts';
export { staticTrustSource, type TrustSource, type StaticTrustEntry } from './mls/trust-source.ts';
export {
  checkCredential,
  type CredentialProblem,
  type CredentialCheck,
  type CredentialPolicy,
} from './mls/authentication-service.ts';
export { credentialForCertificate, certificateOfCredential } from './mls/credential.ts';
export { createMlsClient, type MlsClient, type MlsClientOptions } from './mls/mls-client.ts';

// Signing in as an existing device (proof of its key)
export {
  deviceLoginStatement,
  signDeviceLogin,
  verifyDeviceLogin,
} from './device-login/device-login.ts';

// KeyPackages
export {
  generateKeyPackage,
  generateKeyPackages,
  keyPackageCertificate,
  encodeKeyPackageBundle,
  decodeKeyPackageBundle,
  lastResortExtensionType,
  type KeyPackageBundle,
  type KeyPackageOptions,
  type KeyPackageBundleDecoding,
} from './mls/key-packages.ts';

// Groups
export type { Group } from './mls/group.ts';
export {
  groupMembers,
  ownMember,
  epochAuthenticator,
  isActiveMember,
  type GroupMember,
} from './mls/group-view.ts';
export { createGroup, type CreateGroupOptions } from './mls/create-group.ts';
export { addMembers } from './mls/add-members.ts';
export { removeDevices, removeUsers, type DeviceRef } from './mls/remove-members.ts';
export { selfUpdate } from './mls/self-update.ts';
export { confirmCommit, type PendingCommit, type CommitOutcome } from './mls/pending-commit.ts';
export { joinGroup, type JoinOutcome } from './mls/join-group.ts';
export {
  encryptMessage,
  type EncryptOptions,
  type EncryptedMessage,
} from './mls/encrypt-message.ts';
export {
  receiveMessage,
  type ReceiveOutcome,
  type UndecryptableReason,
} from './mls/receive-message.ts';
export { exportGroup, importGroup, type GroupImport } from './mls/group-codec.ts';
export { paddedLength } from './mls/padding.ts';

// Envelope
export {
  encodeEnvelope,
  decodeEnvelope,
  textEnvelope,
  envelopeVersion,
  type OutgoingEnvelope,
  type TextEnvelope,
  type DecodedEnvelope,
} from './envelope/envelope.ts';

// Safety numbers
export {
  safetyNumber,
  fingerprintDigits,
  formatSafetyNumber,
  safetyNumberIterations,
  type SafetyNumberParty,
} from './safety-number/safety-number.ts';

// State at rest
export {
  sealAtRest,
  openAtRest,
  generateStorageKey,
  type StorageKey,
  type OpenResult,
} from './at-rest/seal.ts';
export { sealGroup, openGroup, type OpenGroupResult } from './at-rest/seal-group.ts';

// Primitives called directly (strict Ed25519, X25519, HKDF/HMAC-SHA256, AES-GCM with 12-byte
// nonces)
export {
  signEd25519,
  verifyEd25519,
  ed25519PublicKey,
  generateEd25519KeyPair,
  type Ed25519KeyPair,
} from './primitives/ed25519.ts';
export { x25519SharedSecret, x25519PublicKey, type X25519Result } from './primitives/x25519.ts';
export { hkdfSha256, hmacSha256 } from './primitives/hkdf.ts';
export { aesGcmSeal, aesGcmOpen, type AesKey } from './primitives/aes-gcm.ts';
export { toBase64, fromBase64 } from './util/base64.ts';

// Device linking, secret storage (recovery key, passphrase) and message backup
export {
  generateRecoveryKey,
  parseRecoveryKey,
  recoveryKeyBytes,
} from './recovery/recovery-key.ts';
export {
  createSecretStorage,
  addPassphrase,
  openSecretStorage,
  defaultPassphraseCost,
  minPassphraseLength,
  passphraseProblem,
  passphraseCostOf,
  type AccountSecrets,
  type PassphraseCost,
  type SecretStorageUnlock,
  type SecretStorageOpening,
} from './recovery/secret-storage.ts';
export {
  generateBackupSeed,
  backupPublicKey,
  sealBackupEntry,
  openBackupEntry,
  type BackupWriter,
  type BackupEntryOpening,
} from './backup/backup-entry.ts';
export { formatLinkCode, parseLinkCode, linkCodeMatches, type LinkCode } from './link/link-code.ts';
export {
  createLinkOffer,
  answerLinkOffer,
  type LinkChannel,
  type LinkOffer,
} from './link/link-channel.ts';
