/** The names a new service is known by, all derived from its kebab-case name. */
export interface ServiceNaming {
  /** Kebab-case: the Nx project, the folder under `apps/`, the Powertools service name (`ship-order`). */
  readonly name: string;
  /** PascalCase: the task and the `ServiceNames`/`StackNames` key (`ShipOrder`). */
  readonly className: string;
  /** camelCase: the logic function (`shipOrder`). */
  readonly propertyName: string;
  /** The CloudFormation stack name (`FlowShipOrder`). */
  readonly stackName: string;
}

/** Longest name accepted: the stack, function and SSM names built from it stay well inside AWS limits. */
export const MAX_SERVICE_NAME_LENGTH = 40;

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Checks a service name and derives the other names from it.
 *
 * @throws Error naming the rule the name breaks, e.g. `Invalid service name "ShipOrder": use kebab-case ...`
 */
export const serviceNaming = (name: string): ServiceNaming => {
  if (!KEBAB_CASE.test(name)) {
    throw new Error(
      `Invalid service name "${name}": use kebab-case, lower-case words of letters and digits joined by "-", ` +
        'starting with a letter (e.g. "ship-order").',
    );
  }
  if (name.length > MAX_SERVICE_NAME_LENGTH) {
    throw new Error(
      `Invalid service name "${name}": at most ${MAX_SERVICE_NAME_LENGTH} characters (it has ${name.length}).`,
    );
  }
  const words = name.split('-');
  const className = words.map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`).join('');
  return {
    name,
    className,
    propertyName: `${className.charAt(0).toLowerCase()}${className.slice(1)}`,
    stackName: `Flow${className}`,
  };
};
