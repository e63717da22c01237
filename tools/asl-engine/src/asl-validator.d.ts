declare module 'asl-validator' {
  interface AslValidatorError {
    'Error code': string;
    Message: string;
  }
  interface AslValidatorResult {
    isValid: boolean;
    errors: AslValidatorError[];
  }
  function aslValidator(
    definition: object,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidatorResult;
  export = aslValidator;
}
