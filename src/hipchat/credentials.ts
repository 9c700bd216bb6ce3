/**
 * The HTTP Basic credentials of the add-on token request, `base64(id:secret)`: built in one
 * place, so the value inputs.ts masks is exactly the header the client sends.
 */
export function basicCredentials(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`).toString('base64');
}
