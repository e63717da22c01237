/**
 * The TestState API: runs one state in isolation (a single state's definition, or one state of a whole state
 * machine) on a given input, with an optional mocked result or error, and reports its output, error, next state,
 * status (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR) and, at DEBUG and TRACE, the data after each processing step.
 *
 * The data flow uses the interpreter's expression layer (`expr.ts`: paths, payload templates, intrinsics, JSONata,
 * Choice rules, ResultPath) and its Retry/Catch matching (`errorMatches`); a Task without a mock calls the injected
 * integration like an execution does.
 */
import type { Clock } from './clock';
import { AslError, TaskFailure } from './errors';
import { errorMatches, MAX_PAYLOAD_BYTES, retryDelaySeconds } from './execution';
import {
  applyTemplate,
  choiceRuleMatches,
  evalDollar,
  evalJsonata,
  evalJsonataCondition,
  evalPath,
  requireType,
  timestampToEpochMs,
  writeResult,
} from './expr';
import { StatesError } from './expressions';
import type { IntegrationRegistry } from './integrations';
import { plainJson, stringifyJson } from './json-text';
import { groupIntoBatches } from './map-batches';
import { generatedContext } from './test-state-context';
import { invokeIntegration } from './test-state-invoke';
import { checkMockFields } from './test-state-mock-fields';
import { type PreparedTest, prepareTest } from './test-state-request';
import type { InspectionData, TestStateInput, TestStateOutput } from './test-state-types';
import type { JsonObject, JsonValue } from './types';

export type * from './test-state-types';

/** TestState runs a state for at most five minutes (then States.Timeout), as AWS documents. */
const MAX_TEST_SECONDS = 300;

/** What TestState needs from its host (the engine's integrations, clock and identity). */
export interface TestStateHost {
  readonly integrations: IntegrationRegistry;
  readonly clock: Clock;
  readonly accountId: string;
  readonly region: string;
}

/** How the tested state ended, before it becomes the API's response. */
interface Outcome {
  output?: JsonValue;
  next?: string;
  error?: { error?: string; cause?: string };
  status: TestStateOutput['status'];
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** JSON text as AWS writes it (a `1.0` of the input or a mocked result stays `1.0`). */
function text(v: JsonValue): string {
  return stringifyJson(v);
}

/** An error of the tested state itself (a failed expression, a mocked or real task failure). */
function asStateError(e: unknown): AslError | undefined {
  if (e instanceof AslError) return e;
  if (e instanceof TaskFailure) return new AslError(e.error, e.cause);
  if (e instanceof StatesError) return new AslError(e.error, e.cause, e.location);
  return undefined;
}

/** The error and cause of a failure, without absent members. */
function failureOf(e: AslError): { error?: string; cause?: string } {
  return {
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

/** One run of the tested state. */
class StateTest {
  readonly inspection: InspectionData = {};
  private readonly state: JsonObject;
  private readonly vars: Record<string, JsonValue>;
  private readonly ctx: JsonObject;
  private readonly now: number;

  constructor(
    private readonly t: PreparedTest,
    private readonly host: TestStateHost,
  ) {
    this.state = t.state;
    this.vars = { ...t.variables };
    this.now = host.clock.now();
    this.ctx =
      t.context ??
      generatedContext({
        accountId: host.accountId,
        region: host.region,
        now: this.now,
        state: t.state,
        input: plainJson(t.input),
        retryCount: t.retrierRetryCount,
        ...(t.roleArn !== undefined ? { roleArn: t.roleArn } : {}),
      });
    this.inspection.input = t.inputText;
  }

  /** The variables after the state (those given, and those it assigned). */
  variables(): Record<string, JsonValue> {
    return this.vars;
  }

  private get type(): string {
    return this.state['Type'] as string;
  }

  private scope(input: JsonValue): {
    input: JsonValue;
    context: JsonValue;
    variables: Record<string, JsonValue>;
  } {
    return { input: plainJson(input), context: this.ctx, variables: this.vars };
  }

  private jsonata(
    template: JsonValue,
    states: { input: JsonValue; result?: JsonValue; errorOutput?: JsonValue },
    field: string,
  ): Promise<JsonValue> {
    return evalJsonata(template, { ...states, context: this.ctx }, this.vars, field, this.now);
  }

  private next(): string | undefined {
    return this.state['End'] === true || typeof this.state['Next'] !== 'string'
      ? undefined
      : this.state['Next'];
  }

  private inputPath(input: JsonValue): JsonValue {
    if (!('InputPath' in this.state)) return input;
    const p = this.state['InputPath'];
    return p === null ? {} : evalPath(p as string, this.scope(input), 'InputPath');
  }

  private outputPath(value: JsonValue): JsonValue {
    if (!('OutputPath' in this.state)) return value;
    const p = this.state['OutputPath'];
    return p === null ? {} : evalPath(p as string, this.scope(value), 'OutputPath');
  }

  /** JSONPath Assign (on the value it is evaluated against) or JSONata Assign; the variables are set after. */
  private async assign(
    template: JsonValue | undefined,
    jsonPathInput: JsonValue,
    states: { input: JsonValue; result?: JsonValue; errorOutput?: JsonValue },
  ): Promise<void> {
    if (template === undefined) return;
    const value =
      this.t.ql === 'JSONata'
        ? await this.jsonata(template, states, 'Assign')
        : applyTemplate(template, this.scope(jsonPathInput), 'Assign');
    if (isObj(value)) Object.assign(this.vars, value);
  }

  /** JSONPath result processing: ResultSelector, Assign, ResultPath, OutputPath. */
  private async jsonPathResult(input: JsonValue, result: JsonValue): Promise<JsonValue> {
    const s = this.state;
    const selected =
      'ResultSelector' in s
        ? applyTemplate(s['ResultSelector'] ?? null, this.scope(result), 'ResultSelector')
        : result;
    this.inspection.afterResultSelector = text(selected);
    await this.assign(s['Assign'], selected, { input });
    const afterResultPath = writeResult(
      input,
      'ResultPath' in s ? (s['ResultPath'] as string | null) : '$',
      selected,
    );
    this.inspection.afterResultPath = text(afterResultPath);
    return this.outputPath(afterResultPath);
  }

  /** JSONata result processing: Assign, Output. */
  private async jsonataResult(input: JsonValue, result: JsonValue): Promise<JsonValue> {
    const states = { input, result };
    await this.assign(this.state['Assign'], result, states);
    return 'Output' in this.state ? this.jsonata(this.state['Output'] ?? null, states, 'Output') : result;
  }

  async run(): Promise<Outcome> {
    const input = this.t.input;
    try {
      switch (this.type) {
        case 'Pass':
          return await this.pass(input);
        case 'Succeed':
        case 'Wait':
          return await this.passThrough(input);
        case 'Fail':
          return await this.fail(input);
        case 'Choice':
          return await this.choice(input);
        default:
          return await this.withRetryAndCatch(input);
      }
    } catch (e) {
      const err = asStateError(e);
      if (err === undefined) throw e;
      return { status: 'FAILED', error: failureOf(err) };
    }
  }

  private async pass(input: JsonValue): Promise<Outcome> {
    const s = this.state;
    if (this.t.ql === 'JSONata') {
      const states = { input };
      await this.assign(s['Assign'], input, states);
      const output = 'Output' in s ? await this.jsonata(s['Output'] ?? null, states, 'Output') : input;
      return this.succeeded(output, this.next());
    }
    let result: JsonValue;
    if ('Result' in s) {
      result = s['Result'] ?? null;
      this.inspection.result = text(result);
    } else {
      const effective = this.inputPath(input);
      this.inspection.afterInputPath = text(effective);
      result =
        'Parameters' in s
          ? applyTemplate(s['Parameters'] ?? null, this.scope(effective), 'Parameters')
          : effective;
      this.inspection.afterParameters = text(result);
    }
    this.inspection.afterResultSelector = text(result);
    await this.assign(s['Assign'], result, { input });
    const afterResultPath = writeResult(
      input,
      'ResultPath' in s ? (s['ResultPath'] as string | null) : '$',
      result,
    );
    this.inspection.afterResultPath = text(afterResultPath);
    return this.succeeded(this.outputPath(afterResultPath), this.next());
  }

  /**
   * A Wait's duration is evaluated (an invalid Seconds or Timestamp fails the state as in an execution), but TestState
   * does not wait.
   */
  private async waitDuration(input: JsonValue, effective: JsonValue): Promise<void> {
    const s = this.state;
    let seconds: JsonValue | undefined = s['Seconds'];
    let timestamp: JsonValue | undefined = s['Timestamp'];
    if (this.t.ql === 'JSONata') {
      if (typeof seconds === 'string') seconds = await this.jsonata(seconds, { input }, 'Seconds');
      if (timestamp !== undefined) timestamp = await this.jsonata(timestamp, { input }, 'Timestamp');
    } else {
      if (typeof s['SecondsPath'] === 'string')
        seconds = evalPath(s['SecondsPath'], this.scope(effective), 'SecondsPath');
      if (typeof s['TimestampPath'] === 'string')
        timestamp = evalPath(s['TimestampPath'], this.scope(effective), 'TimestampPath');
    }
    if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0)) {
      throw new AslError(
        'States.Runtime',
        `The SecondsPath parameter does not reference a valid integer value: ${text(seconds)}`,
      );
    }
    if (
      timestamp !== undefined &&
      (typeof timestamp !== 'string' || timestampToEpochMs(timestamp) === undefined)
    ) {
      const shown = typeof timestamp === 'string' ? timestamp : text(timestamp);
      throw new AslError(
        this.t.ql === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime',
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${shown}`,
      );
    }
  }

  /** Succeed and Wait (TestState does not wait): InputPath, then OutputPath or Output. */
  private async passThrough(input: JsonValue): Promise<Outcome> {
    const s = this.state;
    const next = this.type === 'Wait' ? this.next() : undefined;
    if (this.t.ql === 'JSONata') {
      const states = { input };
      if (this.type === 'Wait') {
        await this.waitDuration(input, input);
        await this.assign(s['Assign'], input, states);
      }
      const output = 'Output' in s ? await this.jsonata(s['Output'] ?? null, states, 'Output') : input;
      return this.succeeded(output, next);
    }
    const effective = this.inputPath(input);
    this.inspection.afterInputPath = text(effective);
    if (this.type === 'Wait') {
      await this.waitDuration(input, effective);
      await this.assign(s['Assign'], effective, { input });
    }
    return this.succeeded(this.outputPath(effective), next);
  }

  private async fail(input: JsonValue): Promise<Outcome> {
    const s = this.state;
    let error: JsonValue | undefined = s['Error'];
    let cause: JsonValue | undefined = s['Cause'];
    if (this.t.ql === 'JSONata') {
      if (typeof error === 'string') error = await this.jsonata(error, { input }, 'Error');
      if (typeof cause === 'string') cause = await this.jsonata(cause, { input }, 'Cause');
    } else {
      this.inspection.afterInputPath = text(input);
      const scope = this.scope(input);
      if (typeof s['ErrorPath'] === 'string') error = evalDollar(s['ErrorPath'], scope, 'ErrorPath');
      if (typeof s['CausePath'] === 'string') cause = evalDollar(s['CausePath'], scope, 'CausePath');
    }
    if (error !== undefined && typeof error !== 'string')
      throw new AslError('States.Runtime', `The Error field must evaluate to a string, got ${text(error)}.`);
    if (cause !== undefined && typeof cause !== 'string')
      throw new AslError('States.Runtime', `The Cause field must evaluate to a string, got ${text(cause)}.`);
    return {
      status: 'FAILED',
      error: {
        ...(error !== undefined ? { error } : {}),
        ...(cause !== undefined ? { cause } : {}),
      },
    };
  }

  private async choice(input: JsonValue): Promise<Outcome> {
    const s = this.state;
    const rules = Array.isArray(s['Choices']) ? s['Choices'].filter(isObj) : [];
    const noMatch = (): AslError =>
      new AslError('States.NoChoiceMatched', 'No Choice Rule matched and no Default is set.');
    if (this.t.ql === 'JSONata') {
      const states = { input };
      for (const rule of rules) {
        const matched = await evalJsonataCondition(
          rule['Condition'] ?? null,
          { input, context: this.ctx },
          this.vars,
          'Condition',
          this.now,
        );
        if (!matched) continue;
        await this.assign(rule['Assign'], input, states);
        const output =
          'Output' in rule ? await this.jsonata(rule['Output'] ?? null, states, 'Output') : input;
        return this.succeeded(output, rule['Next'] as string);
      }
      if (typeof s['Default'] !== 'string') throw noMatch();
      await this.assign(s['Assign'], input, states);
      const output = 'Output' in s ? await this.jsonata(s['Output'] ?? null, states, 'Output') : input;
      return this.succeeded(output, s['Default']);
    }
    const effective = this.inputPath(input);
    this.inspection.afterInputPath = text(effective);
    const scope = this.scope(effective);
    const rule = rules.find((r) => choiceRuleMatches(r, scope));
    const next = rule !== undefined ? (rule['Next'] as string) : s['Default'];
    if (typeof next !== 'string') throw noMatch();
    await this.assign((rule ?? s)['Assign'], effective, { input });
    return this.succeeded(this.outputPath(effective), next);
  }

  private succeeded(output: JsonValue, next: string | undefined): Outcome {
    return { status: 'SUCCEEDED', output, ...(next !== undefined ? { next } : {}) };
  }

  // ---------------------------------------------------------------- Task, Map, Parallel with Retry and Catch

  private async withRetryAndCatch(input: JsonValue): Promise<Outcome> {
    let caught: AslError;
    try {
      const output =
        this.type === 'Task'
          ? await this.task(input)
          : this.type === 'Map'
            ? await this.map(input)
            : await this.parallel(input);
      return this.succeeded(output, this.next());
    } catch (e) {
      const err = asStateError(e);
      if (err === undefined) throw e;
      caught = err;
    }
    const s = this.state;
    const failure = failureOf(caught);
    // States.Runtime is never retried nor caught.
    if (caught.error === 'States.Runtime') return { status: 'FAILED', error: failure };
    const retriers = Array.isArray(s['Retry']) ? s['Retry'].filter(isObj) : [];
    const retryIndex = retriers.findIndex((r) =>
      errorMatches(Array.isArray(r['ErrorEquals']) ? r['ErrorEquals'] : [], caught.error, caught.heartbeat),
    );
    const retrier = retriers[retryIndex];
    if (retrier !== undefined) {
      const count = this.t.retrierRetryCount;
      if (count < (num(retrier['MaxAttempts']) ?? 3)) {
        this.inspection.errorDetails = {
          retryBackoffIntervalSeconds: Math.round(retryDelaySeconds(retrier, count, () => 1)),
          retryIndex,
        };
        return { status: 'RETRIABLE', error: failure };
      }
      this.inspection.errorDetails = { retryIndex };
    }
    const catchers = Array.isArray(s['Catch']) ? s['Catch'].filter(isObj) : [];
    const catchIndex = catchers.findIndex((c) =>
      errorMatches(Array.isArray(c['ErrorEquals']) ? c['ErrorEquals'] : [], caught.error, caught.heartbeat),
    );
    const catcher = catchers[catchIndex];
    if (catcher === undefined) return { status: 'FAILED', error: failure };
    this.inspection.errorDetails = { ...this.inspection.errorDetails, catchIndex };
    const errorOutput: JsonObject = { Error: caught.error ?? null, Cause: caught.cause ?? null };
    let output: JsonValue;
    if (this.t.ql === 'JSONata') {
      const states = { input, errorOutput };
      await this.assign(catcher['Assign'], errorOutput, states);
      output =
        'Output' in catcher ? await this.jsonata(catcher['Output'] ?? null, states, 'Output') : errorOutput;
    } else {
      await this.assign(catcher['Assign'], errorOutput, { input });
      output = writeResult(
        input,
        'ResultPath' in catcher ? (catcher['ResultPath'] as string | null) : '$',
        errorOutput,
      );
    }
    return { status: 'CAUGHT_ERROR', output, next: catcher['Next'] as string, error: failure };
  }

  /** The mocked error, if any: the tested state fails with it. */
  private throwMockedError(): void {
    const mocked = this.t.mockError;
    if (mocked !== undefined) throw new AslError(mocked.error, mocked.cause);
  }

  private async task(input: JsonValue): Promise<JsonValue> {
    const s = this.state;
    let params: JsonValue;
    if (this.t.ql === 'JSONata') {
      params = 'Arguments' in s ? await this.jsonata(s['Arguments'] ?? null, { input }, 'Arguments') : input;
      this.inspection.afterArguments = text(params);
    } else {
      const effective = this.inputPath(input);
      this.inspection.afterInputPath = text(effective);
      params =
        'Parameters' in s
          ? applyTemplate(s['Parameters'] ?? null, this.scope(effective), 'Parameters')
          : effective;
      this.inspection.afterParameters = text(params);
    }
    this.throwMockedError();
    const result =
      this.t.mockResult !== undefined
        ? this.t.mockResult
        : await this.invoke(params, await this.timeout(input));
    this.inspection.result = text(result);
    return this.t.ql === 'JSONata' ? this.jsonataResult(input, result) : this.jsonPathResult(input, result);
  }

  /** The Task's TimeoutSeconds (or its Path or JSONata form), at most TestState's own limit of five minutes. */
  private async timeout(input: JsonValue): Promise<number> {
    const s = this.state;
    let v: JsonValue | undefined = s['TimeoutSeconds'];
    if (typeof v === 'string' && this.t.ql === 'JSONata')
      v = await this.jsonata(v, { input }, 'TimeoutSeconds');
    if (typeof s['TimeoutSecondsPath'] === 'string')
      v = evalPath(s['TimeoutSecondsPath'], this.scope(input), 'TimeoutSecondsPath');
    if (v === undefined) return MAX_TEST_SECONDS;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new AslError(
        'States.Runtime',
        `The TimeoutSeconds field must be a positive integer, got ${text(v)}.`,
      );
    return Math.min(v, MAX_TEST_SECONDS);
  }

  /** Calls the Task's integration (see `test-state-invoke.ts`). */
  private invoke(params: JsonValue, timeoutSeconds: number): Promise<JsonValue> {
    const execution = this.ctx['Execution'];
    const machine = this.ctx['StateMachine'];
    const field = (o: JsonValue | undefined, key: string): string =>
      isObj(o) && typeof o[key] === 'string' ? o[key] : '';
    return invokeIntegration(this.host, {
      resource: String(this.state['Resource'] ?? ''),
      params,
      stateName: this.t.name,
      execution: {
        executionArn: field(execution, 'Id'),
        name: field(execution, 'Name'),
        stateMachineArn: field(machine, 'Id'),
      },
      timeoutSeconds,
    });
  }

  /** A Map whose iterations are mocked: items, selector, limits and tolerated failures are evaluated and reported. */
  private async map(input: JsonValue): Promise<JsonValue> {
    const s = this.state;
    let effective = input;
    let items: JsonValue;
    if (this.t.ql === 'JSONata') {
      if ('Items' in s) {
        items = await this.jsonata(s['Items'] ?? null, { input }, 'Items');
        if (typeof s['Items'] === 'string') requireType(items, 'array', s['Items'], 'Items');
      } else items = this.t.mapItemReaderData ?? input;
    } else {
      effective = this.inputPath(input);
      this.inspection.afterInputPath = text(effective);
      if (this.t.mapItemReaderData !== undefined) items = this.t.mapItemReaderData;
      else {
        const path = typeof s['ItemsPath'] === 'string' ? s['ItemsPath'] : '$';
        items = evalPath(path, this.scope(effective), 'ItemsPath');
        if (!Array.isArray(items))
          throw new AslError(
            'States.Runtime',
            `Reference path "${path.replace(/^\$\$/, '$')}" must point to array.`,
          );
        this.inspection.afterItemsPath = text(items);
      }
    }
    if (!Array.isArray(items))
      throw new AslError('States.Runtime', `Map state input must be an array but was: ${text(items)}`);
    const selector = 'ItemSelector' in s ? s['ItemSelector'] : s['Parameters'];
    let selected: JsonValue[] = items;
    if (selector !== undefined) {
      selected = [];
      for (const [index, value] of items.entries()) {
        const ctx = { ...this.ctx, Map: { Item: { Index: index, Value: value } } };
        selected.push(
          this.t.ql === 'JSONata'
            ? await evalJsonata(selector, { input, context: ctx }, this.vars, 'ItemSelector', this.now)
            : applyTemplate(
                selector,
                { input: effective, context: ctx, variables: this.vars },
                'ItemSelector',
              ),
        );
      }
      this.inspection.afterItemSelector = text(selected);
    }
    const batcher = s['ItemBatcher'];
    if (isObj(batcher)) {
      const setting = async (field: string): Promise<number | undefined> => {
        let v: JsonValue | undefined = batcher[field];
        if (typeof v === 'string' && this.t.ql === 'JSONata')
          v = await this.jsonata(v, { input }, `ItemBatcher/${field}`);
        const path = batcher[`${field}Path`];
        if (typeof path === 'string') v = evalPath(path, this.scope(effective), `${field}Path`);
        return num(v ?? undefined);
      };
      const batchInput =
        'BatchInput' in batcher
          ? this.t.ql === 'JSONata'
            ? await this.jsonata(batcher['BatchInput'] ?? null, { input }, 'ItemBatcher/BatchInput')
            : applyTemplate(batcher['BatchInput'] ?? null, this.scope(effective), 'BatchInput')
          : undefined;
      const batches = groupIntoBatches(selected, {
        maxItems: (await setting('MaxItemsPerBatch')) ?? Number.MAX_SAFE_INTEGER,
        maxBytes: (await setting('MaxInputBytesPerBatch')) ?? MAX_PAYLOAD_BYTES,
        ...(batchInput !== undefined ? { batchInput } : {}),
      });
      this.inspection.afterItemBatcher = text(batches);
    }
    this.inspection.maxConcurrency = (await this.mapNumber('MaxConcurrency', input, effective)) ?? 0;
    const count = await this.mapNumber('ToleratedFailureCount', input, effective);
    const percentage = await this.mapNumber('ToleratedFailurePercentage', input, effective);
    if (count !== undefined) this.inspection.toleratedFailureCount = count;
    if (percentage !== undefined) this.inspection.toleratedFailurePercentage = percentage;
    this.throwMockedError();
    const result = this.t.mockResult ?? [];
    const failed = this.t.mapIterationFailureCount ?? 0;
    const total = Array.isArray(result) ? result.length : items.length;
    const exceeded =
      (count !== undefined && failed > count) ||
      (percentage !== undefined && total > 0 && (100 * failed) / total > percentage);
    if (exceeded) {
      throw new AslError(
        'States.ExceedToleratedFailureThreshold',
        'The specified tolerated failure threshold was exceeded',
      );
    }
    return this.t.ql === 'JSONata' ? this.jsonataResult(input, result) : this.jsonPathResult(input, result);
  }

  /** A Map's MaxConcurrency / ToleratedFailureCount / ToleratedFailurePercentage, its `...Path` or JSONata form. */
  private async mapNumber(
    field: string,
    input: JsonValue,
    effective: JsonValue,
  ): Promise<number | undefined> {
    const s = this.state;
    let v: JsonValue | undefined = s[field];
    if (typeof v === 'string' && this.t.ql === 'JSONata') v = await this.jsonata(v, { input }, field);
    const path = s[`${field}Path`];
    if (typeof path === 'string') v = evalPath(path, this.scope(effective), `${field}Path`);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || v < 0)
      throw new AslError(
        'States.Runtime',
        `The ${field} field must be a non-negative number, got ${text(v)}.`,
      );
    return v;
  }

  /**
   * A Parallel whose branches are mocked. What the branches would receive (InputPath, Parameters, Arguments) is
   * evaluated, so that its errors surface, but not reported: AWS reports only the input and the result steps.
   */
  private async parallel(input: JsonValue): Promise<JsonValue> {
    const s = this.state;
    if (this.t.ql === 'JSONata') {
      if ('Arguments' in s) await this.jsonata(s['Arguments'] ?? null, { input }, 'Arguments');
    } else {
      const effective = this.inputPath(input);
      if ('Parameters' in s) applyTemplate(s['Parameters'] ?? null, this.scope(effective), 'Parameters');
    }
    this.throwMockedError();
    const result = this.t.mockResult ?? [];
    return this.t.ql === 'JSONata' ? this.jsonataResult(input, result) : this.jsonPathResult(input, result);
  }
}

/**
 * Runs one state as the TestState API does. Throws `EngineError` (InvalidDefinition, ValidationException,
 * InvalidExecutionInput) for a request AWS rejects; a failing state is an answer (status FAILED), not a throw.
 */
export async function testState(i: TestStateInput, host: TestStateHost): Promise<TestStateOutput> {
  const prepared = prepareTest(i);
  if (prepared.mockResult !== undefined && prepared.state['Type'] === 'Task') {
    checkMockFields(
      String(prepared.state['Resource'] ?? ''),
      plainJson(prepared.mockResult),
      i.mock?.fieldValidationMode,
    );
  }
  const run = new StateTest(prepared, host);
  const outcome = await run.run();
  const out: TestStateOutput = { status: outcome.status };
  if (outcome.output !== undefined) out.output = text(outcome.output);
  if (outcome.error?.error !== undefined) out.error = outcome.error.error;
  if (outcome.error?.cause !== undefined) out.cause = outcome.error.cause;
  if (outcome.next !== undefined) out.nextState = outcome.next;
  if (prepared.level !== 'INFO') {
    const vars = run.variables();
    if (Object.keys(vars).length > 0) run.inspection.variables = text(vars);
    out.inspectionData = run.inspection;
  }
  return out;
}
