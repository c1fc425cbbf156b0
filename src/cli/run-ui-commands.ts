/**
 * The console commands of the station's user interface: `display` (what the simulated screen
 * shows, O01–O06 and I01–I06) and `customer add` (customer data for N09/N10).
 */
import type { MessageInfoType } from '../generated/ocpp-types.js';
import type { ScreenContent } from '../runtime/station-user-interface.js';
import type { CliEventBody } from './cli-events.js';
import type { ConsoleCommand } from './console-commands.js';
import type { CommandOutcome } from './run-console-command.js';
import type { SimulatedStation } from './simulated-station.js';

/**
 * The `display` events of a screen: each message in display order, then the tariff texts (one per
 * language) and the cost (or its fallback text). Shapes in docs/cli.md.
 *
 * @example
 * displayEvents(cp.screen(), (tx) => cp.evseOfTransaction(tx)); // [{ type: 'display', id: 1, ... }]
 */
export function displayEvents(
  screen: ScreenContent,
  evseOfTransaction: (transactionId: string) => number | undefined,
): CliEventBody[] {
  const events: CliEventBody[] = screen.messages.map((m) => messageEvent(m, evseOfTransaction));
  const { tariff, cost, totalCostFallback, currency, numberOfDecimals } = screen.tariffCost;
  for (const text of tariff?.message ?? []) {
    events.push({
      type: 'display',
      kind: 'tariff',
      source: tariff!.kind,
      format: text.format,
      language: text.language ?? null,
      content: text.content,
      ...(tariff!.transactionId === undefined ? {} : { transactionId: tariff!.transactionId }),
      ...(tariff!.idToken === undefined ? {} : { idToken: tariff!.idToken.idToken }),
    });
  }
  if (cost) {
    events.push({
      type: 'display',
      kind: 'cost',
      transactionId: cost.transactionId,
      state: cost.state,
      content: `${cost.cost.toFixed(numberOfDecimals ?? 2)}${currency === undefined ? '' : ` ${currency}`}`,
      cost: cost.cost,
      ...(currency === undefined ? {} : { currency }),
    });
  } else if (totalCostFallback) {
    events.push({
      type: 'display',
      kind: 'cost',
      transactionId: totalCostFallback.transactionId ?? '',
      state: 'Fallback',
      content: totalCostFallback.message[0]?.content ?? '',
    });
  }
  return events;
}

function messageEvent(m: MessageInfoType, evseOfTransaction: (transactionId: string) => number | undefined): CliEventBody {
  const evseId = m.display?.evse?.id ?? (m.transactionId === undefined ? undefined : evseOfTransaction(m.transactionId));
  return {
    type: 'display',
    id: m.id,
    priority: m.priority,
    state: m.state ?? null,
    format: m.message.format,
    language: m.message.language ?? null,
    content: m.message.content,
    ...(m.transactionId === undefined ? {} : { transactionId: m.transactionId }),
    ...(evseId === undefined ? {} : { evseId }),
  };
}

/** The human line of one `display` event (the `display` command's message, one per line). */
function screenLine(event: CliEventBody): string {
  if (event.type !== 'display') return '';
  if (!('kind' in event)) {
    return `#${event.id} [${event.priority}${event.state ? `, ${event.state}` : ''}${event.language ? `, ${event.language}` : ''}] ${event.content}`;
  }
  if (event.kind === 'cost') return `cost (${event.state}): ${event.content}`;
  return `tariff${event.language ? ` (${event.language})` : ''}: ${event.content}`;
}

/**
 * Runs `display`: the screen's events, and their human lines as the message.
 *
 * @example
 * const { events } = displayCommand(station);
 */
export function displayCommand(station: SimulatedStation): CommandOutcome {
  const cp = station.cp;
  const evseOf = (transactionId: string) =>
    station.evses.find((e) => cp.getTransactionId(e.id) === transactionId)?.id;
  const events = displayEvents(cp.screen(), evseOf);
  const lines = events.map(screenLine);
  const shown = events.filter((e) => e.type === 'display' && !('kind' in e)).length;
  return {
    ok: true,
    message: lines.length === 0 ? 'the screen shows nothing' : lines.join('\n'),
    data: { messages: shown, texts: events.length - shown },
    events,
  };
}

/**
 * Runs `customer add`: the text is stored under the identifier (persisted).
 *
 * @example
 * await customerCommand(station, { name: 'customer', action: 'add', customerIdentifier: 'c-1', text: 'Jane' });
 */
export async function customerCommand(
  station: SimulatedStation,
  command: Extract<ConsoleCommand, { name: 'customer' }>,
): Promise<CommandOutcome> {
  await station.customers.add(command.customerIdentifier, command.text, station.cp.clock.nowIso());
  return {
    ok: true,
    message: `customer ${command.customerIdentifier}: ${command.text.length} characters of customer data stored`,
    data: { customerIdentifier: command.customerIdentifier, characters: command.text.length },
  };
}
