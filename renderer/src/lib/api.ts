import type {
  CallArgs,
  CallName,
  CallOutcome,
  CallResult,
  PushName,
  PushPayload,
} from '../../../shared/contract.ts';
import { SOCKET_PATH, type ServerMessage } from '../../../shared/transport.ts';

/** What the preload exposes as window.auditscope (Electron). */
type Bridge = { [C in CallName]: (...args: CallArgs<C>) => Promise<CallOutcome<CallResult<C>>> } & {
  on(push: PushName, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
};

declare global {
  interface Window {
    auditscope?: Bridge;
  }
}

export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** One way to reach the engine: Electron IPC through the preload, or serve mode's WebSocket. */
interface Transport {
  call(name: CallName, args: unknown[]): Promise<CallOutcome<unknown>>;
  on(push: PushName, listener: (payload: unknown) => void): () => void;
  /** Called when a dropped connection is back (serve mode only; IPC never drops). */
  onReconnect(listener: () => void): () => void;
}

function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: (name, args) => (bridge[name] as (...a: unknown[]) => Promise<CallOutcome<unknown>>)(...args),
    on: (push, listener) => bridge.on(push, listener),
    onReconnect: () => () => undefined,
  };
}

const RECONNECT_MS = 1000;
const DISCONNECTED: CallOutcome<never> = {
  ok: false,
  error: { code: 'disconnected', message: 'the engine connection was lost' },
};

/**
 * Serve mode. The page's cookie (set when it was loaded with the token) authorizes the socket.
 * A call made while connecting waits for that attempt; one that fails, or a dropped connection,
 * fails the calls concerned at once (never leaving them hanging) and reconnects in the background.
 */
function socketTransport(url: string): Transport {
  const pending = new Map<number, (outcome: CallOutcome<unknown>) => void>();
  const listeners = new Map<PushName, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  let connected = false;
  let nextId = 1;
  let socket: WebSocket;
  /** Settles when the current attempt opens (true) or closes before opening (false). */
  let opened: Promise<boolean>;

  const connect = (): void => {
    socket = new WebSocket(url);
    opened = new Promise((resolve) => {
      socket.addEventListener(
        'open',
        () => {
          resolve(true);
          // The engine closed this page's results with the old connection, and pushes sent
          // meanwhile are lost: the page re-reads its state.
          if (connected) for (const listener of reconnectListeners) listener();
          connected = true;
        },
        { once: true },
      );
      socket.addEventListener('close', () => resolve(false), { once: true });
    });
    socket.addEventListener('message', (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      if ('id' in message) {
        pending.get(message.id)?.(message.outcome);
        pending.delete(message.id);
      } else if ('push' in message) {
        for (const listener of listeners.get(message.push) ?? []) listener(message.payload);
      } else {
        // The engine could not read one of our frames and so cannot say which call it was.
        console.warn(`engine: ${message.error}`);
      }
    });
    socket.addEventListener('close', () => {
      for (const settle of pending.values()) settle(DISCONNECTED);
      pending.clear();
      setTimeout(connect, RECONNECT_MS);
    });
  };
  connect();

  return {
    async call(name, args) {
      if (!(await opened) || socket.readyState !== WebSocket.OPEN) return DISCONNECTED;
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, call: name, args }));
      });
    },
    on(push, listener) {
      const set = listeners.get(push) ?? new Set();
      listeners.set(push, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

let transport: Transport | undefined;

function engine(): Transport {
  if (transport) return transport;
  if (window.auditscope) transport = bridgeTransport(window.auditscope);
  else transport = socketTransport(`ws://${window.location.host}${SOCKET_PATH}`);
  return transport;
}

/** Calls the engine through the contract; errors arrive as data and are rethrown here. */
export async function call<C extends CallName>(name: C, ...args: CallArgs<C>): Promise<CallResult<C>> {
  const outcome = await engine().call(name, args);
  if (!outcome.ok) throw new EngineError(outcome.error.code, outcome.error.message);
  return outcome.value as CallResult<C>;
}

/** Listens to an engine push; returns the unsubscribe. */
export function onPush<P extends PushName>(push: P, listener: (payload: PushPayload<P>) => void): () => void {
  return engine().on(push, listener as (payload: unknown) => void);
}

/** True in the desktop app: native dialogs and the application menu exist (not in serve mode). */
export function isDesktop(): boolean {
  return window.auditscope !== undefined;
}

/** Runs `listener` for each command of the desktop app's menu; returns the unsubscribe. */
export function onMenuCommand(listener: (command: PushPayload<'menu.command'>) => void): () => void {
  return onPush('menu.command', listener);
}

/** Listens for the engine connection coming back after a drop; returns the unsubscribe. */
export function onReconnect(listener: () => void): () => void {
  return engine().onReconnect(listener);
}

/**
 * Paths the engine can import for files the user dropped or picked: their own paths in the desktop
 * app; in serve mode (a browser cannot name local files) copies uploaded beside the case.
 */
export async function pathsForFiles(files: readonly File[], signal?: AbortSignal): Promise<string[]> {
  const bridge = window.auditscope;
  if (bridge) return files.map((file) => bridge.pathForFile(file));
  const paths: string[] = [];
  for (const file of files) {
    const response = await fetch('/upload', {
      method: 'POST',
      headers: { 'X-File-Name': encodeURIComponent(file.name) },
      body: file,
      signal,
    });
    if (!response.ok)
      throw new EngineError('upload-failed', `${file.name}: ${(await response.text()).trim()}`);
    paths.push(((await response.json()) as { path: string }).path);
  }
  return paths;
}
