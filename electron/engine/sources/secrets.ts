/**
 * Where source passwords are kept. Never in the sources file, never sent to the page, never in
 * a log or an export. The desktop app keeps them encrypted by the OS keystore (Electron
 * safeStorage, in main); this in-memory store serves the CLI and serve mode, and the desktop app
 * where no OS keystore exists (then the password is asked for again in each session).
 */
export interface SecretStore {
  /** False when a password does not survive a restart (it will be asked for again). */
  readonly persistent: boolean;
  /** The password of source `id` (named `name`: the environment can name one by it). */
  get(id: string, name: string): string | undefined;
  set(id: string, secret: string | undefined): void;
}

/** `AUDITSCOPE_SOURCE_PASSWORD_<NAME>`: the source's name in capitals, other characters `_`. */
export function passwordVariable(name: string): string {
  return `AUDITSCOPE_SOURCE_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export class MemorySecrets implements SecretStore {
  readonly persistent = false;
  private readonly secrets = new Map<string, string>();
  private readonly environment: NodeJS.ProcessEnv;

  /**
   * A source given no password here takes the one its own variable names (scripts, serve mode):
   * one variable per source, so a password never goes to a server it was not meant for.
   */
  constructor(environment: NodeJS.ProcessEnv = process.env) {
    this.environment = environment;
  }

  get(id: string, name: string): string | undefined {
    return this.secrets.get(id) ?? this.environment[passwordVariable(name)];
  }

  set(id: string, secret: string | undefined): void {
    if (secret === undefined) this.secrets.delete(id);
    else this.secrets.set(id, secret);
  }
}
