import { Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';

/** A method table a worker serves: every method takes plain (structured-cloneable) arguments. */
export type Methods = Record<string, (...args: never[]) => unknown>;

interface Request {
  id: number;
  method: string;
  args: unknown[];
}
type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };
/** A message a worker sends unasked (progress, notices). */
export interface Notice {
  notice: string;
  payload: unknown;
}

type Promised<M extends Methods> = {
  [K in keyof M]: (...args: Parameters<M[K]>) => Promise<Awaited<ReturnType<M[K]>>>;
};

/** Serves `methods` to the thread that created this worker (or to whoever holds `port`). */
export function serve(port: MessagePort, methods: Methods): void {
  port.on('message', async (message: Request) => {
    const method = methods[message.method];
    try {
      if (!method) throw new Error(`unknown method ${message.method}`);
      const value = await (method as (...args: unknown[]) => unknown)(...message.args);
      port.postMessage({ id: message.id, ok: true, value } satisfies Response);
    } catch (error) {
      const { name, message: text } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id: message.id, ok: false, error: { name, message: text } } satisfies Response);
    }
  });
}

/** The calling side of `serve`: a typed proxy whose every method returns a promise. */
export class WorkerClient<M extends Methods> {
  readonly call: Promised<M>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;

  constructor(entry: URL, options: WorkerOptions, onNotice?: (notice: Notice) => void) {
    this.worker = new Worker(entry, options);
    this.worker.on('message', (message: Response | Notice) => {
      if ('notice' in message) {
        onNotice?.(message);
        return;
      }
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
    });
    const failAll = (error: Error): void => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => failAll(new Error(`worker exited with code ${code}`)));
    this.call = new Proxy({} as Promised<M>, {
      get:
        (_target, method: string) =>
        (...args: unknown[]) =>
          this.request(method, args),
    });
  }

  private request(method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args } satisfies Request);
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error('worker closed');
    await this.worker.terminate();
  }
}

/**
 * Where a worker entry lives: beside this module, `.ts` when running from source (Node strips
 * types), `.js` in the build, where electron-vite emits every entry flat into one folder.
 */
export function workerEntry(name: string): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, import.meta.url);
}
