// Answers queries over a read-only connection, beside the writer (WAL lets both run at once).
import { parentPort } from 'node:worker_threads';
import { createReaderMethods } from './reader-methods.ts';
import { serve } from './rpc.ts';

if (!parentPort) throw new Error('reader-worker must run as a worker thread');
serve(parentPort, createReaderMethods());
