// The page's model of one station: its events in order (frames and actor state changes), the
// messages of the timeline with the transitions each caused, and the actors' states at any point.
// Pure (no DOM), so node tests import it too.

/**
 * @typedef {{ seq: number, type: 'frame', direction: 'in'|'out', frame: unknown, time: string }} FrameEvent
 * @typedef {{ seq: number, type: 'state', actor: string, machine: string, value: unknown, event: string, status: string, time: string }} StateEvent
 * @typedef {FrameEvent | StateEvent} StationEvent
 * @typedef {{ actor: string, machine: string, from: unknown, to: unknown, event: string, status: string, seq: number, time: string }} Transition
 * @typedef {{ index: number, seq: number, position: number, direction: 'in'|'out', frame: unknown, time: string, kind: string,
 *   messageId: string, action: string, errorCode: string, payload: unknown, transitions: Transition[] }} Message
 * @typedef {{ actor: string, machine: string, value: unknown, status: string, event: string, from: unknown, seq: number, time: string }} ActorState
 */

const KINDS = { 2: 'CALL', 3: 'CALLRESULT', 4: 'CALLERROR' };

/** The parts of an OCPP-J frame the timeline shows; `actionOf` finds the action of a response. */
export function describeFrame(frame, actionOf = () => '') {
  if (!Array.isArray(frame) || !(frame[0] in KINDS)) {
    return { kind: 'invalid', messageId: '', action: '', errorCode: '', payload: frame };
  }
  const kind = KINDS[frame[0]];
  const messageId = typeof frame[1] === 'string' ? frame[1] : String(frame[1]);
  if (kind === 'CALL') return { kind, messageId, action: String(frame[2]), errorCode: '', payload: frame[3] };
  if (kind === 'CALLRESULT')
    return { kind, messageId, action: actionOf(messageId), errorCode: '', payload: frame[2] };
  return {
    kind,
    messageId,
    action: actionOf(messageId),
    errorCode: String(frame[2]),
    payload: { errorCode: frame[2], errorDescription: frame[3], errorDetails: frame[4] },
  };
}

/** Actors in a readable order: station, connection, boot, then EVSEs, connectors, transactions, reservations. */
export function compareActors(a, b) {
  const rank = (name) =>
    ['station', 'connection', 'boot', 'evse', 'connector', 'transaction', 'reservation'].indexOf(
      name.split(':')[0],
    );
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return (ra === -1 ? 99 : ra) - (rb === -1 ? 99 : rb);
  return a.localeCompare(b, 'en', { numeric: true });
}

export class StationModel {
  constructor() {
    /** @type {StationEvent[]} */
    this.events = [];
    /** @type {Message[]} */
    this.messages = [];
    /** Transitions that happened before the first frame (the actors starting). @type {Transition[]} */
    this.beforeFirstFrame = [];
    /** @type {Map<string, ActorState>} */
    this.actors = new Map();
    /** CALL message id → action, both directions. */
    this.callActions = new Map();
    /** Every action seen, for the filter. */
    this.actions = new Set();
    this.lastSeq = 0;
  }

  /** Appends events in order; an event numbered at or below the last one is a duplicate and skipped. */
  add(events) {
    for (const event of events) {
      if (typeof event.seq === 'number' && event.seq <= this.lastSeq) continue;
      const numbered = typeof event.seq === 'number' ? event : { ...event, seq: this.lastSeq + 1 };
      this.lastSeq = numbered.seq;
      const position = this.events.length;
      this.events.push(numbered);
      if (numbered.type === 'frame') this.addFrame(numbered, position);
      else if (numbered.type === 'state') this.addState(numbered);
    }
  }

  addFrame(event, position) {
    const described = describeFrame(event.frame, (id) => this.callActions.get(id) ?? '');
    if (described.kind === 'CALL') this.callActions.set(described.messageId, described.action);
    if (described.action !== '') this.actions.add(described.action);
    this.messages.push({
      index: this.messages.length,
      seq: event.seq,
      position,
      direction: event.direction,
      frame: event.frame,
      time: event.time,
      ...described,
      transitions: [],
    });
  }

  addState(event) {
    const previous = this.actors.get(event.actor);
    /** @type {Transition} */
    const transition = {
      actor: event.actor,
      machine: event.machine,
      from: previous === undefined ? null : previous.value,
      to: event.value,
      event: event.event,
      status: event.status,
      seq: event.seq,
      time: event.time,
    };
    // What a frame caused: the state changes after it, until the next frame.
    const last = this.messages[this.messages.length - 1];
    (last === undefined ? this.beforeFirstFrame : last.transitions).push(transition);
    this.actors.set(event.actor, stateOf(event, previous));
  }

  /** The actors as they were after the first `count` events (all of them: the live state). */
  actorsAt(count = this.events.length) {
    if (count >= this.events.length) return this.actors;
    const actors = new Map();
    for (const event of this.events.slice(0, Math.max(0, count))) {
      if (event.type === 'state') actors.set(event.actor, stateOf(event, actors.get(event.actor)));
    }
    return actors;
  }

  /** Messages that pass the filters: an action, and an actor the message caused a transition of. */
  filtered({ action = '', actor = '' } = {}) {
    return this.messages.filter(
      (m) =>
        (action === '' || m.action === action) &&
        (actor === '' || m.transitions.some((t) => t.actor === actor)),
    );
  }

  /** Position just after the transitions a message caused (where the charts show its effect). */
  positionAfter(message) {
    const next = this.messages[message.index + 1];
    return next === undefined ? this.events.length : next.position;
  }
}

function stateOf(event, previous) {
  return {
    actor: event.actor,
    machine: event.machine,
    value: event.value,
    status: event.status,
    event: event.event,
    from: previous === undefined ? null : previous.value,
    seq: event.seq,
    time: event.time,
  };
}

/**
 * Reads the CLI's `--json` log (one event per line): `ocpp` events become frames, `state` events
 * state changes; other events are skipped. Throws an Error naming the line of anything else.
 */
export function parseRecording(text, name = 'recording') {
  const events = [];
  let stationId;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let event;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new Error(
        `${name}:${index + 1}: not JSON (${error.message}); a recording is the output of ocpp-station --json`,
      );
    }
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string')
      throw new Error(`${name}:${index + 1}: not a --json event (an object with a "type")`);
    const time = typeof event.time === 'string' ? event.time : '';
    if (event.type === 'station' && stationId === undefined) stationId = event.stationId;
    if (event.type === 'ocpp' && (event.direction === 'in' || event.direction === 'out')) {
      events.push({ type: 'frame', direction: event.direction, frame: event.frame, time });
    } else if (
      event.type === 'state' &&
      typeof event.actor === 'string' &&
      typeof event.machine === 'string'
    ) {
      events.push({
        type: 'state',
        actor: event.actor,
        machine: event.machine,
        value: event.value,
        event: typeof event.event === 'string' ? event.event : '',
        status: typeof event.status === 'string' ? event.status : 'active',
        time,
      });
    }
  });
  if (events.length === 0)
    throw new Error(`${name}: no "ocpp" or "state" events: is it the output of ocpp-station --json?`);
  return { stationId, events };
}

/** The active leaf paths of a state value: `{ a: 'b', c: { d: 'e' } }` → ['a.b', 'c.d.e']. */
export function leafPaths(value) {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([key, child]) => {
    const below = leafPaths(child);
    return below.length === 0 ? [key] : below.map((p) => `${key}.${p}`);
  });
}

/**
 * What a transition changed, as two short lists: the leaves left and the leaves entered (a parallel
 * machine's untouched regions are left out); both complete when nothing differs (a status change).
 */
export function changedParts(from, to) {
  const before = leafPaths(from);
  const after = leafPaths(to);
  const left = before.filter((p) => !after.includes(p));
  const entered = after.filter((p) => !before.includes(p));
  if (left.length === 0 && entered.length === 0) return { from: formatValue(from), to: formatValue(to) };
  return { from: left.length === 0 ? '∅' : left.join(', '), to: entered.join(', ') || '∅' };
}

/** A state value in one line: `status.Occupied, report.idle`. */
export function formatValue(value) {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  const parts = [];
  const walk = (node, prefix) => {
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix !== '') parts.push(prefix);
    for (const key of keys) {
      const child = node[key];
      const here = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof child === 'string') parts.push(`${here}.${child}`);
      else walk(child, here);
    }
  };
  walk(value, '');
  return parts.length === 0 ? '(root)' : parts.join(', ');
}
