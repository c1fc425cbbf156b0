/**
 * A log of JSON lines with rotation (N01: the logs GetLog uploads): `<name>.jsonl` receives appends;
 * when it would grow past `maxBytes` it becomes `<name>.1.jsonl` (the older ones shift up to
 * `<name>.<files-1>.jsonl`, the oldest is dropped). Each line is an object with a `time` (RFC 3339),
 * so a time window (oldestTimestamp / latestTimestamp) can be read back, oldest first.
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
}

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
  private size: number | null = null;

  constructor(private readonly options: JsonLinesLogOptions) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.files = Math.max(1, options.files ?? 5);
  }

  /** The file of generation `n` (0: the current one). */
  file(n = 0): string {
    const { directory, name } = this.options;
    return path.join(directory, n === 0 ? `${name}.jsonl` : `${name}.${n}.jsonl`);
  }

  /** Appends one line (synchronously: the order of lines is the order of calls). */
  append(line: LogLine): void {
    const text = `${JSON.stringify(line)}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.size === null) {
      mkdirSync(this.options.directory, { recursive: true });
      this.size = existsSync(this.file()) ? statSync(this.file()).size : 0;
    }
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.file(), text, { mode: 0o600 });
    this.size += bytes;
  }

  /**
   * The lines whose `time` lies in [oldest, latest] (either bound optional), oldest file first.
   * Unreadable lines are skipped.
   */
  lines(window: { oldest?: string; latest?: string } = {}): LogLine[] {
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
          const at = Date.parse(line.time);
          if (at >= from && at <= to) out.push(line);
        } catch {
          // A line cut by a power loss is not part of the log.
        }
      }
    }
    return out;
  }

  private rotate(): void {
    rmSync(this.file(this.files - 1), { force: true });
    for (let n = this.files - 2; n >= 0; n -= 1) {
      if (existsSync(this.file(n))) renameSync(this.file(n), this.file(n + 1));
    }
    this.size = 0;
  }
}
