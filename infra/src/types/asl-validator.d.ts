// asl-validator 4 ships no type declarations; this is the part of its CommonJS API the checks use.
declare module 'asl-validator' {
  interface AslValidatorOptions {
    readonly checkPaths: boolean;
    readonly checkArn: boolean;
  }
  interface AslValidatorError {
    readonly message: string;
    readonly 'Error code'?: string;
    /** Set on the structural errors (with `Error code`). */
    readonly Message?: string;
  }
  interface AslValidatorResult {
    readonly isValid: boolean;
    readonly errors: AslValidatorError[];
    readonly errorsText: (separator?: string) => string;
  }
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
  export = aslValidator;
}
