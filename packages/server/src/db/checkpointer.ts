// A worker thread that checkpoints a SQLite database in WAL mode once a second, on a connection
// of its own: copying WAL pages into the database file runs on another core instead of between
// requests on the main thread, where it cost about 5% of an install's CPU. Under steady writes
// its pass never quite catches up (frames arrive while it copies), and the WAL restarts from its
// beginning only after a checkpoint copied every frame; so after each pass the main thread runs
// one more, between transactions, which has only the last few frames left to copy.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const db = new SQLite(path);
db.pragma('busy_timeout = 0');

/** Copies what it can of the WAL into the database, then tells the main thread to finish. */
function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again.
  }
  parentPort?.postMessage('copied');
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.close();
});
