import { type CfnResource, type Json, type JsonObject, type StackTemplate } from './types';

/** Options of the resolver: the local identity everything resolves to. */
export interface ResolverOptions {
  accountId: string;
  region: string;
  /** The local endpoint queue URLs are built on, e.g. `http://127.0.0.1:4566`. */
  endpoint: string;
  /** The URL of a function URL for the given function name. */
  functionUrlFor?: (functionName: string) => string;
}

/** A template construct the resolver could not evaluate (a malformed intrinsic, an unknown logical id). */
export class TemplateResolutionError extends Error {
  constructor(stackName: string, message: string) {
    super(`[${stackName}] ${message}`);
    this.name = 'TemplateResolutionError';
  }
}

/** The sentinel `Ref: AWS::NoValue` resolves to; removed from the objects and arrays that hold it. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

/** Name limits of the generated physical names, per resource type (as CloudFormation caps them). */
const NAME_LIMITS: Record<string, number> = {
  'AWS::SQS::Queue': 80,
  'AWS::Lambda::Function': 64,
  'AWS::StepFunctions::StateMachine': 80,
  'AWS::Events::Rule': 64,
  'AWS::Events::Archive': 48,
  'AWS::Events::EventBus': 256,
  'AWS::DynamoDB::Table': 255,
  'AWS::DynamoDB::GlobalTable': 255,
  'AWS::IAM::Role': 64,
};

/** The explicit-name property of each resource type that has one. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::StepFunctions::Activity': 'Name',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Events::Archive': 'ArchiveName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
};

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deterministic short hash (FNV-1a, hex) for generated ids. */
const shortHash = (text: string): string => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/** A deterministic UUID-shaped id derived from a seed (event source mapping ids and the like). */
export const deterministicUuid = (seed: string): string => {
  const hex = [0, 1, 2, 3].map((i) => shortHash(`${i}:${seed}`)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * Resolves CloudFormation intrinsics across all the stacks of a cloud assembly, lazily and memoised:
 * `Ref` (resources, parameters, pseudo parameters, `AWS::NoValue`), `Fn::GetAtt` (both forms), `Fn::Join`,
 * `Fn::Sub` (both forms), `Fn::Select`, `Fn::Split`, `Fn::If` / `Fn::Equals` / `Fn::And` / `Fn::Or` / `Fn::Not` /
 * `Condition`, `Fn::FindInMap`, `Fn::ImportValue`, `Fn::Base64`, `Fn::GetAZs`, `Fn::Length`, `Fn::ToJsonString`.
 * SSM-typed parameters (`AWS::SSM::Parameter::Value<...>`) are read from the `AWS::SSM::Parameter` resources of
 * any stack. Physical names are the explicit name property, else a deterministic `<stack>-<logicalId>`.
 */
export class AssemblyResolver {
  private readonly stacks = new Map<string, StackTemplate>();
  private readonly names = new Map<string, string>();
  private readonly inProgress = new Set<string>();
  readonly warnings: string[] = [];

  constructor(
    stacks: readonly StackTemplate[],
    readonly options: ResolverOptions,
  ) {
    for (const stack of stacks) this.stacks.set(stack.stackName, stack);
  }

  /** The stacks, in the order given. */
  stackNames(): string[] {
    return [...this.stacks.keys()];
  }

  /** The resources of a stack whose Condition (if any) holds. */
  resources(stackName: string): [string, CfnResource][] {
    const resources = this.stack(stackName).template.Resources ?? {};
    return Object.entries(resources).filter(
      ([, resource]) => resource.Condition === undefined || this.condition(stackName, resource.Condition),
    );
  }

  /** Resolves every intrinsic inside `value`, in the context of `stackName`. `AWS::NoValue` gives `undefined`. */
  resolve(stackName: string, value: Json | undefined): Json | undefined {
    if (value === undefined) return undefined;
    const resolved = this.resolveValue(stackName, value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Like {@link resolve} but the result must be a string (numbers and booleans are turned into text). */
  resolveString(stackName: string, value: Json | undefined, what: string): string | undefined {
    const resolved = this.resolve(stackName, value);
    if (resolved === undefined || resolved === null) return undefined;
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new TemplateResolutionError(
      stackName,
      `${what} must resolve to a string, got ${JSON.stringify(resolved)}`,
    );
  }

  /** The physical name of a resource (explicit name property, else `<stack>-<logicalId>`). */
  physicalName(stackName: string, logicalId: string): string {
    const key = `${stackName}/${logicalId}`;
    const known = this.names.get(key);
    if (known !== undefined) return known;
    const resource = this.resource(stackName, logicalId);
    const nameProperty = NAME_PROPERTIES[resource.Type];
    const explicit =
      nameProperty === undefined
        ? undefined
        : this.guard(key, () =>
            this.resolveString(stackName, resource.Properties?.[nameProperty], nameProperty),
          );
    const name = explicit ?? this.generatedName(stackName, logicalId, resource);
    this.names.set(key, name);
    return name;
  }

  /** What `Ref` to a resource gives. */
  ref(stackName: string, logicalId: string): Json {
    const resource = this.resource(stackName, logicalId);
    const name = (): string => this.physicalName(stackName, logicalId);
    switch (resource.Type) {
      case 'AWS::SQS::Queue':
        return this.queueUrl(name());
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::StepFunctions::Activity':
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::Lambda::Version':
      case 'AWS::Lambda::Alias':
        return this.getAtt(stackName, logicalId, 'Arn');
      case 'AWS::Lambda::EventSourceMapping':
        return deterministicUuid(`${stackName}/${logicalId}`);
      case 'AWS::Lambda::Url':
        return this.getAtt(stackName, logicalId, 'FunctionArn');
      default:
        return name();
    }
  }

  /** What `Fn::GetAtt` of a resource attribute gives. */
  getAtt(stackName: string, logicalId: string, attribute: string): Json {
    const resource = this.resource(stackName, logicalId);
    const { accountId: account, region } = this.options;
    const name = (): string => this.physicalName(stackName, logicalId);
    const props = resource.Properties ?? {};
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::SQS::Queue.Arn':
        return `arn:aws:sqs:${region}:${account}:${name()}`;
      case 'AWS::SQS::Queue.QueueName':
        return name();
      case 'AWS::SQS::Queue.QueueUrl':
        return this.queueUrl(name());
      case 'AWS::Lambda::Function.Arn':
        return `arn:aws:lambda:${region}:${account}:function:${name()}`;
      case 'AWS::Lambda::Function.SnapStartResponse.ApplyOn':
        return 'None';
      case 'AWS::Lambda::Version.Version':
        return '1';
      case 'AWS::Lambda::Version.Arn':
        return `${this.functionArnOf(stackName, props['FunctionName'])}:1`;
      case 'AWS::Lambda::Alias.Arn':
        return `${this.functionArnOf(stackName, props['FunctionName'])}:${this.resolveString(stackName, props['Name'], 'Name') ?? logicalId}`;
      case 'AWS::Lambda::Url.FunctionArn':
        return this.functionArnOf(stackName, props['TargetFunctionArn']);
      case 'AWS::Lambda::Url.FunctionUrl':
        return this.functionUrl(this.functionNameOf(stackName, props['TargetFunctionArn']));
      case 'AWS::Lambda::EventSourceMapping.Id':
        return deterministicUuid(`${stackName}/${logicalId}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return `arn:aws:states:${region}:${account}:stateMachine:${name()}`;
      case 'AWS::StepFunctions::StateMachine.Name':
        return name();
      case 'AWS::StepFunctions::StateMachine.StateMachineRevisionId':
        return `arn:aws:states:${region}:${account}:stateMachine:${name()}`;
      case 'AWS::StepFunctions::Activity.Arn':
        return `arn:aws:states:${region}:${account}:activity:${name()}`;
      case 'AWS::StepFunctions::Activity.Name':
        return name();
      case 'AWS::Events::EventBus.Arn':
        return `arn:aws:events:${region}:${account}:event-bus/${name()}`;
      case 'AWS::Events::EventBus.Name':
        return name();
      case 'AWS::Events::Rule.Arn': {
        const bus = this.busNameOf(stackName, props['EventBusName']);
        return `arn:aws:events:${region}:${account}:rule/${bus === 'default' ? '' : `${bus}/`}${name()}`;
      }
      case 'AWS::Events::Archive.Arn':
        return `arn:aws:events:${region}:${account}:archive/${name()}`;
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return `arn:aws:dynamodb:${region}:${account}:table/${name()}`;
      case 'AWS::DynamoDB::Table.StreamArn':
      case 'AWS::DynamoDB::GlobalTable.StreamArn':
        return `arn:aws:dynamodb:${region}:${account}:table/${name()}/stream/1970-01-01T00:00:00.000`;
      case 'AWS::SSM::Parameter.Value':
        return this.resolveString(stackName, props['Value'], 'Value') ?? '';
      case 'AWS::SSM::Parameter.Type':
        return this.resolveString(stackName, props['Type'], 'Type') ?? 'String';
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${account}:role/${name()}`;
      case 'AWS::IAM::Role.RoleId':
        return `AROA${shortHash(name()).toUpperCase()}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:aws:logs:${region}:${account}:log-group:${name()}:*`;
      case 'AWS::SNS::Topic.TopicArn':
      case 'AWS::SNS::Topic.Arn':
        return `arn:aws:sns:${region}:${account}:${name()}`;
      case 'AWS::SNS::Topic.TopicName':
        return name();
      case 'AWS::KMS::Key.Arn':
        return `arn:aws:kms:${region}:${account}:key/${deterministicUuid(`${stackName}/${logicalId}`)}`;
      case 'AWS::KMS::Key.KeyId':
        return deterministicUuid(`${stackName}/${logicalId}`);
      default: {
        this.warnings.push(
          `[${stackName}] Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not modelled locally; using a placeholder`,
        );
        const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'unknown';
        return attribute === 'Arn' || attribute.endsWith('Arn')
          ? `arn:aws:${service}:${region}:${account}:${name()}`
          : `${name()}.${attribute}`;
      }
    }
  }

  /** Whether a named condition of a stack holds. */
  condition(stackName: string, conditionName: string): boolean {
    const definition = this.stack(stackName).template.Conditions?.[conditionName];
    if (definition === undefined)
      throw new TemplateResolutionError(stackName, `unknown condition ${conditionName}`);
    const result = this.guard(`${stackName}/condition/${conditionName}`, () =>
      this.resolveValue(stackName, definition),
    );
    if (typeof result !== 'boolean') {
      throw new TemplateResolutionError(
        stackName,
        `condition ${conditionName} does not evaluate to a boolean`,
      );
    }
    return result;
  }

  /** The value of an SSM parameter defined by an AWS::SSM::Parameter resource in any stack. */
  ssmParameter(name: string): string | undefined {
    for (const stackName of this.stacks.keys()) {
      for (const [logicalId, resource] of this.resources(stackName)) {
        if (resource.Type !== 'AWS::SSM::Parameter') continue;
        if (this.physicalName(stackName, logicalId) === name) {
          return this.resolveString(stackName, resource.Properties?.['Value'], 'Value') ?? '';
        }
      }
    }
    return undefined;
  }

  /** The function name an ARN-or-name value refers to (Lambda accepts names, full and partial ARNs). */
  functionNameOf(stackName: string, value: Json | undefined): string {
    const resolved = this.resolveString(stackName, value, 'FunctionName') ?? '';
    const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(resolved);
    return match?.[1] ?? resolved;
  }

  /** The local queue URL of a queue name. */
  queueUrl(queueName: string): string {
    return `${this.options.endpoint}/${this.options.accountId}/${queueName}`;
  }

  /** The local function URL of a function. */
  functionUrl(functionName: string): string {
    return this.options.functionUrlFor?.(functionName) ?? `${this.options.endpoint}/_url/${functionName}/`;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private functionArnOf(stackName: string, value: Json | undefined): string {
    const { region, accountId } = this.options;
    return `arn:aws:lambda:${region}:${accountId}:function:${this.functionNameOf(stackName, value)}`;
  }

  private busNameOf(stackName: string, value: Json | undefined): string {
    const resolved = this.resolveString(stackName, value, 'EventBusName') ?? 'default';
    const match = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(resolved);
    return match?.[1] ?? resolved;
  }

  private generatedName(stackName: string, logicalId: string, resource: CfnResource): string {
    if (resource.Type === 'AWS::Logs::LogGroup') return `/aws/${stackName}/${logicalId}`;
    if (resource.Type === 'AWS::SSM::Parameter') return `CFN-${logicalId}-${shortHash(stackName)}`;
    const fifo =
      resource.Type === 'AWS::SQS::Queue' && this.isTrue(stackName, resource.Properties?.['FifoQueue']);
    const limit = (NAME_LIMITS[resource.Type] ?? 128) - (fifo ? 5 : 0);
    let name = `${stackName}-${logicalId}`.replace(/[^A-Za-z0-9_-]/g, '-');
    if (name.length > limit) name = `${name.slice(0, limit - 9)}-${shortHash(name)}`;
    return fifo ? `${name}.fifo` : name;
  }

  private isTrue(stackName: string, value: Json | undefined): boolean {
    const resolved = this.resolve(stackName, value);
    return resolved === true || resolved === 'true';
  }

  private stack(stackName: string): StackTemplate {
    const stack = this.stacks.get(stackName);
    if (stack === undefined) throw new TemplateResolutionError(stackName, 'unknown stack');
    return stack;
  }

  private resource(stackName: string, logicalId: string): CfnResource {
    const resource = this.stack(stackName).template.Resources?.[logicalId];
    if (resource === undefined)
      throw new TemplateResolutionError(stackName, `unknown logical id ${logicalId}`);
    return resource;
  }

  private guard<T>(key: string, fn: () => T): T {
    if (this.inProgress.has(key)) throw new TemplateResolutionError(key, 'circular reference');
    this.inProgress.add(key);
    try {
      return fn();
    } finally {
      this.inProgress.delete(key);
    }
  }

  private resolveValue(stackName: string, value: Json): Resolved {
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (const item of value) {
        const resolved = this.resolveValue(stackName, item);
        if (resolved !== NO_VALUE) out.push(resolved);
      }
      return out;
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    const onlyKey = keys.length === 1 ? keys[0] : undefined;
    if (
      onlyKey !== undefined &&
      (onlyKey === 'Ref' || onlyKey.startsWith('Fn::') || onlyKey === 'Condition')
    ) {
      const arg = value[onlyKey] as Json;
      return this.intrinsic(stackName, onlyKey, arg);
    }
    const out: JsonObject = {};
    for (const key of keys) {
      const resolved = this.resolveValue(stackName, value[key] as Json);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private resolveArg(stackName: string, value: Json): Json {
    const resolved = this.resolveValue(stackName, value);
    return resolved === NO_VALUE ? null : resolved;
  }

  private intrinsic(stackName: string, fn: string, arg: Json): Resolved {
    const fail = (message: string): never => {
      throw new TemplateResolutionError(stackName, `${fn}: ${message} in ${JSON.stringify(arg)}`);
    };
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') return fail('expects a logical id');
        return this.refName(stackName, arg);
      case 'Condition':
        if (typeof arg !== 'string') return fail('expects a condition name');
        return this.condition(stackName, arg);
      case 'Fn::GetAtt': {
        const parts =
          typeof arg === 'string'
            ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
            : Array.isArray(arg)
              ? arg.map((part) => this.resolveArg(stackName, part))
              : [];
        const [logicalId, attribute] = parts;
        if (typeof logicalId !== 'string' || typeof attribute !== 'string' || logicalId === '') {
          return fail('expects [logicalId, attribute]');
        }
        return this.getAtt(stackName, logicalId, attribute);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('expects [delimiter, list]');
        const delimiter = this.resolveArg(stackName, arg[0] as Json);
        const list = this.resolveArg(stackName, arg[1] as Json);
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return fail('expects [delimiter, list]');
        return list.map((item) => this.scalarText(stackName, item, fn)).join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(stackName, arg);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('expects [index, list]');
        const index = Number(this.resolveArg(stackName, arg[0] as Json));
        const list = this.resolveArg(stackName, arg[1] as Json);
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
          return fail('index out of range');
        }
        return list[index] as Json;
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('expects [delimiter, string]');
        const delimiter = this.resolveArg(stackName, arg[0] as Json);
        const text = this.resolveArg(stackName, arg[1] as Json);
        if (typeof delimiter !== 'string' || typeof text !== 'string')
          return fail('expects [delimiter, string]');
        return text.split(delimiter);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
          return fail('expects [condition, ifTrue, ifFalse]');
        }
        return this.resolveValue(stackName, (this.condition(stackName, arg[0]) ? arg[1] : arg[2]) as Json);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return fail('expects [a, b]');
        const [a, b] = arg.map((item) => this.resolveArg(stackName, item));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return fail('expects a list of conditions');
        const values = arg.map((item) => this.resolveArg(stackName, item));
        if (values.some((item) => typeof item !== 'boolean')) return fail('expects boolean conditions');
        return fn === 'Fn::And'
          ? values.every((item) => item === true)
          : values.some((item) => item === true);
      }
      case 'Fn::Not': {
        const value = Array.isArray(arg) ? this.resolveArg(stackName, arg[0] as Json) : undefined;
        if (typeof value !== 'boolean') return fail('expects [condition]');
        return !value;
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return fail('expects [map, key, key]');
        const [map, top, second] = arg.slice(0, 3).map((item) => this.resolveArg(stackName, item));
        const found =
          typeof map === 'string' && typeof top === 'string' && typeof second === 'string'
            ? this.stack(stackName).template.Mappings?.[map]?.[top]?.[second]
            : undefined;
        if (found === undefined) {
          if (arg[3] !== undefined && isObject(arg[3]) && arg[3]['DefaultValue'] !== undefined) {
            return this.resolveValue(stackName, arg[3]['DefaultValue']);
          }
          return fail('no such mapping entry');
        }
        return this.resolveValue(stackName, found);
      }
      case 'Fn::ImportValue': {
        const exportName = this.resolveArg(stackName, arg);
        if (typeof exportName !== 'string') return fail('expects an export name');
        return this.importValue(stackName, exportName);
      }
      case 'Fn::Base64': {
        const text = this.resolveArg(stackName, arg);
        return Buffer.from(this.scalarText(stackName, text, fn)).toString('base64');
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.options.region}${zone}`);
      case 'Fn::Length': {
        const list = this.resolveArg(stackName, arg);
        if (!Array.isArray(list)) return fail('expects a list');
        return list.length;
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolveArg(stackName, arg));
      default:
        // Not an intrinsic after all (a property whose name starts with Fn::): resolve as a plain object.
        return { [fn]: this.resolveArg(stackName, arg) };
    }
  }

  private scalarText(stackName: string, value: Json, fn: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new TemplateResolutionError(stackName, `${fn}: expected a string, got ${JSON.stringify(value)}`);
  }

  private refName(stackName: string, name: string): Resolved {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return this.options.region;
      case 'AWS::AccountId':
        return this.options.accountId;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${stackName}/${deterministicUuid(stackName)}`;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      default:
        break;
    }
    const template = this.stack(stackName).template;
    const parameter = template.Parameters?.[name];
    if (parameter !== undefined) return this.parameterValue(stackName, name, parameter);
    if (template.Resources?.[name] !== undefined) return this.ref(stackName, name);
    throw new TemplateResolutionError(stackName, `Ref to unknown logical id or parameter ${name}`);
  }

  private parameterValue(
    stackName: string,
    name: string,
    parameter: { Type?: string; Default?: Json },
  ): Json {
    const type = parameter.Type ?? 'String';
    const fallback = parameter.Default === undefined ? null : this.resolveArg(stackName, parameter.Default);
    if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      if (typeof fallback !== 'string') {
        throw new TemplateResolutionError(stackName, `SSM parameter ${name} has no Default parameter name`);
      }
      const value = this.guard(`ssm:${fallback}`, () => this.ssmParameter(fallback));
      if (value === undefined) {
        this.warnings.push(
          `[${stackName}] parameter ${name}: no AWS::SSM::Parameter named ${fallback} in the app`,
        );
        return '';
      }
      return type.includes('List<') ? value.split(',') : value;
    }
    if (type.startsWith('List<') || type === 'CommaDelimitedList') {
      return typeof fallback === 'string' ? fallback.split(',') : fallback;
    }
    return fallback;
  }

  private importValue(stackName: string, exportName: string): Json {
    for (const [otherStack, stack] of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export?.Name === undefined) continue;
        if (this.resolve(otherStack, output.Export.Name) === exportName) {
          return this.guard(`export:${exportName}`, () => this.resolveArg(otherStack, output.Value ?? null));
        }
      }
    }
    throw new TemplateResolutionError(stackName, `Fn::ImportValue: no stack exports ${exportName}`);
  }

  private sub(stackName: string, arg: Json): Json {
    const empty: JsonObject = {};
    const [template, variables]: [Json | undefined, Json | undefined] =
      typeof arg === 'string'
        ? [arg, empty]
        : Array.isArray(arg)
          ? [arg[0], arg[1] ?? empty]
          : [undefined, undefined];
    if (typeof template !== 'string' || !isObject(variables)) {
      throw new TemplateResolutionError(stackName, `Fn::Sub expects a string or [string, variables]`);
    }
    return template.replace(/\$\{([^}]*)\}/g, (_whole, rawName: string) => {
      if (rawName.startsWith('!')) return `\${${rawName.slice(1)}}`;
      const name = rawName.trim();
      const variable = variables[name];
      if (variable !== undefined)
        return this.scalarText(stackName, this.resolveArg(stackName, variable), 'Fn::Sub');
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        return this.scalarText(
          stackName,
          this.getAtt(stackName, name.slice(0, dot), name.slice(dot + 1)),
          'Fn::Sub',
        );
      }
      const value = this.refName(stackName, name);
      if (value === NO_VALUE) return '';
      if (Array.isArray(value)) return value.join(',');
      return this.scalarText(stackName, value, 'Fn::Sub');
    });
  }
}
