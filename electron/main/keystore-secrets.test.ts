import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { KeystoreSecrets, type Keystore } from './keystore-secrets.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

/** A stand-in keystore: reversible, and visibly not the plain text. */
function keystore(available: boolean, backend = 'gnome_libsecret'): Keystore {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
    decryptString: (encrypted) => Buffer.from([...encrypted].map((b) => b ^ 0x5a)).toString(),
  };
}

describe('source passwords in the desktop app', () => {
  it('are stored only encrypted by the keystore, and survive a restart', () => {
    const file = temp.file('secrets.json');
    new KeystoreSecrets(file, keystore(true), 'linux').set('src-a1b2', 'hunter2-secret');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2-secret');
    const again = new KeystoreSecrets(file, keystore(true), 'linux');
    expect([again.persistent, again.get('src-a1b2')]).toEqual([true, 'hunter2-secret']);
    again.set('src-a1b2', undefined);
    expect(new KeystoreSecrets(file, keystore(true), 'linux').get('src-a1b2')).toBeUndefined();
  });

  it('are never written where there is no real keystore: asked again next session', () => {
    for (const [available, backend] of [
      [false, 'gnome_libsecret'],
      [true, 'basic_text'],
    ] as const) {
      const file = temp.file(`none-${backend}-${available}.json`);
      const secrets = new KeystoreSecrets(file, keystore(available, backend), 'linux');
      secrets.set('src-a1b2', 'hunter2-secret');
      expect([secrets.persistent, secrets.get('src-a1b2'), existsSync(file)]).toEqual([
        false,
        'hunter2-secret',
        false,
      ]);
      expect(
        new KeystoreSecrets(file, keystore(available, backend), 'linux').get('src-a1b2'),
      ).toBeUndefined();
    }
  });
});
