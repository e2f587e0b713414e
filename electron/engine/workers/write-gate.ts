/**
 * Who may write to the case on the writer thread right now. A tail's file is stored in one
 * transaction that stays open while its parse worker sends it batch after batch (so parsing the
 * next rows and writing the last ones overlap): while it is open, any other write on this thread
 * (another import's batch, an annotation, the free-text index) would land inside it, and be
 * committed or rolled back with it. Those writes wait for it instead, in the order they came.
 */
export class WriteGate {
  private holder: object | undefined;
  private readonly waiting: (() => void)[] = [];

  /** True when nobody holds the gate, or `who` does. */
  mayWrite(who?: object): boolean {
    return this.holder === undefined || this.holder === who;
  }

  get held(): boolean {
    return this.holder !== undefined;
  }

  /** `who` keeps the gate (its transaction is open) until `release`. */
  hold(who: object): void {
    if (!this.mayWrite(who)) throw new Error('another import holds the case open for writing');
    this.holder = who;
  }

  /** Lets the waiting writes run, in order, until one of them holds the gate again. */
  release(who: object): void {
    if (this.holder !== who) return;
    this.holder = undefined;
    while (this.waiting.length > 0 && this.holder === undefined) (this.waiting.shift() as () => void)();
  }

  /** Calls `retry` when the gate is next released (it checks `mayWrite` again itself). */
  whenReleased(retry: () => void): void {
    this.waiting.push(retry);
  }

  /** Runs `write` as soon as nobody holds the gate (at once if nobody does). */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = (): void => {
        if (!this.mayWrite()) return this.whenReleased(attempt);
        try {
          resolve(write());
        } catch (error) {
          reject(error as Error);
        }
      };
      attempt();
    });
  }
}

/**
 * Work of one writer (an import) done in order, each piece only when it may write: a piece that
 * must wait holds back the ones after it, so its writes keep their order.
 */
export class GatedQueue {
  private readonly gate: WriteGate;
  private readonly who: object;
  private readonly pending: (() => void)[] = [];
  private waiting = false;

  constructor(gate: WriteGate, who: object) {
    this.gate = gate;
    this.who = who;
  }

  push(work: () => void): void {
    this.pending.push(work);
    this.drain();
  }

  private drain(): void {
    if (this.waiting) return;
    while (this.pending.length > 0) {
      if (!this.gate.mayWrite(this.who)) {
        this.waiting = true;
        this.gate.whenReleased(() => {
          this.waiting = false;
          this.drain();
        });
        return;
      }
      (this.pending.shift() as () => void)();
    }
  }
}
