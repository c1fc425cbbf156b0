/**
 * Test and simulator helpers (published as the package subpath `./testing`): an independent
 * strict-mode CSMS, a throw-away PKI for the TLS security profiles, and event-driven waits.
 */
export { startTestCsms } from './test-csms.js';
export type {
  CsmsCallHandler,
  CsmsFrame,
  ReceivedCall,
  RpcServerClient,
  StrictValidationFailure,
  TestCsms,
  TestCsmsOptions,
} from './test-csms.js';
export { defaultCsmsResponse } from './default-csms-responses.js';
export type { DefaultResponseSettings } from './default-csms-responses.js';
export { createTestCertificateAuthority } from './test-pki.js';
export type {
  ClientCertificateOptions,
  PemKeyPair,
  ServerCertificateOptions,
  TestCertificateAuthority,
} from './test-pki.js';
export { nextEvent, waitFor } from './wait-for.js';
export {
  TransitionCoverage,
  formatCoverage,
  machineStates,
  machineTransitions,
  mergeCoverage,
  transitionKey,
} from './model-coverage.js';
export type { FiredTransition, MachineCoverage, MachineTransition } from './model-coverage.js';
export { checkProjection, replayValues, transitionTours } from './model-paths.js';
export type { ModelPath, ModelStep, ProjectionMeta, ProjectionProblems, TourOptions } from './model-paths.js';
