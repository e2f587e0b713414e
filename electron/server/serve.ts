import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_PATH } from '../../shared/transport.ts';
import type { CaseHost } from '../engine/cases/case-host.ts';
import { forwardPushes, implementContract } from '../engine/dispatch.ts';
import type { SourceRegistry } from '../engine/sources/source-registry.ts';
import { allowedHosts, checkRequest, newToken, tokenCookie, type RequestFacts } from './serve-auth.ts';
import { MAX_MESSAGE_BYTES, send, serveSocket } from './socket-transport.ts';
import { securityHeaders, sendStaticFile } from './static-files.ts';
import { UPLOAD_PATH, receiveUpload } from './upload.ts';
import { sendDownload } from './download.ts';
import { EXPORT_DOWNLOAD_PATH } from '../../shared/domain/export.ts';

export interface ServeOptions {
  /** The open case, and the switch to others. */
  cases: CaseHost;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** A fixed token, for tests; otherwise a new random one. */
  token?: string;
  /** Where files uploaded by the page are stored; default: a folder beside the open case file. */
  uploadDir?: string;
  /** Saved database sources; default: in memory for this run. */
  sources?: SourceRegistry;
  /** Folders of Sigma rules the Detections view runs. */
  ruleFolders?: readonly string[];
}

export interface RunningServer {
  /** What to open: the page URL with the token. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serve mode: the built UI and the engine's contract over a WebSocket, on 127.0.0.1 only. Every
 * request and every socket must present the token (see serve-auth.ts).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const uploadDir = (): string => options.uploadDir ?? `${options.cases.current.path}.uploads`;
  const implementation = {
    ...implementContract(options.cases, options.sources, { ruleFolders: options.ruleFolders }),
    // The page never names a file for the server to write: exports are downloads (POST /export).
    'export.start': () => Promise.reject(new Error('in serve mode exports are downloaded: use Export…')),
  };
  const sockets = new Set<WebSocket>();
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const server = createServer((request, response) => {
    const verdict = checkRequest(factsOf(request), token, port);
    if (!verdict.ok) {
      response.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`${verdict.reason}\n`);
      return;
    }
    const headers = securityHeaders(port);
    if (request.method === 'POST' && (request.url ?? '').split('?', 1)[0] === UPLOAD_PATH) {
      // Only our own page posts files: its Origin is ours (a cross-site form cannot carry the
      // SameSite cookie anyway, and cannot set the X-File-Name header without a preflight).
      if (!sameOrigin(request.headers.origin, port) || request.headers['x-file-name'] === undefined) {
        response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('uploads come from the Auditscope page only\n');
        return;
      }
      void receiveUpload(request, response, uploadDir(), headers);
      return;
    }
    if (request.method === 'POST' && (request.url ?? '').split('?', 1)[0] === EXPORT_DOWNLOAD_PATH) {
      // Exports and reports write the journal and may start a browser: only our own page asks
      // (another page on this machine, even on another port of 127.0.0.1, has another Origin).
      // Our page's form posts carry `Origin: null` (its no-referrer policy), so the browser's own
      // Sec-Fetch-Site, which a page cannot set, vouches for them.
      const fromOurPage =
        sameOrigin(request.headers.origin, port) ||
        ((request.headers.origin === undefined || request.headers.origin === 'null') &&
          request.headers['sec-fetch-site'] === 'same-origin');
      if (!fromOurPage) {
        response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('exports come from the Auditscope page only\n');
        return;
      }
      void sendDownload(request, options.cases, response, headers);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    if (verdict.setCookie) headers['Set-Cookie'] = tokenCookie(token, port);
    sendStaticFile(options.rendererDir, request.url ?? '/', response, headers);
  });

  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    };
    const verdict = checkRequest(factsOf(request), token, port, true);
    if (!verdict.ok) return refuse(`${verdict.status} Refused`);
    if ((request.url ?? '').split('?', 1)[0] !== SOCKET_PATH) return refuse('404 Not Found');
    socketServer.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      serveSocket(ws, implementation);
    });
  });

  const stopPushes = forwardPushes(options.cases, (push, payload) => {
    for (const ws of sockets) send(ws, { push, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: async () => {
      stopPushes();
      for (const ws of sockets) ws.terminate();
      socketServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sameOrigin(origin: string | undefined, port: number): boolean {
  return allowedHosts(port).some((host) => origin === `http://${host}`);
}

function factsOf(request: IncomingMessage): RequestFacts {
  return {
    url: request.url ?? '/',
    host: request.headers.host,
    cookie: request.headers.cookie,
    origin: request.headers.origin,
  };
}
