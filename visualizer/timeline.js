// The OCPP message timeline (direction, action, time, payload, CALLERRORs) and the detail of a
// message: its frame and the transitions it caused.
import { changedParts, formatValue } from './model.js';

/** Rows shown at most (the newest); older ones stay in the model and the filters reach them. */
const MAX_ROWS = 2000;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The time of day of an RFC 3339 instant, with milliseconds. */
function clockTime(time) {
  return typeof time === 'string' && time.length >= 23 ? time.slice(11, 23) : time;
}

function row(message, index, selected) {
  const tr = el('tr', `message kind-${message.kind} dir-${message.direction}`);
  tr.dataset.index = String(index);
  tr.dataset.action = message.action;
  tr.dataset.kind = message.kind;
  tr.dataset.direction = message.direction;
  if (selected) tr.classList.add('selected');
  tr.append(
    el('td', 'time', clockTime(message.time)),
    el('td', 'direction', message.direction === 'out' ? 'station → CSMS' : 'CSMS → station'),
    el('td', 'kind', message.kind),
    el('td', 'action', message.action || '?'),
    el('td', 'summary', message.kind === 'CALLERROR' ? `${message.errorCode}` : summary(message.payload)),
    el('td', 'caused', message.transitions.length === 0 ? '' : `${message.transitions.length} ⟳`),
  );
  return tr;
}

function summary(payload) {
  const text = JSON.stringify(payload) ?? '';
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

/**
 * Renders the rows of `messages` (filtered already) into `tbody`.
 * @param {HTMLElement} tbody
 * @param {Array<any>} messages
 * @param {(message: any) => number} indexOf  the message's index in the model (stable across filters)
 * @param {number} selected  index of the selected message, or -1
 */
export function renderTimeline(tbody, messages, indexOf, selected) {
  const shown = messages.slice(-MAX_ROWS);
  tbody.replaceChildren(...shown.map((m) => row(m, indexOf(m), indexOf(m) === selected)));
}

/** Appends rows for messages that arrived since the last render (live, no filter change). */
export function appendTimeline(tbody, messages, indexOf) {
  tbody.append(...messages.map((m) => row(m, indexOf(m), false)));
  while (tbody.children.length > MAX_ROWS) tbody.firstElementChild.remove();
}

/**
 * The detail of one message: what it was and the transitions it caused (until the next frame).
 * @param {HTMLElement} container
 * @param {any} message
 * @param {() => void} showStates  moves the charts to just after this message
 */
export function renderDetail(container, message, showStates) {
  container.replaceChildren();
  if (message === undefined) {
    container.append(el('p', 'hint', 'Click a message to see its payload and the transitions it caused.'));
    return;
  }
  const head = el(
    'h3',
    '',
    `${message.kind} ${message.action} (${message.direction === 'out' ? 'station → CSMS' : 'CSMS → station'}) at ${message.time}`,
  );
  const button = el('button', 'show-states', 'Show the charts right after this message');
  button.type = 'button';
  button.addEventListener('click', showStates);
  const payload = el('pre', 'payload', JSON.stringify(message.frame, null, 2));
  const title = el(
    'h4',
    '',
    message.transitions.length === 0
      ? 'No state changes until the next message.'
      : 'State changes it caused (until the next message)',
  );
  const list = el('table', 'transitions-caused');
  for (const t of message.transitions) {
    const tr = el('tr', 'caused-transition');
    tr.dataset.actor = t.actor;
    tr.dataset.to = formatValue(t.to);
    tr.title = `${formatValue(t.from)} → ${formatValue(t.to)}`;
    const changed = changedParts(t.from, t.to);
    tr.append(
      el('td', 'actor', t.actor),
      el('td', 'from', changed.from),
      el('td', 'arrow', '→'),
      el('td', 'to', changed.to + (t.status === 'active' ? '' : ` (${t.status})`)),
      el('td', 'event', t.event),
    );
    list.append(tr);
  }
  container.append(head, button, title, list, el('h4', '', 'Frame'), payload);
}
