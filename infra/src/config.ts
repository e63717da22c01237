import { Duration } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import {
  APPROVAL_DEFAULT_HEARTBEAT_SECONDS,
  APPROVAL_DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_TRUSTED_DECISION_SOURCES,
  LocalIdentity,
  ServiceNames,
  type ServiceName,
} from '@flow/contracts';

/** The CloudFormation stack names (also the ids `cdk deploy <name>` selects). */
export const StackNames = {
  Messaging: 'FlowMessaging',
  ProcessOrder: 'FlowProcessOrder',
  ReserveInventory: 'FlowReserveInventory',
  ScoreRisk: 'FlowScoreRisk',
  ApprovalDispatcher: 'FlowApprovalDispatcher',
  ApprovalApi: 'FlowApprovalApi',
  Workflow: 'FlowWorkflow',
} as const;

/**
 * Timeout and memory of each service's function. The workflow's task timeouts are derived from these
 * (function timeout + a margin for the invoke itself), which is why they live here and not in each stack.
 */
export const ServiceSizing: Readonly<
  Record<ServiceName, { readonly timeout: Duration; readonly memorySize: number }>
> = {
  [ServiceNames.ProcessOrder]: { timeout: Duration.seconds(15), memorySize: 512 },
  [ServiceNames.ReserveInventory]: { timeout: Duration.seconds(15), memorySize: 512 },
  [ServiceNames.ScoreRisk]: { timeout: Duration.seconds(10), memorySize: 256 },
  [ServiceNames.ApprovalDispatcher]: { timeout: Duration.seconds(30), memorySize: 512 },
  [ServiceNames.ApprovalApi]: { timeout: Duration.seconds(15), memorySize: 512 },
};

/** Settings read from CDK context (`cdk.json`, `--context key=value`), each with a stated default. */
export interface FlowSettings {
  /** `AwaitApproval` TimeoutSeconds. Context `approvalTimeoutSeconds`; default 7 days. */
  readonly approvalTimeout: Duration;
  /** `AwaitApproval` HeartbeatSeconds. Context `approvalHeartbeatSeconds`; default 1 day. */
  readonly approvalHeartbeat: Duration;
  /** EventBridge sources whose `ApprovalDecision` events are acted on. Context `trustedDecisionSources` (comma list). */
  readonly trustedDecisionSources: readonly string[];
  /** Approver JWT issuer. Context `approvalsJwtIssuer`; default the local identity provider's. */
  readonly jwtIssuer: string;
  /** Approver JWT audience. Context `approvalsJwtAudience`; default the local identity provider's. */
  readonly jwtAudience: string;
  /** Public JWKS (JSON text) that signs approver JWTs. Context `approvalsJwtJwks`; default none (every token is refused). */
  readonly jwtPublicJwks: string;
}

const positiveInteger = (node: Node, key: string, fallback: number): number => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(
      `Context '${key}' must be a positive integer number of seconds, got ${JSON.stringify(raw)}.`,
    );
  }
  return value;
};

const text = (node: Node, key: string, fallback: string): string => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new Error(`Context '${key}' must be a non-empty string, got ${JSON.stringify(raw)}.`);
  }
  return raw;
};

/** Reads the {@link FlowSettings} from the app's context, failing fast on a malformed value. */
export const readSettings = (node: Node): FlowSettings => {
  const sources = text(node, 'trustedDecisionSources', DEFAULT_TRUSTED_DECISION_SOURCES.join(','));
  return {
    approvalTimeout: Duration.seconds(
      positiveInteger(node, 'approvalTimeoutSeconds', APPROVAL_DEFAULT_TIMEOUT_SECONDS),
    ),
    approvalHeartbeat: Duration.seconds(
      positiveInteger(node, 'approvalHeartbeatSeconds', APPROVAL_DEFAULT_HEARTBEAT_SECONDS),
    ),
    trustedDecisionSources: sources
      .split(',')
      .map((source) => source.trim())
      .filter((source) => source.length > 0),
    jwtIssuer: text(node, 'approvalsJwtIssuer', LocalIdentity.issuer),
    jwtAudience: text(node, 'approvalsJwtAudience', LocalIdentity.audience),
    jwtPublicJwks: text(node, 'approvalsJwtJwks', '{"keys":[]}'),
  };
};
