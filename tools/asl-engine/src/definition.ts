import { createHash } from 'node:crypto';
import type aslValidator from 'asl-validator';
import { EngineError } from './errors';
import type { JsonObject, JsonValue } from './types';

/** A parsed, validated state machine definition (the ASL JSON object). */
export interface Definition extends JsonObject {
  StartAt: string;
  States: JsonObject;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
const ALLOWED: Record<string, readonly string[]> = {
  Pass: [...COMMON, ...FLOW, ...JSONPATH_IO, 'Parameters', 'ResultPath', 'Result', 'Assign', 'Output'],
  Task: [
    ...COMMON,
    ...FLOW,
    ...JSONPATH_IO,
    'Resource',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Assign',
    'Output',
  ],
  Choice: [...COMMON, ...JSONPATH_IO, 'Choices', 'Default', 'Assign', 'Output'],
  Wait: [
    ...COMMON,
    ...FLOW,
    ...JSONPATH_IO,
    'Seconds',
    'SecondsPath',
    'Timestamp',
    'TimestampPath',
    'Assign',
    'Output',
  ],
  Succeed: [...COMMON, ...JSONPATH_IO, 'Output'],
  Fail: [...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath'],
  Parallel: [
    ...COMMON,
    ...FLOW,
    ...JSONPATH_IO,
    'Branches',
    'Parameters',
    'Arguments',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'Assign',
    'Output',
  ],
  Map: [
    ...COMMON,
    ...FLOW,
    ...JSONPATH_IO,
    'ItemProcessor',
    'Iterator',
    'ItemsPath',
    'Items',
    'ItemSelector',
    'Parameters',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ItemBatcher',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'Label',
    'ResultSelector',
    'ResultPath',
    'Retry',
    'Catch',
    'Assign',
    'Output',
  ],
};
/** Fields AWS accepts that this engine does not implement: rejected at load time rather than silently ignored. */
const UNSUPPORTED: Record<string, string> = {
  Credentials: 'cross-account task credentials are not supported by this engine',
  ItemReader: 'Map ItemReader (reading items from S3) is not supported by this engine',
  ResultWriter: 'Map ResultWriter (writing results to S3) is not supported by this engine',
};
const TOP_LEVEL = ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
const PROCESSOR = ['StartAt', 'States', 'Comment', 'ProcessorConfig'];

type AjvConstructor = new (opts: object) => object;
let cachedAjv: object | undefined;

/**
 * Remembers, across processes, which definitions passed asl-validator (e.g. a file in the local cloud's data folder),
 * so an unchanged definition is not validated again (and the validator is not even loaded). The engine's own checks
 * always run.
 */
export interface DefinitionValidationCache {
  /**
   * Whether `text` passed `validator` before. `validator` identifies the validator (a hash of asl-validator's version
   * and this module's relaxation code): a new one must validate again.
   */
  has(text: string, validator: string): boolean;
  /** `text` passed `validator`. */
  add(text: string, validator: string): void;
}

let validationCache: DefinitionValidationCache | undefined;
let validatorFingerprint: string | undefined;

/** Installs (or removes, with `undefined`) the process-wide {@link DefinitionValidationCache}. */
export function setDefinitionValidationCache(cache: DefinitionValidationCache | undefined): void {
  validationCache = cache;
}

/** Identifies the validator: asl-validator's version and the code that prepares and runs it. */
function validatorId(): string {
  if (validatorFingerprint === undefined) {
    const { version } = require('asl-validator/package.json') as { version: string };
    validatorFingerprint = createHash('sha256')
      .update(
        `asl-validator@${version}\0${relaxForValidator.toString()}\0${validateWithAslValidator.toString()}`,
      )
      .digest('hex');
  }
  return validatorFingerprint;
}

/**
 * asl-validator builds a new Ajv instance (compiling every schema, ~0.5 s) on each call. Its options never change for
 * us, so during our call its Ajv constructor hands back one cached instance (restored right after: no one else is
 * affected).
 */
function validateWithAslValidator(definition: JsonObject): ReturnType<typeof aslValidator> {
  const ajvPath = require.resolve('ajv', { paths: [require.resolve('asl-validator')] });
  const ajvModule = require(ajvPath) as { default: AjvConstructor };
  const original = ajvModule.default;
  function CachedAjv(opts: object): object {
    if (cachedAjv === undefined) {
      cachedAjv = new original(opts);
      return cachedAjv;
    }
    // Formats and keywords are already registered on the cached instance: registering them again is a no-op.
    const target = cachedAjv;
    const proxy: object = new Proxy(target, {
      get(t, prop) {
        if (prop === 'addKeyword' || prop === 'addFormat') return () => proxy;
        const v = Reflect.get(t, prop, t) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    return proxy;
  }
  ajvModule.default = CachedAjv as unknown as AjvConstructor;
  // Loaded on first use: asl-validator and Ajv cost a few hundred ms to load, and none of it when the cache knows.
  const validate = require('asl-validator') as typeof aslValidator;
  try {
    return validate(definition, { checkPaths: true, checkArn: false });
  } finally {
    ajvModule.default = original;
  }
}

function invalid(message: string): EngineError {
  return new EngineError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStates(block: JsonObject, where: string, defaultQl: string): void {
  for (const key of Object.keys(block)) {
    const allowed = where === '' ? TOP_LEVEL : PROCESSOR;
    if (!allowed.includes(key))
      throw invalid(
        `SCHEMA_VALIDATION_FAILED: The field "${key}" is not supported by Step Functions at /${where}`,
      );
  }
  const states = block['States'];
  if (!isObject(states))
    throw invalid(`SCHEMA_VALIDATION_FAILED: The field "States" is required at /${where}`);
  for (const [name, raw] of Object.entries(states)) {
    const at = `${where}States/${name}`;
    if (!isObject(raw))
      throw invalid(`SCHEMA_VALIDATION_FAILED: State "${name}" must be an object at /${at}`);
    const type = raw['Type'];
    if (typeof type !== 'string' || !(type in ALLOWED)) {
      throw invalid(
        `SCHEMA_VALIDATION_FAILED: State "${name}" has an invalid Type ${JSON.stringify(type ?? null)} at /${at}/Type`,
      );
    }
    const ql = typeof raw['QueryLanguage'] === 'string' ? raw['QueryLanguage'] : defaultQl;
    if (defaultQl === 'JSONata' && ql === 'JSONPath') {
      throw invalid(
        `SCHEMA_VALIDATION_FAILED: The QueryLanguage "JSONPath" of state "${name}" cannot be used in a JSONata state machine at /${at}/QueryLanguage`,
      );
    }
    for (const field of Object.keys(raw)) {
      const why = UNSUPPORTED[field];
      if (why !== undefined)
        throw invalid(
          `UNSUPPORTED_FEATURE: The field "${field}" of state "${name}": ${why} at /${at}/${field}`,
        );
      if (!(ALLOWED[type] ?? []).includes(field)) {
        throw invalid(
          `SCHEMA_VALIDATION_FAILED: The field "${field}" is not supported by Step Functions for a ${type} state ("${name}") at /${at}/${field}`,
        );
      }
    }
    if (type === 'Task') {
      const resource = raw['Resource'];
      if (typeof resource === 'string' && /^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) {
        throw invalid(
          `UNSUPPORTED_FEATURE: The Resource of state "${name}" is an activity; activities are not supported by this engine at /${at}/Resource`,
        );
      }
    }
    if (type === 'Task') {
      const timeout = raw['TimeoutSeconds'];
      const heartbeat = raw['HeartbeatSeconds'];
      if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
        throw invalid(
          `SCHEMA_VALIDATION_FAILED: HeartbeatSeconds (${heartbeat}) must be smaller than TimeoutSeconds (${timeout}) at /${at}/HeartbeatSeconds`,
        );
      }
    }
    for (const field of ['Retry', 'Catch']) {
      const rules = raw[field];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        const equals = isObject(rule) ? rule['ErrorEquals'] : undefined;
        if (!Array.isArray(equals) || !equals.includes('States.ALL')) return;
        if (equals.length > 1) {
          throw invalid(
            `SCHEMA_VALIDATION_FAILED: "States.ALL" must appear alone in ErrorEquals at /${at}/${field}[${i}]/ErrorEquals`,
          );
        }
        if (i !== rules.length - 1) {
          throw invalid(
            `SCHEMA_VALIDATION_FAILED: the ${field === 'Retry' ? 'retrier' : 'catcher'} with "States.ALL" must be the last one at /${at}/${field}[${i}]`,
          );
        }
      });
    }
    if (type === 'Parallel' && Array.isArray(raw['Branches'])) {
      raw['Branches'].forEach((b, i) => {
        if (isObject(b)) checkStates(b, `${at}/Branches[${i}]/`, ql);
      });
    }
    if (type === 'Map') {
      const proc = raw['ItemProcessor'] ?? raw['Iterator'];
      if (isObject(proc))
        checkStates(proc, `${at}/${raw['ItemProcessor'] !== undefined ? 'ItemProcessor' : 'Iterator'}/`, ql);
      const batcher = raw['ItemBatcher'];
      if (isObject(batcher)) {
        for (const f of Object.keys(batcher)) {
          if (
            ![
              'MaxItemsPerBatch',
              'MaxItemsPerBatchPath',
              'MaxInputBytesPerBatch',
              'MaxInputBytesPerBatchPath',
              'BatchInput',
            ].includes(f)
          ) {
            throw invalid(
              `SCHEMA_VALIDATION_FAILED: The field "${f}" is not supported by Step Functions at /${at}/ItemBatcher/${f}`,
            );
          }
        }
      }
    }
  }
}

/**
 * asl-validator's schema is narrower than AWS in a few places; in the copy it validates, those values are replaced by
 * equivalents it accepts (the interpreter supports the originals): JSONata `Output` holding any JSON value (arrays,
 * numbers...), `Output` on Choice states and rules, literal boolean JSONata `Condition`s, and a fractional
 * `ToleratedFailurePercentage`.
 */
function relaxForValidator(block: JsonObject, defaultQl: string): void {
  const states = block['States'];
  if (!isObject(states)) return;
  for (const state of Object.values(states)) {
    if (!isObject(state)) continue;
    const ql = typeof state['QueryLanguage'] === 'string' ? state['QueryLanguage'] : defaultQl;
    if (ql === 'JSONata') {
      if ('Output' in state && !isObject(state['Output']) && typeof state['Output'] !== 'string')
        state['Output'] = '{% $states.input %}';
      if (state['Type'] === 'Choice') {
        delete state['Output'];
        const choices = state['Choices'];
        if (Array.isArray(choices)) {
          for (const rule of choices) {
            if (!isObject(rule)) continue;
            delete rule['Output'];
            if (typeof rule['Condition'] === 'boolean')
              rule['Condition'] = `{% ${String(rule['Condition'])} %}`;
          }
        }
      }
    }
    const pct = state['ToleratedFailurePercentage'];
    if (typeof pct === 'number' && !Number.isInteger(pct))
      state['ToleratedFailurePercentage'] = Math.floor(pct);
    const branches = state['Branches'];
    if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) relaxForValidator(b, ql);
    const proc = state['ItemProcessor'] ?? state['Iterator'];
    if (isObject(proc)) relaxForValidator(proc, ql);
  }
}

/**
 * Parses and validates a definition: our own checks first (they name the state and field, and reject what this engine
 * does not implement), then `asl-validator`. Throws `EngineError('InvalidDefinition')`.
 */
export function loadDefinition(text: string): Definition {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw invalid(`INVALID_JSON_DESCRIPTION: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw invalid('SCHEMA_VALIDATION_FAILED: the definition must be a JSON object');
  const ql = parsed['QueryLanguage'];
  if (ql !== undefined && ql !== 'JSONPath' && ql !== 'JSONata') {
    throw invalid(
      `SCHEMA_VALIDATION_FAILED: The QueryLanguage ${JSON.stringify(ql)} is not supported at /QueryLanguage`,
    );
  }
  checkStates(parsed, '', typeof ql === 'string' ? ql : 'JSONPath');
  const validator = validationCache === undefined ? undefined : validatorId();
  if (validator !== undefined && validationCache?.has(text, validator) === true) return parsed as Definition;
  // asl-validator annotates the object it is given: hand it a copy.
  const copy = JSON.parse(text) as JsonObject;
  relaxForValidator(copy, typeof ql === 'string' ? ql : 'JSONPath');
  const result = validateWithAslValidator(copy);
  if (!result.isValid) {
    const first = result.errors
      .slice(0, 5)
      .map((e) => `${e['Error code']}: ${e.Message}`)
      .join('; ');
    throw invalid(first);
  }
  if (validator !== undefined) validationCache?.add(text, validator);
  return parsed as Definition;
}
