import type { WebSocket } from 'ws';
import { CallRequest, type ServerMessage } from '../../shared/transport.ts';
import { dispatch, type Implementation } from '../engine/dispatch.ts';

/** Larger frames are refused: the biggest legitimate call (10,000 import paths) is well under. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * Serves the contract over one WebSocket. Every frame is parsed and checked against the request
 * shape, then `dispatch` validates the call's own arguments, exactly as the IPC handler does.
 */
export function serveSocket(socket: WebSocket, implementation: Implementation): void {
  // Result handles this page opened and has not closed: a page that goes away (reload, closed
  // tab) never says goodbye, so its handles are closed with its socket.
  const openHandles = new Set<string>();
  socket.on('close', () => {
    for (const handle of openHandles) void dispatch(implementation, 'query.close', [handle]);
    openHandles.clear();
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send(socket, { error: 'binary frames are not accepted' });
      return;
    }
    let request: CallRequest;
    try {
      const parsed = CallRequest.safeParse(JSON.parse(String(data)));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'malformed request');
      request = parsed.data;
    } catch (error) {
      send(socket, { error: `malformed request: ${(error as Error).message}` });
      return;
    }
    void dispatch(implementation, request.call, request.args).then((outcome) => {
      if (outcome.ok && request.call === 'query.open') {
        // The page may have gone while the result was opening: nobody will close it then.
        if (socket.readyState === socket.OPEN) openHandles.add(outcome.value as string);
        else void dispatch(implementation, 'query.close', [outcome.value]);
      }
      if (outcome.ok && request.call === 'query.close') openHandles.delete((request.args as [string])[0]);
      send(socket, { id: request.id, outcome });
    });
  });
}

export function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}
