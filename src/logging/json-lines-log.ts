/**
 * A log of JSON lines with rotation (N01: the logs GetLog uploads): `<name>.jsonl` receives appends;
 * when it would grow past `maxBytes` it becomes `<name>.1.jsonl` (the older ones shift up to
 * `<name>.<files-1>.jsonl`, the oldest is dropped). Each line is an object with a `time` (RFC 3339),
 * so a time window (oldestTimestamp / latestTimestamp) can be read back, oldest first.
 *
 * Appends are batched: lines wait in memory in call order and are written together
 * {@link FLUSH_DELAY_MS} after the first of them (or sooner past {@link FLUSH_BYTES}), one
 * open/write/close per file per batch, so a fleet writing one shared log
 * (src/logging/shared-logs.ts) costs one write per batch, not one per frame or per turn of the event
 * loop (issue 9: at thousands of heartbeats a second a batch per turn was a write of a few lines).
 * A read flushes first, and so does the last release of a shared log (a station's stop).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface JsonLinesLogOptions {
  directory: string;
  /** File name without extension, e.g. `security`. */
  name: string;
  /** Size (bytes) at which the current file is rotated; default 1 MiB. */
  maxBytes?: number;
  /** Files kept, the current one included; default 5. */
  files?: number;
  /**
   * Milliseconds a batch waits after its first line before it is written; default
   * {@link FLUSH_DELAY_MS}. 0: at the end of the turn of the event loop.
   */
  flushDelayMs?: number;
  /** A batched write failed (disk full, read-only directory); its lines are dropped. Default: ignored. */
  onError?: (error: unknown) => void;
}

/** Pending bytes past which a batch is written at once instead of after its delay. */
export const FLUSH_BYTES = 64 * 1024;

/**
 * Default wait of a batch (ms): short enough that a person tailing the file sees a frame at once,
 * long enough that a busy fleet writes hundreds of lines per write.
 */
export const FLUSH_DELAY_MS = 100;

/** One line: its time and whatever else was recorded. */
export type LogLine = { time: string } & Record<string, unknown>;

/**
 * @example
 * const log = new JsonLinesLog({ directory: '/var/lib/station/logs', name: 'security' });
 * log.append({ time: clock.nowIso(), type: 'StartupOfTheDevice' });
 * log.lines({ oldest: '2026-01-01T00:00:00Z' });
 */
export class JsonLinesLog {
  private readonly maxBytes: number;
  private readonly files: number;
  private readonly flushDelayMs: number;
  private size: number | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** The pending batch's write, armed by its first line. */
  private scheduled: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;

  constructor(private readonly options: JsonLinesLogOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.files = Math.max(1, options.files ?? 5);
    this.flushDelayMs = Math.max(0, options.flushDelayMs ?? FLUSH_DELAY_MS);
  }

  /** The file of generation `n` (0: the current one). */
  file(n = 0): string {
    const { directory, name } = this.options;
    return path.join(directory, n === 0 ? `${name}.jsonl` : `${name}.${n}.jsonl`);
  }

  /** Appends one line (the order of lines is the order of calls); written with the pending batch. */
  append(line: LogLine): void {
    this.appendJson(JSON.stringify(line));
  }

  /**
   * Appends one line its caller serialized: `json` must be one JSON object with a `time`, without
   * a line break (a hot writer builds it from parts it knows to be JSON, src/logging/station-logs.ts).
   *
   * @example
   * log.appendJson('{"time":"2026-01-01T00:00:00.000Z","n":1}');
   */
  appendJson(json: string): void {
    const text = `${json}\n`;
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= FLUSH_BYTES) {
      this.flushReporting();
      return;
    }
    if (this.scheduled !== null) return;
    const write = () => {
      this.scheduled = null;
      this.flushReporting();
    };
    this.scheduled = this.flushDelayMs === 0 ? setImmediate(write) : setTimeout(write, this.flushDelayMs);
  }

  /**
   * Writes the pending lines now, rotating where a file would grow past `maxBytes`. Throws what
   * the file system throws (the lines of that batch are dropped: a log is not a queue).
   */
  flush(): void {
    this.disarm();
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.size === null) {
      mkdirSync(this.options.directory, { recursive: true });
      this.size = existsSync(this.file()) ? statSync(this.file()).size : 0;
    }
    // Most batches fit the current file: one buffer and one write, no byte count per line.
    const batch = Buffer.from(lines.join(''));
    if (this.size + batch.length <= this.maxBytes) {
      appendFileSync(this.file(), batch, { mode: 0o600 });
      this.size += batch.length;
      return;
    }
    let chunk = '';
    let chunkBytes = 0;
    for (const text of lines) {
      const bytes = Buffer.byteLength(text);
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + bytes > this.maxBytes) {
        if (chunk !== '') appendFileSync(this.file(), chunk, { mode: 0o600 });
        this.rotate();
        chunk = '';
        chunkBytes = 0;
      }
      chunk += text;
      chunkBytes += bytes;
    }
    appendFileSync(this.file(), chunk, { mode: 0o600 });
    this.size += chunkBytes;
  }

  /**
   * The lines whose `time` lies in [oldest, latest] (either bound optional), oldest file first,
   * and, with `stationId`, only that station's lines (a fleet's stations share the files; a line
   * without a stationId is nobody's). Unreadable lines are skipped. Pending lines are written first.
   */
  lines(window: { oldest?: string; latest?: string } = {}, stationId?: string): LogLine[] {
    this.flushReporting();
    const from = window.oldest === undefined ? -Infinity : Date.parse(window.oldest);
    const to = window.latest === undefined ? Infinity : Date.parse(window.latest);
    const out: LogLine[] = [];
    for (let n = this.files - 1; n >= 0; n -= 1) {
      const file = this.file(n);
      if (!existsSync(file)) continue;
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (text === '') continue;
        try {
          const line = JSON.parse(text) as LogLine;
          if (stationId !== undefined && line['stationId'] !== stationId) continue;
          const at = Date.parse(line.time);
          if (at >= from && at <= to) out.push(line);
        } catch {
          // A line cut by a power loss is not part of the log.
        }
      }
    }
    return out;
  }

  private flushReporting(): void {
    try {
      this.flush();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** The batch is written now: its timer has nothing left to do (and must not hold the process). */
  private disarm(): void {
    const scheduled = this.scheduled;
    if (scheduled === null) return;
    this.scheduled = null;
    if (this.flushDelayMs === 0) clearImmediate(scheduled as ReturnType<typeof setImmediate>);
    else clearTimeout(scheduled as ReturnType<typeof setTimeout>);
  }

  private rotate(): void {
    rmSync(this.file(this.files - 1), { force: true });
    for (let n = this.files - 2; n >= 0; n -= 1) {
      if (existsSync(this.file(n))) renameSync(this.file(n), this.file(n + 1));
    }
    this.size = 0;
  }
}
