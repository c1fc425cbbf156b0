/**
 * The Local Authorization List rules (D01, D02, C14.FR.04/05) over tables of cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { idTokenKey } from '../../src/authorization/id-token-key.js';
import {
  localListEntryBytes,
  localListLookup,
  localListVersion,
  planSendLocalList,
  type LocalListEntry,
  type LocalListLimits,
  type LocalListState,
} from '../../src/authorization/local-list.js';
import type {
  AuthorizationData,
  AuthorizationStatusEnumType,
  IdTokenType,
  SendLocalListRequest,
} from '../../src/generated/ocpp-types.js';

const token = (id: string): IdTokenType => ({ idToken: id, type: 'ISO14443' });
const item = (id: string, status?: AuthorizationStatusEnumType): AuthorizationData =>
  status === undefined ? { idToken: token(id) } : { idToken: token(id), idTokenInfo: { status } };
const listEntry = (id: string, status: AuthorizationStatusEnumType): LocalListEntry => ({
  key: idTokenKey(token(id)),
  idToken: token(id),
  info: { status },
});
const list = (version: number, ...entries: LocalListEntry[]): LocalListState => ({
  version,
  entries: new Map(entries.map((e) => [e.key, e])),
  bytes: entries.reduce((sum, e) => sum + localListEntryBytes(e), 0),
});
const NO_LIMITS: LocalListLimits = {
  maxEntries: undefined,
  maxBytes: undefined,
  itemsPerMessage: undefined,
  bytesPerMessage: undefined,
};
const request = (
  updateType: SendLocalListRequest['updateType'],
  versionNumber: number,
  ...items: AuthorizationData[]
): SendLocalListRequest =>
  items.length === 0
    ? { updateType, versionNumber }
    : {
        updateType,
        versionNumber,
        localAuthorizationList: items as [AuthorizationData, ...AuthorizationData[]],
      };

/** The list after an accepted update, as `id=status` sorted; or the refusal. */
function outcome(
  state: LocalListState,
  req: SendLocalListRequest,
  limits = NO_LIMITS,
  bytes?: number,
): string {
  const update = planSendLocalList(state, req, limits, bytes);
  if (update.status !== 'Accepted') {
    return `${update.status}/${update.response.statusInfo?.reasonCode ?? ''}`;
  }
  const entries = [...update.after.entries.values()]
    .map((e) => `${e.idToken.idToken}=${e.info.status}`)
    .sort();
  assert.equal(
    update.after.bytes,
    [...update.after.entries.values()].reduce((sum, e) => sum + localListEntryBytes(e), 0),
    'bytes follow the entries',
  );
  return `v${update.version} [${entries.join(',')}]`;
}

test('D01: SendLocalList outcomes', () => {
  const current = list(5, listEntry('A', 'Accepted'), listEntry('B', 'Blocked'));
  const cases: Array<{
    name: string;
    state?: LocalListState;
    req: SendLocalListRequest;
    limits?: Partial<LocalListLimits>;
    bytes?: number;
    expect: string;
  }> = [
    {
      name: 'D01.FR.15 Full replaces',
      req: request('Full', 6, item('C', 'Accepted')),
      expect: 'v6 [C=Accepted]',
    },
    {
      name: 'D01.FR.15 Full may lower the version',
      req: request('Full', 2, item('C', 'Invalid')),
      expect: 'v2 [C=Invalid]',
    },
    {
      name: 'D01.FR.15 Full with the same version',
      req: request('Full', 5, item('A', 'Expired')),
      expect: 'v5 [A=Expired]',
    },
    { name: 'D01.FR.04 Full without elements empties', req: request('Full', 7), expect: 'v7 []' },
    {
      name: 'D01.FR.16 Differential adds and updates',
      req: request('Differential', 6, item('B', 'Accepted'), item('C', 'Invalid')),
      expect: 'v6 [A=Accepted,B=Accepted,C=Invalid]',
    },
    {
      name: 'D01.FR.17 Differential without idTokenInfo removes',
      req: request('Differential', 6, item('A')),
      expect: 'v6 [B=Blocked]',
    },
    {
      name: 'D01.FR.17 removing an unknown token changes nothing else',
      req: request('Differential', 6, item('Z')),
      expect: 'v6 [A=Accepted,B=Blocked]',
    },
    {
      name: 'D01.FR.05 Differential without elements: only the version',
      req: request('Differential', 9),
      expect: 'v9 [A=Accepted,B=Blocked]',
    },
    {
      name: 'D01.FR.19 Differential with the same version',
      req: request('Differential', 5, item('C', 'Accepted')),
      expect: 'VersionMismatch/InvalidValue',
    },
    {
      name: 'D01.FR.19 Differential with a lower version',
      req: request('Differential', 4),
      expect: 'VersionMismatch/InvalidValue',
    },
    {
      name: 'D01.FR.19 Differential version 0 on a new station',
      state: list(0),
      req: request('Differential', 0),
      expect: 'VersionMismatch/InvalidValue',
    },
    {
      name: 'D01.FR.16 first Differential on a new station',
      state: list(0),
      req: request('Differential', 1, item('A', 'Accepted')),
      expect: 'v1 [A=Accepted]',
    },
    {
      name: 'D01.FR.18 Full with version 0',
      req: request('Full', 0, item('C', 'Accepted')),
      expect: 'Failed/ValuePositiveOnly',
    },
    {
      name: 'D01.FR.18 Full with a negative version',
      req: request('Full', -3),
      expect: 'Failed/ValuePositiveOnly',
    },
    {
      name: 'D01.FR.06 the same token twice (ignoring case)',
      req: request('Full', 6, item('C', 'Accepted'), {
        idToken: { idToken: 'c', type: 'ISO14443' },
        idTokenInfo: { status: 'Blocked' },
      }),
      expect: 'Failed/InvalidValue',
    },
    {
      name: 'Full with an element without idTokenInfo',
      req: request('Full', 6, item('C')),
      expect: 'Failed/MissingParam',
    },
    {
      name: 'D01.FR.11 more elements than ItemsPerMessage',
      req: request('Full', 6, item('C', 'Accepted'), item('D', 'Accepted')),
      limits: { itemsPerMessage: 1 },
      expect: 'Failed/TooManyElements',
    },
    {
      name: 'D01.FR.11 exactly ItemsPerMessage',
      req: request('Full', 6, item('C', 'Accepted')),
      limits: { itemsPerMessage: 1 },
      expect: 'v6 [C=Accepted]',
    },
    {
      name: 'D01.FR.11 a frame over BytesPerMessage',
      req: request('Full', 6),
      limits: { bytesPerMessage: 100 },
      bytes: 101,
      expect: 'Failed/TooLargeElement',
    },
    {
      name: 'D01.FR.11 a frame of exactly BytesPerMessage',
      req: request('Full', 6),
      limits: { bytesPerMessage: 100 },
      bytes: 100,
      expect: 'v6 []',
    },
    {
      name: 'Entries maxLimit: a Differential that would overfill',
      req: request('Differential', 6, item('C', 'Accepted')),
      limits: { maxEntries: 2 },
      expect: 'Failed/TooManyElements',
    },
    {
      name: 'Entries maxLimit: a Differential that removes as much as it adds',
      req: request('Differential', 6, item('C', 'Accepted'), item('A')),
      limits: { maxEntries: 2 },
      expect: 'v6 [B=Blocked,C=Accepted]',
    },
    {
      name: 'Storage maxLimit',
      req: request('Full', 6, item('C', 'Accepted'), item('D', 'Accepted')),
      limits: { maxBytes: localListEntryBytes(listEntry('C', 'Accepted')) * 2 - 1 },
      expect: 'Failed/OutOfStorage',
    },
  ];
  for (const c of cases) {
    assert.equal(
      outcome(c.state ?? current, c.req, { ...NO_LIMITS, ...c.limits }, c.bytes),
      c.expect,
      c.name,
    );
  }
  assert.equal(current.version, 5, 'the planned-on list is never changed');
  assert.equal(current.entries.size, 2);
});

test('D01: an accepted update says what to write', () => {
  const current = list(1, listEntry('A', 'Accepted'), listEntry('B', 'Blocked'));
  const update = planSendLocalList(
    current,
    request('Differential', 2, item('A'), item('C', 'Accepted')),
    NO_LIMITS,
  );
  assert.equal(update.status, 'Accepted');
  if (update.status !== 'Accepted') return;
  assert.equal(update.replace, false);
  assert.deepEqual(update.remove, [idTokenKey(token('A'))]);
  assert.deepEqual(
    update.upsert.map((e) => e.idToken.idToken),
    ['C'],
  );
  const full = planSendLocalList(current, request('Full', 3, item('C', 'Accepted')), NO_LIMITS);
  assert.equal(full.status === 'Accepted' && full.replace, true);
});

test('D02.FR.01–03: GetLocalListVersion', () => {
  const cases: Array<{ name: string; version: number; enabled: boolean; expect: number }> = [
    { name: 'D02.FR.01 enabled: the version', version: 4, enabled: true, expect: 4 },
    { name: 'D02.FR.02 enabled, never sent: 0', version: 0, enabled: true, expect: 0 },
    { name: 'D02.FR.03 disabled: 0', version: 4, enabled: false, expect: 0 },
  ];
  for (const c of cases) assert.equal(localListVersion({ version: c.version }, c.enabled), c.expect, c.name);
});

test('C14.FR.02/04/05: cacheExpiryDateTime of a list entry counts only with SupportsExpiryDateTime', () => {
  const now = DateTime.fromISO('2026-01-01T00:00:00Z');
  const state = list(
    1,
    {
      ...listEntry('A', 'Accepted'),
      info: { status: 'Accepted', cacheExpiryDateTime: '2025-12-31T23:59:59Z' },
    },
    {
      ...listEntry('B', 'Accepted'),
      info: { status: 'Accepted', cacheExpiryDateTime: '2026-01-01T00:00:01Z' },
    },
    listEntry('C', 'Accepted'),
  );
  const cases: Array<{ name: string; id: string; supports: boolean; found: boolean }> = [
    { name: 'C14.FR.05 passed, supported: as if not present', id: 'A', supports: true, found: false },
    { name: 'C14.FR.02 passed, not supported: not looked at', id: 'A', supports: false, found: true },
    { name: 'C14.FR.04 not passed', id: 'B', supports: true, found: true },
    {
      name: 'C14.FR.04 note: without cacheExpiryDateTime it never expires',
      id: 'C',
      supports: true,
      found: true,
    },
    { name: 'not listed', id: 'D', supports: true, found: false },
    { name: 'case insensitive', id: 'c', supports: true, found: true },
  ];
  for (const c of cases) {
    assert.equal(localListLookup(state, token(c.id), now, c.supports) !== undefined, c.found, c.name);
  }
});
