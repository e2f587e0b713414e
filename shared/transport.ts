import { z } from 'zod';
import type { CallOutcome, PushName } from './contract.ts';

/**
 * The serve-mode WebSocket protocol: the contract's calls as numbered requests, answers carrying
 * the same outcome Electron IPC returns, and pushes. JSON text frames, one message each.
 */
export const CallRequest = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  // Name and arguments stay unknown here: `dispatch` checks them against the contract, so a bad
  // call still gets an answer under its id.
  call: z.unknown(),
  args: z.unknown(),
});
export type CallRequest = z.infer<typeof CallRequest>;

export type ServerMessage =
  { id: number; outcome: CallOutcome<unknown> } | { push: PushName; payload: unknown } | { error: string };

/** The path of the WebSocket endpoint in serve mode. */
export const SOCKET_PATH = '/engine';

/** Electron IPC: the one channel every call goes through, and the one pushes come on. */
export const CALL_CHANNEL = 'auditscope:call';
export const PUSH_CHANNEL = 'auditscope:push';
/** Electron IPC, preload to main only: the path of a file dropped on the window (see PathGrants). */
export const DROPPED_CHANNEL = 'auditscope:dropped';
