/**
 * Splits report data into the NotifyReportRequest messages of one report (B07.FR.03/B08.FR.03):
 * same requestId and generatedAt, seqNo 0, 1, ... (B07.FR.10/B08.FR.14), tbc true on all but the last.
 */
import { Buffer } from 'node:buffer';
import type { NotifyReportRequest, ReportDataType } from '../generated/ocpp-types.js';

export interface NotifyReportSplitOptions {
  requestId: number;
  /** RFC 3339 time the report was generated (the same in every part). */
  generatedAt: string;
  /** Most reportData entries per message; unlimited when absent. */
  itemsPerMessage?: number | undefined;
  /**
   * Most bytes per message, counted as the UTF-8 length of the whole OCPP-J CALL frame
   * `[2,"<messageId>","NotifyReport",{...}]`; unlimited when absent. An entry too large to fit
   * even alone is sent alone (it cannot be split; dropping it would lose data).
   */
  bytesPerMessage?: number | undefined;
  /** Length of the message ids the RPC layer generates (36: a UUID). Default 36. */
  messageIdLength?: number;
}

/**
 * Packs `reportData` greedily, in order, into as few NotifyReportRequests as the limits allow.
 * Returns one message without reportData when there is no data.
 *
 * @example
 * const parts = splitNotifyReport(model.baseReport('FullInventory'), {
 *   requestId: 7, generatedAt: '2025-01-31T12:00:00.000Z', itemsPerMessage: 100, bytesPerMessage: 2048,
 * });
 * parts.map((p) => [p.seqNo, p.tbc]); // [[0, true], [1, true], ..., [n, false]]
 */
export function splitNotifyReport(
  reportData: readonly ReportDataType[],
  options: NotifyReportSplitOptions,
): NotifyReportRequest[] {
  const { requestId, generatedAt, itemsPerMessage, bytesPerMessage, messageIdLength = 36 } = options;
  for (const [name, limit] of [
    ['itemsPerMessage', itemsPerMessage],
    ['bytesPerMessage', bytesPerMessage],
  ] as const) {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new RangeError(`${name} must be a positive integer, got ${limit}`);
  }
  const messageId = 'x'.repeat(messageIdLength);
  // Bytes of the frame around the entries, for a given seqNo: tbc:false is the longer of the two flags.
  const overhead = (seqNo: number): number =>
    Buffer.byteLength(
      JSON.stringify([
        2,
        messageId,
        'NotifyReport',
        { requestId, generatedAt, seqNo, tbc: false, reportData: [] },
      ]),
    );

  const groups: ReportDataType[][] = [];
  let group: ReportDataType[] = [];
  let bytes = overhead(0);
  for (const entry of reportData) {
    const size = Buffer.byteLength(JSON.stringify(entry));
    const separator = group.length > 0 ? 1 : 0;
    const fullByItems = itemsPerMessage !== undefined && group.length >= itemsPerMessage;
    const fullByBytes =
      bytesPerMessage !== undefined && group.length > 0 && bytes + separator + size > bytesPerMessage;
    if (fullByItems || fullByBytes) {
      groups.push(group);
      group = [];
      bytes = overhead(groups.length);
    }
    bytes += (group.length > 0 ? 1 : 0) + size;
    group.push(entry);
  }
  if (group.length > 0 || groups.length === 0) groups.push(group);

  return groups.map((entries, seqNo) => {
    const message: NotifyReportRequest = { requestId, generatedAt, seqNo, tbc: seqNo < groups.length - 1 };
    const [first, ...rest] = entries;
    if (first !== undefined) message.reportData = [first, ...rest];
    return message;
  });
}
