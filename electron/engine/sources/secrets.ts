/**
 * Where source passwords are kept. Never in the sources file, never sent to the page, never in
 * a log or an export. The desktop app keeps them encrypted by the OS keystore (Electron
 * safeStorage, in main); this in-memory store serves the CLI and serve mode, and the desktop app
 * where no OS keystore exists (then the password is asked for again in each session).
 */
export interface SecretStore {
  /** False when a password does not survive a restart (it will be asked for again). */
  readonly persistent: boolean;
  get(id: string): string | undefined;
  set(id: string, secret: string | undefined): void;
}

export class MemorySecrets implements SecretStore {
  readonly persistent = false;
  private readonly secrets = new Map<string, string>();
  /** `AUDITSCOPE_SOURCE_PASSWORD`: the password for sources given none (scripts, serve mode). */
  private readonly fallback: string | undefined;

  constructor(environment: NodeJS.ProcessEnv = process.env) {
    this.fallback = environment.AUDITSCOPE_SOURCE_PASSWORD;
  }

  get(id: string): string | undefined {
    return this.secrets.get(id) ?? this.fallback;
  }

  set(id: string, secret: string | undefined): void {
    if (secret === undefined) this.secrets.delete(id);
    else this.secrets.set(id, secret);
  }
}
