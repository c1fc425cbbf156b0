// The visualizer page: connects to its server's websocket (/ws), keeps a model per station, and
// draws the actors' charts and the message timeline; a recording opened from a file is replayed
// the same way without any server data. Everything is served by the station: no internet.
import { createChartView } from './chart.js';
import { compareActors, formatValue, parseRecording, StationModel } from './model.js';
import { appendTimeline, renderDetail, renderTimeline } from './timeline.js';

const $ = (id) => document.getElementById(id);

const ui = {
  picker: $('station-picker'),
  status: $('connection-status'),
  file: $('recording-file'),
  cursor: $('cursor'),
  follow: $('follow'),
  play: $('play'),
  cursorLabel: $('cursor-label'),
  charts: $('charts'),
  actionFilter: $('filter-action'),
  actorFilter: $('filter-actor'),
  rows: $('timeline-rows'),
  detail: $('detail'),
  error: $('error'),
};

const app = {
  machines: {},
  /** station id → { model, origin: 'server' | 'file' } */
  stations: new Map(),
  current: '',
  /** Number of events the charts show; null: all of them, following live. */
  cursor: null,
  /** Index of the selected message in the model, or -1. */
  selected: -1,
  /** actor → { section, view, summary } for the current station. */
  views: new Map(),
  /** What the timeline shows: key of station + filters, and how many messages are drawn. */
  drawn: { key: '', count: 0 },
  playTimer: null,
  renderQueued: false,
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = message === '';
}

function stationEntry(id, origin) {
  let entry = app.stations.get(id);
  if (!entry) {
    entry = { model: new StationModel(), origin };
    app.stations.set(id, entry);
  }
  return entry;
}

function refreshPicker() {
  const ids = [...app.stations.keys()];
  ui.picker.replaceChildren(
    ...ids.map((id) => {
      const option = el('option', '', app.stations.get(id).origin === 'file' ? `${id} (recording)` : id);
      option.value = id;
      return option;
    }),
  );
  if (!app.stations.has(app.current)) selectStation(ids[0] ?? '');
  else ui.picker.value = app.current;
}

function selectStation(id) {
  app.current = id;
  ui.picker.value = id;
  app.cursor = null;
  app.selected = -1;
  ui.follow.checked = true;
  ui.charts.replaceChildren();
  app.views.clear();
  app.drawn = { key: '', count: 0 };
  document.body.dataset.station = id;
  scheduleRender();
}

function currentModel() {
  return app.stations.get(app.current)?.model;
}

function scheduleRender() {
  if (app.renderQueued) return;
  app.renderQueued = true;
  requestAnimationFrame(() => {
    app.renderQueued = false;
    render();
  });
}

function render() {
  const model = currentModel();
  if (!model) {
    ui.charts.replaceChildren(el('p', 'hint', 'No station attached yet.'));
    return;
  }
  const count = app.cursor ?? model.events.length;
  ui.cursor.max = String(model.events.length);
  ui.cursor.value = String(count);
  const at = model.events[count - 1];
  ui.cursorLabel.textContent = `${count} / ${model.events.length} events${at ? ` · ${at.time}` : ''}`;
  renderCharts(model, model.actorsAt(count));
  renderFilters(model);
  renderMessages(model);
  document.body.dataset.events = String(model.events.length);
}

/** Finished actors (ended transactions, used reservations) drawn at most: the most recent ones. */
const SHOWN_FINISHED = 5;

function renderCharts(model, actors) {
  // A long session ends many transactions; only the latest finished ones keep a chart.
  const finished = [...actors.values()].filter((a) => a.status === 'done').sort((a, b) => b.seq - a.seq);
  const hidden = new Set(finished.slice(SHOWN_FINISHED).map((a) => a.actor));
  const names = [...actors.keys()].filter((name) => !hidden.has(name)).sort(compareActors);
  for (const [actor, entry] of app.views) {
    if (!actors.has(actor) || hidden.has(actor)) {
      entry.section.remove();
      app.views.delete(actor);
    }
  }
  let previous = null;
  for (const name of names) {
    const state = actors.get(name);
    const chart = app.machines[state.machine];
    let entry = app.views.get(name);
    if (!entry) {
      const section = el('details', 'actor');
      section.open = state.machine !== 'station';
      section.dataset.actor = name;
      section.dataset.machine = state.machine;
      const summary = el('summary');
      const view = chart ? createChartView(chart) : null;
      section.append(summary, view ? view.element : el('p', 'hint', `no chart for machine ${state.machine}`));
      entry = { section, view, summary };
      app.views.set(name, entry);
    }
    // Keep the document order of the sorted names.
    if (
      previous === null
        ? ui.charts.firstElementChild !== entry.section
        : previous.nextElementSibling !== entry.section
    ) {
      if (previous === null) ui.charts.prepend(entry.section);
      else previous.after(entry.section);
    }
    previous = entry.section;
    entry.section.dataset.status = state.status;
    entry.section.dataset.value = formatValue(state.value);
    entry.summary.replaceChildren(
      el('span', 'actor-name', name),
      el('span', 'machine', state.machine),
      el('span', 'value', formatValue(state.value)),
      el('span', 'status', state.status === 'active' ? '' : state.status),
      el('span', 'last-event', state.event ? `after ${state.event}` : ''),
    );
    entry.view?.update(state.value, state.from, state.event);
  }
  if (names.length === 0) ui.charts.replaceChildren(el('p', 'hint', 'No actor has reported yet.'));
}

function renderFilters(model) {
  const fill = (select, values, label) => {
    const current = select.value;
    const have = [...select.options].map((o) => o.value).join('\n');
    const want = ['', ...values].join('\n');
    if (have === want) return;
    select.replaceChildren(
      ...['', ...values].map((v) => {
        const option = el('option', '', v === '' ? label : v);
        option.value = v;
        return option;
      }),
    );
    select.value = values.includes(current) ? current : '';
  };
  fill(ui.actionFilter, [...model.actions].sort(), 'all actions');
  fill(ui.actorFilter, [...model.actors.keys()].sort(compareActors), 'all actors');
}

function renderMessages(model) {
  const filters = { action: ui.actionFilter.value, actor: ui.actorFilter.value };
  const key = `${app.current}\n${filters.action}\n${filters.actor}\n${app.selected}`;
  const indexOf = (m) => m.index;
  const unfiltered = filters.action === '' && filters.actor === '';
  if (key === app.drawn.key && unfiltered) {
    // Live: only new rows; of the rows drawn, only the last one's count of transitions can change.
    updateCount(model, ui.rows.lastElementChild);
    appendTimeline(ui.rows, model.messages.slice(app.drawn.count), indexOf);
    updateCount(model, ui.rows.lastElementChild);
  } else {
    renderTimeline(ui.rows, model.filtered(filters), indexOf, app.selected);
  }
  app.drawn = { key, count: model.messages.length };
  const selected = model.messages[app.selected];
  if (
    ui.detail.dataset.index !== String(app.selected) ||
    (selected && ui.detail.dataset.caused !== String(selected.transitions.length))
  ) {
    ui.detail.dataset.index = String(app.selected);
    ui.detail.dataset.caused = String(selected?.transitions.length ?? 0);
    renderDetail(ui.detail, selected, () => {
      setCursor(model.positionAfter(selected));
    });
  }
}

function updateCount(model, row) {
  const message = row ? model.messages[Number(row.dataset.index)] : undefined;
  if (message)
    row.querySelector('.caused').textContent =
      message.transitions.length === 0 ? '' : `${message.transitions.length} ⟳`;
}

function setCursor(count) {
  const model = currentModel();
  if (!model) return;
  const live = count >= model.events.length;
  app.cursor = live ? null : Math.max(0, count);
  ui.follow.checked = live;
  scheduleRender();
}

function receive(message) {
  if (message.type === 'hello') {
    app.machines = message.machines;
    for (const id of message.stations) stationEntry(id, 'server');
    refreshPicker();
  } else if (message.type === 'stations') {
    for (const [id, entry] of app.stations) {
      if (entry.origin === 'server' && !message.stations.includes(id)) app.stations.delete(id);
    }
    for (const id of message.stations) stationEntry(id, 'server');
    refreshPicker();
  } else if (message.type === 'events') {
    stationEntry(message.station, 'server').model.add(message.events);
    if (!app.stations.has(app.current)) refreshPicker();
    if (message.station === app.current) scheduleRender();
  }
}

function connect() {
  const socket = new WebSocket(`ws://${location.host}/ws`);
  socket.addEventListener('open', () => {
    ui.status.textContent = 'live';
    ui.status.className = 'live';
  });
  socket.addEventListener('message', (event) => {
    try {
      receive(JSON.parse(event.data));
    } catch (error) {
      showError(`a message from the station could not be shown: ${error.message}`);
    }
  });
  socket.addEventListener('close', () => {
    ui.status.textContent = 'disconnected (retrying)';
    ui.status.className = 'down';
    setTimeout(connect, 1000);
  });
}

ui.picker.addEventListener('change', () => selectStation(ui.picker.value));
ui.actionFilter.addEventListener('change', scheduleRender);
ui.actorFilter.addEventListener('change', scheduleRender);
ui.cursor.addEventListener('input', () => setCursor(Number(ui.cursor.value)));
ui.follow.addEventListener('change', () =>
  setCursor(ui.follow.checked ? Infinity : (currentModel()?.events.length ?? 0)),
);
ui.rows.addEventListener('click', (event) => {
  const tr = event.target.closest('tr.message');
  if (!tr) return;
  app.selected = Number(tr.dataset.index);
  for (const row of ui.rows.querySelectorAll('tr.selected')) row.classList.remove('selected');
  tr.classList.add('selected');
  scheduleRender();
});
ui.play.addEventListener('click', () => {
  if (app.playTimer !== null) {
    clearInterval(app.playTimer);
    app.playTimer = null;
    ui.play.textContent = '▶ replay';
    return;
  }
  const model = currentModel();
  if (!model) return;
  if (app.cursor === null) setCursor(0);
  ui.play.textContent = '❚❚ pause';
  // One message (and the state changes it caused) per step.
  app.playTimer = setInterval(() => {
    const at = app.cursor ?? model.events.length;
    const next = model.messages.find((m) => m.position >= at);
    setCursor(next === undefined ? Infinity : model.positionAfter(next));
    if (next === undefined) ui.play.click();
  }, 600);
});
ui.file.addEventListener('change', async () => {
  const file = ui.file.files?.[0];
  if (!file) return;
  try {
    const recording = parseRecording(await file.text(), file.name);
    const id = `${recording.stationId ?? 'station'} · ${file.name}`;
    app.stations.delete(id);
    stationEntry(id, 'file').model.add(recording.events);
    refreshPicker();
    selectStation(id);
    showError('');
  } catch (error) {
    showError(error.message);
  }
  ui.file.value = '';
});

connect();
