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

/** The `id` of the cost text on the simulated screen (never a CSMS message id: those are >= 0). */
export const COST_TEXT_ID = -1;
/** The `id` of the first tariff text (the next language is one lower). */
export const FIRST_TARIFF_TEXT_ID = -2;

/**
 * The `display` events of a screen: each message in display order, then the tariff texts (one per
 * language) and the cost (or its fallback text), all in the shape of a display message (issue 11:
 * the screen shows tariff and cost "like any display message"). Shapes in docs/cli.md.
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
  const evseOf = (transactionId: string | undefined) => {
    const evseId = transactionId === undefined || transactionId === '' ? undefined : evseOfTransaction(transactionId);
    return evseId === undefined ? {} : { evseId };
  };
  (tariff?.message ?? []).forEach((text, index) => {
    events.push({
      type: 'display',
      id: FIRST_TARIFF_TEXT_ID - index,
      priority: 'NormalCycle',
      state: null,
      format: text.format,
      language: text.language ?? null,
      content: text.content,
      ...(tariff!.transactionId === undefined ? {} : { transactionId: tariff!.transactionId }),
      ...evseOf(tariff!.transactionId),
      kind: 'tariff',
      source: tariff!.kind,
      ...(tariff!.idToken === undefined ? {} : { idToken: tariff!.idToken.idToken }),
    });
  });
  if (cost) {
    events.push({
      type: 'display',
      id: COST_TEXT_ID,
      priority: 'NormalCycle',
      // I02 is shown while charging; the final cost (I03) after it, when the station is idle again.
      state: cost.state === 'Charging' ? 'Charging' : 'Idle',
      format: 'UTF8',
      language: null,
      content: `${cost.cost.toFixed(numberOfDecimals ?? 2)}${currency === undefined ? '' : ` ${currency}`}`,
      transactionId: cost.transactionId,
      ...evseOf(cost.transactionId),
      kind: 'cost',
      costState: cost.state,
      cost: cost.cost,
      ...(currency === undefined ? {} : { currency }),
      // California pricing: what the CSMS sent about prices is on the screen with the cost.
      ...(cost.californiaPricing === undefined ? {} : { pricing: cost.californiaPricing }),
      ...(cost.qrCodeText === undefined ? {} : { qrCodeText: cost.qrCodeText }),
    });
  } else if (totalCostFallback) {
    const text = totalCostFallback.message[0];
    events.push({
      type: 'display',
      id: COST_TEXT_ID,
      priority: 'NormalCycle',
      state: 'Idle',
      format: text?.format ?? 'UTF8',
      language: text?.language ?? null,
      content: text?.content ?? '',
      transactionId: totalCostFallback.transactionId ?? '',
      ...evseOf(totalCostFallback.transactionId),
      kind: 'cost',
      costState: 'Fallback',
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
  if (event.kind === 'cost') return `cost (${event.costState}): ${event.content}`;
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
