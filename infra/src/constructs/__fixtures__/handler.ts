// A stand-in handler entry for TaskFunction's own tests (the real services live under apps/).
export const handler = async (): Promise<{ ok: true }> => ({ ok: true });
