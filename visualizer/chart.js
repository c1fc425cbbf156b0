// Draws one actor's statechart from its machine's serialized definition (src/visualizer/
// machine-graph.ts): nested boxes, compound states' children side by side, parallel regions
// dashed; each state lists the transitions leaving it. Active states are highlighted from the
// actor's state value. Our own layout: the browser's flow layout places the boxes.

/** How many transitions a state lists before the rest fold away. */
const SHOWN_TRANSITIONS = 6;

/**
 * The ids of the states a state value makes active (the root included).
 * @param {{ root: any }} chart
 * @param {unknown} value  xstate state value: 'a' or { a: 'b', c: { d: 'e' } }
 * @returns {Set<string>}
 */
export function activeStateIds(chart, value) {
  const ids = new Set([chart.root.id]);
  const walk = (node, v) => {
    if (typeof v === 'string') {
      const child = node.states.find((s) => s.key === v);
      if (child) ids.add(child.id);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [key, sub] of Object.entries(v)) {
      const child = node.states.find((s) => s.key === key);
      if (!child) continue;
      ids.add(child.id);
      walk(child, sub);
    }
  };
  walk(chart.root, value);
  return ids;
}

/** A target's name relative to its source, short enough for a list. */
function targetName(sourceId, targetId, rootId) {
  if (targetId === sourceId) return '↺ itself';
  const rel = targetId.startsWith(`${rootId}.`) ? targetId.slice(rootId.length + 1) : targetId;
  const parts = rel.split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : rel;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function transitionItem(state, t, rootId) {
  const li = el('li', 'transition');
  li.dataset.event = t.event;
  li.append(el('span', 'event', t.label));
  if (t.guard) li.append(el('span', 'guard', `[${t.guard}]`));
  const targets =
    t.targets.length === 0
      ? '(actions only)'
      : t.targets.map((id) => targetName(state.id, id, rootId)).join(', ');
  li.append(el('span', 'arrow', ' → '), el('span', 'target', targets));
  li.dataset.targets = t.targets.join(' ');
  return li;
}

function stateBox(state, rootId, initialKey) {
  const box = el('div', `state type-${state.type}`);
  box.dataset.stateId = state.id;
  const head = el('div', 'state-head');
  head.append(el('span', 'state-name', state.key));
  if (state.key === initialKey) head.append(el('span', 'badge', 'initial'));
  if (state.type === 'final') head.append(el('span', 'badge', 'final'));
  if (state.type === 'parallel') head.append(el('span', 'badge', 'parallel'));
  for (const src of state.invoke) head.append(el('span', 'badge invoke', `invokes ${src}`));
  if (state.description) head.title = state.description;
  box.append(head);
  if (state.transitions.length > 0) {
    const list = el('ul', 'transitions');
    const items = state.transitions.map((t) => transitionItem(state, t, rootId));
    list.append(...items.slice(0, SHOWN_TRANSITIONS));
    box.append(list);
    if (items.length > SHOWN_TRANSITIONS) {
      const more = el('details', 'more');
      more.append(el('summary', '', `${items.length - SHOWN_TRANSITIONS} more transitions`));
      const rest = el('ul', 'transitions');
      rest.append(...items.slice(SHOWN_TRANSITIONS));
      more.append(rest);
      box.append(more);
    }
  }
  if (state.states.length > 0) {
    const children = el('div', state.type === 'parallel' ? 'children regions' : 'children');
    for (const child of state.states) children.append(stateBox(child, rootId, state.initial));
    box.append(children);
  }
  return box;
}

/**
 * Builds the chart's DOM once; `update` moves the highlight.
 * @param {{ machine: string, root: any }} chart
 */
export function createChartView(chart) {
  const element = el('div', 'chart');
  element.dataset.machine = chart.machine;
  element.append(stateBox(chart.root, chart.root.id, undefined));
  const boxes = new Map([...element.querySelectorAll('[data-state-id]')].map((b) => [b.dataset.stateId, b]));
  return {
    element,
    /**
     * @param {unknown} value  the actor's state value
     * @param {unknown} from   its previous value (states it just entered are marked)
     * @param {string} event   the event that made the change (its transitions are marked)
     */
    update(value, from, event) {
      const active = activeStateIds(chart, value);
      const before = from === null || from === undefined ? new Set() : activeStateIds(chart, from);
      for (const [id, box] of boxes) {
        box.classList.toggle('active', active.has(id));
        box.classList.toggle('entered', before.size > 0 && active.has(id) && !before.has(id));
      }
      for (const item of element.querySelectorAll('li.transition')) {
        const box = item.closest('[data-state-id]');
        item.classList.toggle('taken', item.dataset.event === event && before.has(box.dataset.stateId));
      }
      return active;
    },
  };
}
