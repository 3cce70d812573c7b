/** Handshake refusals carry a stable code in `data`, like the REST API's error bodies. */
export function handshakeError(code: string, message: string) {
  return Object.assign(new Error(message), { data: { code } });
}
