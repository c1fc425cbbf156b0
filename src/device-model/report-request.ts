/**
 * The answer to a GetReportRequest (B08) from a device model's values: which criteria are
 * supported, and the matching report data (reports.ts).
 */
import type {
  GenericDeviceModelStatusEnumType,
  GetReportRequest,
  ReportDataType,
  StatusInfoType,
} from '../generated/ocpp-types.js';
import type { ModelIndex } from './model-index.js';
import { customReportData } from './reports.js';
import { csvEntries } from './value-check.js';
import { statusInfo } from './write-evaluation.js';

const CRITERIA = ['Active', 'Available', 'Enabled', 'Problem'] as const;

/**
 * NotSupported for criteria outside `supportedList` (InternalCtrlr.SupportedCriteria; all four when
 * the config has none), EmptyResultSet when nothing matches (B08.FR.15), else Accepted with the data.
 *
 * @example
 * reportResult(index, { requestId: 1, componentCriteria: ['Problem'] }, 'Active,Problem', 1000).status;
 */
export function reportResult(
  index: ModelIndex,
  request: GetReportRequest,
  supportedList: string | undefined,
  maxReportedLength: number,
): { status: GenericDeviceModelStatusEnumType; statusInfo?: StatusInfoType; data: ReportDataType[] } {
  const supported = supportedList === undefined ? CRITERIA : csvEntries(supportedList);
  const unsupported = (request.componentCriteria ?? []).filter((c) => !supported.includes(c));
  if (unsupported.length > 0) {
    // B08.FR.02
    return {
      status: 'NotSupported',
      statusInfo: statusInfo(
        'UnsupportedParam',
        `componentCriteria ${unsupported.join(', ')} not supported`,
      ),
      data: [],
    };
  }
  const data = customReportData(index, request, maxReportedLength);
  return data.length === 0 ? { status: 'EmptyResultSet', data } : { status: 'Accepted', data };
}
