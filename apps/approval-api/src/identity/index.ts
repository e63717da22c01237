export {
  createTokenVerifier,
  UnauthenticatedError,
  type TokenVerifier,
  type TokenVerifierConfig,
} from './verify';
export { generateSigningKeys, issueToken, type IssueTokenOptions, type SigningKeys } from './issue';
export { ensureLocalSigningKeys, findLocalUser, issueLocalToken, localJwtEnvironment } from './local';
