import type { SecretStore } from '../engine/sources/secrets.ts';
import { readJsonFile, writeJsonFile } from '../engine/cases/json-file.ts';

/** The part of Electron's safeStorage used here (so tests can stand in). */
export interface Keystore {
  isEncryptionAvailable(): boolean;
  /** Linux only: `basic_text` means no real keystore (the "encryption" is a fixed key). */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Source passwords encrypted by the operating system's keystore (Keychain, DPAPI, libsecret /
 * kwallet) in a small file of the user's data folder; decrypted only in main, only to connect.
 * Where no real keystore exists, nothing is written: passwords live in memory for the session and
 * are asked for again next time, rather than stored in what would amount to plain text.
 */
export class KeystoreSecrets implements SecretStore {
  readonly persistent: boolean;
  private readonly memory = new Map<string, string>();
  private readonly file: string;
  private readonly keystore: Keystore;

  constructor(file: string, keystore: Keystore, platform: NodeJS.Platform = process.platform) {
    this.file = file;
    this.keystore = keystore;
    this.persistent =
      keystore.isEncryptionAvailable() &&
      !(platform === 'linux' && keystore.getSelectedStorageBackend?.() === 'basic_text');
  }

  get(id: string, _name?: string): string | undefined {
    const cached = this.memory.get(id);
    if (cached !== undefined || !this.persistent) return cached;
    const encrypted = this.stored()[id];
    if (encrypted === undefined) return undefined;
    try {
      const plain = this.keystore.decryptString(Buffer.from(encrypted, 'base64'));
      this.memory.set(id, plain);
      return plain;
    } catch {
      // Another user's or machine's keystore: the password must be given again.
      return undefined;
    }
  }

  set(id: string, secret: string | undefined): void {
    if (secret === undefined) this.memory.delete(id);
    else this.memory.set(id, secret);
    if (!this.persistent) return;
    const others = Object.entries(this.stored()).filter(([key]) => key !== id);
    const mine = secret === undefined ? [] : [[id, this.keystore.encryptString(secret).toString('base64')]];
    writeJsonFile(this.file, Object.fromEntries([...others, ...mine]));
  }

  private stored(): Record<string, string> {
    const value = readJsonFile(this.file);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {};
  }
}
