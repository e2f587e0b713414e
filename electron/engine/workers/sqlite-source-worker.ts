// Reads an SQLite database another application writes (a database source), off the case's thread.
import { parentPort } from 'node:worker_threads';
import { createSqliteSourceMethods } from '../sources/sqlite-reader.ts';
import { serve } from './rpc.ts';

if (!parentPort) throw new Error('sqlite-source-worker must run as a worker thread');
serve(parentPort, createSqliteSourceMethods());
