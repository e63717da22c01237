/**
 * Errors score-risk throws (names from `TaskErrorNames` in @flow/contracts). Scoring is pure, so the only failure
 * is a payload that does not match the contract: `InvalidTaskInputError` (terminal).
 */
export { InvalidTaskInputError } from '@flow/observability';
