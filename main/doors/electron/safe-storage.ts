import { safeStorage } from 'electron';

/**
 * Makes Electron's safeStorage (the OS keychain / libsecret / DPAPI) available to host code that keeps
 * secrets, such as endpoint API keys. Host code reads it through globalThis so it never imports electron.
 */
export function installSafeStorage(): void {
  if (!safeStorage.isEncryptionAvailable()) return;
  (globalThis as { __pulseSafeStorage?: unknown }).__pulseSafeStorage = {
    encrypt: (plain: string) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher: string) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}
