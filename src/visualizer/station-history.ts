/**
 * The events of one attached station, numbered, kept for pages opened later. Bounded: when full,
 * the older half is dropped except each actor's latest state (so a late page still draws every
 * actor where it is, and only loses old messages).
 */
import type { VisualizerEvent } from './source.js';

/** An event with its number in the station's stream (from 1). */
export type NumberedEvent = VisualizerEvent & { seq: number };

/** Default bound of {@link StationHistory}. */
export const DEFAULT_MAX_EVENTS = 50_000;

/**
 * @example
 * const history = new StationHistory(1000);
 * history.add({ type: 'frame', direction: 'out', frame: [2, '1', 'Heartbeat', {}], time: '2026-01-01T00:00:00.000Z' }); // { seq: 1, ... }
 * history.all().length; // 1
 */
export class StationHistory {
  private events: NumberedEvent[] = [];
  private seq = 0;

  constructor(private readonly max: number = DEFAULT_MAX_EVENTS) {
    if (!Number.isInteger(max) || max < 2)
      throw new RangeError(`maxEventsPerStation must be an integer >= 2, not ${max}`);
  }

  add(event: VisualizerEvent): NumberedEvent {
    this.seq += 1;
    const numbered = { ...event, seq: this.seq };
    this.events.push(numbered);
    if (this.events.length > this.max) this.trim();
    return numbered;
  }

  /** Every kept event, oldest first. */
  all(): NumberedEvent[] {
    return [...this.events];
  }

  private trim(): void {
    const cut = Math.floor(this.events.length / 2);
    const kept = this.events.slice(cut);
    const later = new Set(kept.flatMap((e) => (e.type === 'state' ? [e.actor] : [])));
    const latest = new Map<string, NumberedEvent>();
    for (const e of this.events.slice(0, cut)) {
      if (e.type === 'state' && !later.has(e.actor)) {
        if (e.status === 'active') latest.set(e.actor, e);
        else latest.delete(e.actor); // finished: nothing left to draw
      }
    }
    this.events = [...latest.values()].sort((a, b) => a.seq - b.seq).concat(kept);
  }
}
